"""training together: invitations, pairings, agreement, answers, directives, check-ins,
stop and talk, unshared sessions, comments and the append-only audit log

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

import easein.store.types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trainee_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", easein.store.types.UTCDateTime(), nullable=False),
        sa.Column("used_by", sa.Integer(), nullable=True),
        sa.Column("used_at", easein.store.types.UTCDateTime(), nullable=True),
        sa.Column("revoked_at", easein.store.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["trainee_id"],
            ["people.id"],
            name=op.f("fk_invitations_trainee_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["used_by"],
            ["people.id"],
            name=op.f("fk_invitations_used_by_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitations")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_invitations_code_hash")),
    )
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.create_index("ix_invitations_trainee", ["trainee_id"], unique=False)

    op.create_table(
        "pairings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trainee_id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("created_at", easein.store.types.UTCDateTime(), nullable=False),
        sa.Column("activated_at", easein.store.types.UTCDateTime(), nullable=True),
        sa.Column("ended_at", easein.store.types.UTCDateTime(), nullable=True),
        sa.Column("ended_by", sa.Integer(), nullable=True),
        sa.Column("sharing", sa.String(length=16), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["people.id"],
            name=op.f("fk_pairings_partner_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["trainee_id"],
            ["people.id"],
            name=op.f("fk_pairings_trainee_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pairings")),
    )
    with op.batch_alter_table("pairings", schema=None) as batch_op:
        batch_op.create_index("ix_pairings_partner", ["partner_id"], unique=False)
        batch_op.create_index("ix_pairings_trainee", ["trainee_id"], unique=False)

    op.create_table(
        "agreement_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pairing_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("proposed_by", sa.Integer(), nullable=False),
        sa.Column("created_at", easein.store.types.UTCDateTime(), nullable=False),
        sa.Column("based_on", sa.Integer(), nullable=True),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pairing_id"],
            ["pairings.id"],
            name=op.f("fk_agreement_versions_pairing_id_pairings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by"],
            ["people.id"],
            name=op.f("fk_agreement_versions_proposed_by_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_versions")),
    )
    with op.batch_alter_table("agreement_versions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_agreement_versions_pairing_number", ["pairing_id", "number"], unique=True
        )

    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pairing_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("at", easein.store.types.UTCDateTime(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["people.id"],
            name=op.f("fk_audit_events_actor_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pairing_id"],
            ["pairings.id"],
            name=op.f("fk_audit_events_pairing_id_pairings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index("ix_audit_events_pairing", ["pairing_id", "id"], unique=False)

    op.create_table(
        "comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pairing_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("target", sa.String(length=16), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("at", easein.store.types.UTCDateTime(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["people.id"],
            name=op.f("fk_comments_author_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pairing_id"],
            ["pairings.id"],
            name=op.f("fk_comments_pairing_id_pairings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comments")),
    )
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_comments_pairing_target", ["pairing_id", "target", "target_id"], unique=False
        )

    op.create_table(
        "conversation_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pairing_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", easein.store.types.UTCDateTime(), nullable=False),
        sa.Column("submitted_at", easein.store.types.UTCDateTime(), nullable=True),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["people.id"],
            name=op.f("fk_conversation_answers_author_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pairing_id"],
            ["pairings.id"],
            name=op.f("fk_conversation_answers_pairing_id_pairings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation_answers")),
    )
    with op.batch_alter_table("conversation_answers", schema=None) as batch_op:
        batch_op.create_index(
            "ix_conversation_answers_pairing_author", ["pairing_id", "author_id"], unique=True
        )

    op.create_table(
        "directives",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pairing_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", easein.store.types.UTCDateTime(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("ended_at", easein.store.types.UTCDateTime(), nullable=True),
        sa.Column("ended_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["people.id"],
            name=op.f("fk_directives_created_by_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pairing_id"],
            ["pairings.id"],
            name=op.f("fk_directives_pairing_id_pairings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_directives_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directives")),
    )
    with op.batch_alter_table("directives", schema=None) as batch_op:
        batch_op.create_index("ix_directives_pairing", ["pairing_id"], unique=False)
        batch_op.create_index("ix_directives_person", ["person_id"], unique=False)

    op.create_table(
        "stop_and_talks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pairing_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("called_by", sa.Integer(), nullable=False),
        sa.Column("called_at", easein.store.types.UTCDateTime(), nullable=False),
        sa.Column("resumed_by", sa.Integer(), nullable=True),
        sa.Column("resumed_at", easein.store.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["called_by"],
            ["people.id"],
            name=op.f("fk_stop_and_talks_called_by_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pairing_id"],
            ["pairings.id"],
            name=op.f("fk_stop_and_talks_pairing_id_pairings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_stop_and_talks_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stop_and_talks")),
    )
    with op.batch_alter_table("stop_and_talks", schema=None) as batch_op:
        batch_op.create_index("ix_stop_and_talks_pairing", ["pairing_id"], unique=False)
        batch_op.create_index("ix_stop_and_talks_person", ["person_id"], unique=False)

    op.create_table(
        "unshared_sessions",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("at", easein.store.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_unshared_sessions_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_unshared_sessions_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_unshared_sessions")),
    )
    with op.batch_alter_table("unshared_sessions", schema=None) as batch_op:
        batch_op.create_index("ix_unshared_sessions_person", ["person_id"], unique=False)

    op.create_table(
        "agreement_signatures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("signer_id", sa.Integer(), nullable=False),
        sa.Column("signed_at", easein.store.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["signer_id"],
            ["people.id"],
            name=op.f("fk_agreement_signatures_signer_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["agreement_versions.id"],
            name=op.f("fk_agreement_signatures_version_id_agreement_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_signatures")),
    )
    with op.batch_alter_table("agreement_signatures", schema=None) as batch_op:
        batch_op.create_index(
            "ix_agreement_signatures_version_signer", ["version_id", "signer_id"], unique=True
        )

    op.create_table(
        "check_ins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("directive_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("result", sa.String(length=8), nullable=False),
        sa.Column("at", easein.store.types.UTCDateTime(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["directive_id"],
            ["directives.id"],
            name=op.f("fk_check_ins_directive_id_directives"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_check_ins_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_check_ins_session_id_sessions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_ins")),
    )
    with op.batch_alter_table("check_ins", schema=None) as batch_op:
        batch_op.create_index("ix_check_ins_directive_day", ["directive_id", "day"], unique=False)

    op.create_table(
        "directive_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("directive_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("revised_at", easein.store.types.UTCDateTime(), nullable=False),
        sa.Column("revised_by", sa.Integer(), nullable=False),
        sa.Column("acknowledged_at", easein.store.types.UTCDateTime(), nullable=True),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["directive_id"],
            ["directives.id"],
            name=op.f("fk_directive_revisions_directive_id_directives"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_directive_revisions_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["revised_by"],
            ["people.id"],
            name=op.f("fk_directive_revisions_revised_by_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directive_revisions")),
    )
    with op.batch_alter_table("directive_revisions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_directive_revisions_directive_revision", ["directive_id", "revision"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("directive_revisions", schema=None) as batch_op:
        batch_op.drop_index("ix_directive_revisions_directive_revision")

    op.drop_table("directive_revisions")
    with op.batch_alter_table("check_ins", schema=None) as batch_op:
        batch_op.drop_index("ix_check_ins_directive_day")

    op.drop_table("check_ins")
    with op.batch_alter_table("agreement_signatures", schema=None) as batch_op:
        batch_op.drop_index("ix_agreement_signatures_version_signer")

    op.drop_table("agreement_signatures")
    with op.batch_alter_table("unshared_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_unshared_sessions_person")

    op.drop_table("unshared_sessions")
    with op.batch_alter_table("stop_and_talks", schema=None) as batch_op:
        batch_op.drop_index("ix_stop_and_talks_person")
        batch_op.drop_index("ix_stop_and_talks_pairing")

    op.drop_table("stop_and_talks")
    with op.batch_alter_table("directives", schema=None) as batch_op:
        batch_op.drop_index("ix_directives_person")
        batch_op.drop_index("ix_directives_pairing")

    op.drop_table("directives")
    with op.batch_alter_table("conversation_answers", schema=None) as batch_op:
        batch_op.drop_index("ix_conversation_answers_pairing_author")

    op.drop_table("conversation_answers")
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_index("ix_comments_pairing_target")

    op.drop_table("comments")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_pairing")

    op.drop_table("audit_events")
    with op.batch_alter_table("agreement_versions", schema=None) as batch_op:
        batch_op.drop_index("ix_agreement_versions_pairing_number")

    op.drop_table("agreement_versions")
    with op.batch_alter_table("pairings", schema=None) as batch_op:
        batch_op.drop_index("ix_pairings_trainee")
        batch_op.drop_index("ix_pairings_partner")

    op.drop_table("pairings")
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.drop_index("ix_invitations_trainee")

    op.drop_table("invitations")
