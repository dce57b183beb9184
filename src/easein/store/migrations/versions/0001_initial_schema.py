"""initial schema

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

import easein.store.types

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", easein.store.types.UTCDateTime(), nullable=False),
        sa.Column("adult_confirmed_at", easein.store.types.UTCDateTime(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("units", sa.String(length=4), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
    )
    op.create_table(
        "acknowledgements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("at", easein.store.types.UTCDateTime(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_acknowledgements_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_acknowledgements")),
    )
    with op.batch_alter_table("acknowledgements", schema=None) as batch_op:
        batch_op.create_index("ix_acknowledgements_person", ["person_id"], unique=False)

    op.create_table(
        "conditions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("since", easein.store.types.UTCDateTime(), nullable=False),
        sa.Column("cleared_at", easein.store.types.UTCDateTime(), nullable=True),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_conditions_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conditions")),
    )
    with op.batch_alter_table("conditions", schema=None) as batch_op:
        batch_op.create_index("ix_conditions_person", ["person_id"], unique=False)

    op.create_table(
        "plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("created_at", easein.store.types.UTCDateTime(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_plans_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
    )
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.create_index("ix_plans_person", ["person_id"], unique=False)

    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("started_at", easein.store.types.UTCDateTime(), nullable=False),
        sa.Column("duration_s", sa.Integer(), nullable=False),
        sa.Column("recorded_at", easein.store.types.UTCDateTime(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_sessions_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions")),
    )
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sessions_person_started", ["person_id", "started_at"], unique=False
        )

    op.create_table(
        "toys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("created_at", easein.store.types.UTCDateTime(), nullable=False),
        sa.Column("retired_at", easein.store.types.UTCDateTime(), nullable=True),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_toys_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_toys")),
    )
    with op.batch_alter_table("toys", schema=None) as batch_op:
        batch_op.create_index("ix_toys_person", ["person_id"], unique=False)

    op.create_table(
        "training_states",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", easein.store.types.UTCDateTime(), nullable=False),
        sa.Column("policy_key", sa.String(length=200), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_training_states_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_training_states")),
    )


def downgrade() -> None:
    op.drop_table("training_states")
    with op.batch_alter_table("toys", schema=None) as batch_op:
        batch_op.drop_index("ix_toys_person")

    op.drop_table("toys")
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_sessions_person_started")

    op.drop_table("sessions")
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_index("ix_plans_person")

    op.drop_table("plans")
    with op.batch_alter_table("conditions", schema=None) as batch_op:
        batch_op.drop_index("ix_conditions_person")

    op.drop_table("conditions")
    with op.batch_alter_table("acknowledgements", schema=None) as batch_op:
        batch_op.drop_index("ix_acknowledgements_person")

    op.drop_table("acknowledgements")
    op.drop_table("people")
