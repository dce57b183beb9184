"""each account's data key, wrapped by its password, its recovery key and each sign-in

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

import easein.store.types

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "account_keys",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("salt", sa.LargeBinary(), nullable=False),
        sa.Column("time_cost", sa.Integer(), nullable=False),
        sa.Column("memory_kib", sa.Integer(), nullable=False),
        sa.Column("parallelism", sa.Integer(), nullable=False),
        sa.Column("by_password", sa.LargeBinary(), nullable=False),
        sa.Column("by_recovery", sa.LargeBinary(), nullable=True),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("private_key", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", easein.store.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_account_keys_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_account_keys")),
    )
    with op.batch_alter_table("auth_sessions") as batch:
        batch.add_column(sa.Column("wrapped_key", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("auth_sessions") as batch:
        batch.drop_column("wrapped_key")
    op.drop_table("account_keys")
