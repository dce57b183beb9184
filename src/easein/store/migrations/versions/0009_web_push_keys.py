"""the server's VAPID key for Web Push

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

import easein.store.types

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_push_keys",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("created_at", easein.store.types.UTCDateTime(), nullable=False),
        sa.Column("public_key", sa.String(length=100), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_push_keys")),
    )


def downgrade() -> None:
    op.drop_table("web_push_keys")
