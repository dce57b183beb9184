"""the fingerprint of the installation key that seals the payloads

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

import easein.store.types

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "installation_key",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", easein.store.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_installation_key")),
    )


def downgrade() -> None:
    op.drop_table("installation_key")
