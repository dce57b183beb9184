"""Notifications' tables (issue 6): channels, preferences and the outbox.

Not mapped by commands that never notify (status, log...): they start faster.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from easein.store.models import Base, owner
from easein.store.types import UTCDateTime

# --- notifications (issue 6) --------------------------------------------------------------
# Every row carries the person it is for (`person_id`). The outbox is written with Core
# statements (no ORM flush), so planning and delivering do not bump people.revision.


class NotificationChannelRow(Base):
    """Where a person's notifications go: an Apprise URL (a secret) and a label, in the
    payload."""

    __tablename__ = "notification_channels"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = owner()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    payload: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)

    __table_args__ = (Index("ix_notification_channels_person", "person_id"),)


class NotificationPrefsRow(Base):
    """A person's notification choices: lead time, quiet hours (local HH:MM), wording."""

    __tablename__ = "notification_prefs"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    lead_minutes: Mapped[int] = mapped_column(Integer, nullable=False)
    quiet_start: Mapped[str | None] = mapped_column(String(5))
    quiet_end: Mapped[str | None] = mapped_column(String(5))
    explicit: Mapped[bool] = mapped_column(Boolean, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class OutboxRow(Base):
    """One notification for one channel: planned once (unique key), claimed, sent or not.

    `key` names what it is about (a plan's occurrence, a stop and talk, ...) and
    `planned_for` the instant the text refers to; `due_at` is when to send it.
    """

    __tablename__ = "notification_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = owner()
    channel_id: Mapped[int] = mapped_column(
        ForeignKey("notification_channels.id", ondelete="CASCADE"), nullable=False
    )
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    key: Mapped[str] = mapped_column(String(120), nullable=False)
    planned_for: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    payload: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)

    __table_args__ = (
        Index(
            "ix_notification_outbox_unique",
            "person_id",
            "channel_id",
            "kind",
            "key",
            unique=True,
        ),
        Index("ix_notification_outbox_status_next", "status", "next_attempt_at"),
    )


class WebPushKeyRow(Base):
    """The server's VAPID key for Web Push: made once, on first need; the private key (a
    secret) is in the payload. One row (id 1)."""

    __tablename__ = "web_push_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    public_key: Mapped[str] = mapped_column(String(100), nullable=False)
    payload: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
