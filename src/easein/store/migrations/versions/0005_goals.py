"""goals: one current goal per person (target size, wear routine, note in the payload)

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

import easein.store.types

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("set_at", easein.store.types.UTCDateTime(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_goals_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goals")),
        sa.UniqueConstraint("person_id", name=op.f("uq_goals_person_id")),
    )


def downgrade() -> None:
    op.drop_table("goals")
