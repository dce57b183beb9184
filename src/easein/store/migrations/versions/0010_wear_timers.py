"""the long-wear timer on the server: when it started, the planned time, when it ended

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

import easein.store.types

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "wear_timers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("started_at", easein.store.types.UTCDateTime(), nullable=False),
        sa.Column("planned_minutes", sa.Integer(), nullable=True),
        sa.Column("ended_at", easein.store.types.UTCDateTime(), nullable=True),
        sa.Column("nudged_at", easein.store.types.UTCDateTime(), nullable=True),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_wear_timers_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wear_timers")),
    )
    with op.batch_alter_table("wear_timers", schema=None) as batch_op:
        batch_op.create_index(
            "ix_wear_timers_person_ended", ["person_id", "ended_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("wear_timers", schema=None) as batch_op:
        batch_op.drop_index("ix_wear_timers_person_ended")
    op.drop_table("wear_timers")
