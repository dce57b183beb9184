"""Training together's tables (issue 4): pairings, agreements, directives and the rest.

A pairing's rows cascade with it, and it cascades with either person. Rows that
change what the trainee's status or Today shows (directives, check-ins) carry
`person_id` = the TRAINEE, so that their writes bump the trainee's revision
(store.db); the stop and talk, which status reads, is in `store.models`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, LargeBinary, String, false
from sqlalchemy.orm import Mapped, mapped_column

from easein.store.models import Base, pairing_ref, person_ref
from easein.store.types import UTCDateTime


class InvitationRow(Base):
    """A one-time code from a trainee. Only the SHA-256 of the code is stored."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trainee_id: Mapped[int] = person_ref()
    code_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    used_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_invitations_trainee", "trainee_id"),)


class PairingRow(Base):
    """Two people training together; the couple's words and who accepted the summary in the
    payload."""

    __tablename__ = "pairings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    trainee_id: Mapped[int] = person_ref()
    partner_id: Mapped[int] = person_ref()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_by: Mapped[int | None] = mapped_column(Integer)
    sharing: Mapped[str] = mapped_column(String(16), nullable=False)
    payload: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    # The pairing key, sealed to each member's X25519 public key (services.pairing_keys);
    # None until made, and the partner's once the pairing ended.
    trainee_key: Mapped[bytes | None] = mapped_column(LargeBinary)
    partner_key: Mapped[bytes | None] = mapped_column(LargeBinary)
    # The partner's copies of the notes could not follow a change (made without the
    # trainee's data key): the trainee's next sign-in redoes them (services.sealed_notes).
    copies_stale: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default=false()
    )

    __table_args__ = (
        Index("ix_pairings_trainee", "trainee_id"),
        Index("ix_pairings_partner", "partner_id"),
    )


class AgreementVersionRow(Base):
    """One version of a pairing's agreement; its terms (payload) never change."""

    __tablename__ = "agreement_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pairing_id: Mapped[int] = pairing_ref()
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    proposed_by: Mapped[int] = person_ref()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    based_on: Mapped[int | None] = mapped_column(Integer)
    payload: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)

    __table_args__ = (
        Index("ix_agreement_versions_pairing_number", "pairing_id", "number", unique=True),
    )


class AgreementSignatureRow(Base):
    __tablename__ = "agreement_signatures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("agreement_versions.id", ondelete="CASCADE"), nullable=False
    )
    signer_id: Mapped[int] = person_ref()
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)

    __table_args__ = (
        Index("ix_agreement_signatures_version_signer", "version_id", "signer_id", unique=True),
    )


class ConversationAnswersRow(Base):
    """One person's answers to the guided conversation (payload), private until both submit."""

    __tablename__ = "conversation_answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pairing_id: Mapped[int] = pairing_ref()
    author_id: Mapped[int] = person_ref()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    payload: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)

    __table_args__ = (
        Index("ix_conversation_answers_pairing_author", "pairing_id", "author_id", unique=True),
    )


class DirectiveRow(Base):
    """A partner's directive; what it asks for lives in its revisions."""

    __tablename__ = "directives"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pairing_id: Mapped[int] = pairing_ref()
    person_id: Mapped[int] = person_ref()  # the trainee
    created_by: Mapped[int] = person_ref()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    revision: Mapped[int] = mapped_column(Integer, nullable=False)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_by: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_directives_pairing", "pairing_id"),
        Index("ix_directives_person", "person_id"),
    )


class DirectiveRevisionRow(Base):
    """One revision of a directive (kind, schedule, window, note, item in the payload)."""

    __tablename__ = "directive_revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    directive_id: Mapped[int] = mapped_column(
        ForeignKey("directives.id", ondelete="CASCADE"), nullable=False
    )
    person_id: Mapped[int] = person_ref()  # the trainee
    revision: Mapped[int] = mapped_column(Integer, nullable=False)
    revised_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    revised_by: Mapped[int] = person_ref()
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    payload: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)

    __table_args__ = (
        Index("ix_directive_revisions_directive_revision", "directive_id", "revision", unique=True),
    )


class CheckInRow(Base):
    """The trainee's word on one occurrence of a directive; the latest for a day counts."""

    __tablename__ = "check_ins"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    directive_id: Mapped[int] = mapped_column(
        ForeignKey("directives.id", ondelete="CASCADE"), nullable=False
    )
    person_id: Mapped[int] = person_ref()  # the trainee
    day: Mapped[str] = mapped_column(String(10), nullable=False)  # the local day, YYYY-MM-DD
    result: Mapped[str] = mapped_column(String(8), nullable=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("sessions.id", ondelete="SET NULL"))
    payload: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)

    __table_args__ = (Index("ix_check_ins_directive_day", "directive_id", "day"),)


class SharedNoteRow(Base):
    """The partner's copy of a session's notes, sealed under the pairing key.

    Exists only while the pairing is active, shares notes, and the session is shared.
    """

    __tablename__ = "shared_notes"

    pairing_id: Mapped[int] = mapped_column(
        ForeignKey("pairings.id", ondelete="CASCADE"), primary_key=True
    )
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    )
    payload: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)

    __table_args__ = (Index("ix_shared_notes_session", "session_id"),)


class UnsharedSessionRow(Base):
    """A session the trainee marked "don't share this one": it does not exist for partners."""

    __tablename__ = "unshared_sessions"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = person_ref()
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)

    __table_args__ = (Index("ix_unshared_sessions_person", "person_id"),)


class CommentRow(Base):
    """A comment on a session or a directive, by either member (text in the payload)."""

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pairing_id: Mapped[int] = pairing_ref()
    author_id: Mapped[int] = person_ref()
    target: Mapped[str] = mapped_column(String(16), nullable=False)  # session | directive
    target_id: Mapped[int] = mapped_column(Integer, nullable=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    payload: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)

    __table_args__ = (Index("ix_comments_pairing_target", "pairing_id", "target", "target_id"),)


class AuditEventRow(Base):
    """The pairing's append-only log: services insert, never update or delete."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pairing_id: Mapped[int] = pairing_ref()
    actor_id: Mapped[int] = person_ref()
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    payload: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)

    __table_args__ = (Index("ix_audit_events_pairing", "pairing_id", "id"),)
