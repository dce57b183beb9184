"""second factor (TOTP), decoy profiles and auto-delete of old entries

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

import easein.store.types

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "totp_factors",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("created_at", easein.store.types.UTCDateTime(), nullable=False),
        sa.Column("confirmed_at", easein.store.types.UTCDateTime(), nullable=True),
        sa.Column("last_step", sa.Integer(), nullable=True),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_totp_factors_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_totp_factors")),
    )
    op.create_table(
        "decoys",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("decoy_account_id", sa.Integer(), nullable=False),
        sa.Column("created_at", easein.store.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_decoys_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decoy_account_id"],
            ["accounts.id"],
            name=op.f("fk_decoys_decoy_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_decoys")),
        sa.UniqueConstraint("decoy_account_id", name=op.f("uq_decoys_decoy_account_id")),
    )
    op.create_table(
        "auto_delete",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("older_than_days", sa.Integer(), nullable=False),
        sa.Column("updated_at", easein.store.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_auto_delete_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_auto_delete")),
    )


def downgrade() -> None:
    op.drop_table("auto_delete")
    op.drop_table("decoys")
    op.drop_table("totp_factors")
