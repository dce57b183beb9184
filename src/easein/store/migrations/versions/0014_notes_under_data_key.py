"""session and goal notes under the person's data key; pairing keys and the partner's copies
(the comments and the conversation's answers under the pairing key need no column)

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(sa.Column("private", sa.LargeBinary(), nullable=True))
    with op.batch_alter_table("goals") as batch:
        batch.add_column(sa.Column("private", sa.LargeBinary(), nullable=True))
    with op.batch_alter_table("pairings") as batch:
        batch.add_column(sa.Column("trainee_key", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("partner_key", sa.LargeBinary(), nullable=True))
        batch.add_column(
            sa.Column("copies_stale", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "shared_notes",
        sa.Column("pairing_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pairing_id"],
            ["pairings.id"],
            name=op.f("fk_shared_notes_pairing_id_pairings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_shared_notes_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pairing_id", "session_id", name=op.f("pk_shared_notes")),
    )
    op.create_index("ix_shared_notes_session", "shared_notes", ["session_id"])


def downgrade() -> None:
    op.drop_index("ix_shared_notes_session", table_name="shared_notes")
    op.drop_table("shared_notes")
    with op.batch_alter_table("pairings") as batch:
        batch.drop_column("copies_stale")
        batch.drop_column("partner_key")
        batch.drop_column("trainee_key")
    with op.batch_alter_table("goals") as batch:
        batch.drop_column("private")
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("private")
