"""The long-wear timer's table (issue 6): a running timer is known to the server, so that
the person can be told, once, when the time they planned is up.

Not mapped by commands that never touch the timer (status, log...): they start faster.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, LargeBinary
from sqlalchemy.orm import Mapped, mapped_column

from easein.store.models import Base, owner
from easein.store.types import UTCDateTime

# Written with Core statements (no ORM flush), as the outbox is: starting or stopping a
# timer changes nothing the trainee's status shows, so people.revision is not bumped.


class WearTimerRow(Base):
    """One wear timer: running while `ended_at` is empty.

    `planned_minutes` is the wear time the person chose (empty: no set time, no
    nudge); `nudged_at` is when the "timer is up" nudge was put in the outbox. The
    items worn and the check-in interval are in the payload (codec).
    """

    __tablename__ = "wear_timers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = owner()
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    planned_minutes: Mapped[int | None] = mapped_column(Integer)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    nudged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    payload: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)

    __table_args__ = (Index("ix_wear_timers_person_ended", "person_id", "ended_at"),)
