"""statistics summary kept beside the training state

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("training_states", schema=None) as batch_op:
        batch_op.add_column(sa.Column("summary", sa.LargeBinary(), nullable=True))
    # Existing states are rebuilt with their summary on first use.
    op.execute("DELETE FROM training_states")


def downgrade() -> None:
    with op.batch_alter_table("training_states", schema=None) as batch_op:
        batch_op.drop_column("summary")
