"""The tables. Columns hold what is indexed or joined; `payload` holds the rest (codec)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from easein.store.types import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def owner() -> Mapped[int]:
    return mapped_column(ForeignKey("people.id", ondelete="CASCADE"), nullable=False)


class Person(Base):
    """An adult using EaseIn. Local mode has one; a hosted server has many."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    adult_confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    timezone: Mapped[str] = mapped_column(String(64), nullable=False)
    units: Mapped[str] = mapped_column(String(4), nullable=False)
    # Bumped by every write to this person's data (store.db), so that a worker can
    # tell with one indexed read whether what it derived earlier is still current.
    revision: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")


class ToyRow(Base):
    __tablename__ = "toys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = owner()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    payload: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)

    __table_args__ = (Index("ix_toys_person", "person_id"),)


class SessionRow(Base):
    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = owner()
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    duration_s: Mapped[int] = mapped_column(Integer, nullable=False)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    payload: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    # The notes, sealed under the person's data key (store.codec.HeldKeyCodec); None
    # while they are still in the payload (written with nobody signed in, or before).
    private: Mapped[bytes | None] = mapped_column(LargeBinary)

    __table_args__ = (Index("ix_sessions_person_started", "person_id", "started_at"),)


class ConditionRow(Base):
    __tablename__ = "conditions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = owner()
    since: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    payload: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)

    __table_args__ = (Index("ix_conditions_person", "person_id"),)


class AcknowledgementRow(Base):
    """A recorded statement, e.g. a medical clearance ("I have seen a doctor")."""

    __tablename__ = "acknowledgements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = owner()
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    payload: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)

    __table_args__ = (Index("ix_acknowledgements_person", "person_id"),)


class PlanRow(Base):
    """A recurring training plan (RRULE in the payload)."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = owner()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    payload: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)

    __table_args__ = (Index("ix_plans_person", "person_id"),)


class TrainingStateRow(Base):
    """The training record folded from the log, kept up to date on every write."""

    __tablename__ = "training_states"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    policy_key: Mapped[str] = mapped_column(String(200), nullable=False)
    payload: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    # Statistics totals (weeks, days, rest and hold starts), through the codec too.
    summary: Mapped[bytes | None] = mapped_column(LargeBinary)


class GoalRow(Base):
    """A person's current goal (target size, wear routine, note in the payload); one each."""

    __tablename__ = "goals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    set_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    payload: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    # The note, sealed under the person's data key (services.sealed_notes); None while it
    # is still in the payload (set with nobody signed in, or before).
    private: Mapped[bytes | None] = mapped_column(LargeBinary)


def every_table() -> MetaData:
    """Return the metadata with every table, the feature modules' models imported too.

    Training together's tables live in `store.together_models`, notifications'
    in `store.notify_models`, the second factor's and its kin in
    `store.account_models`: commands that never touch them (status, log...) do
    not import them, and start faster.
    """
    import easein.store.account_models
    import easein.store.notify_models
    import easein.store.together_models
    import easein.store.wear_models  # noqa: F401

    return Base.metadata


# Rows that change what a trainee's status shows carry `person_id` = the TRAINEE,
# so that their writes bump the trainee's revision (store.db).


def person_ref(*, nullable: bool = False) -> Mapped[int]:
    return mapped_column(ForeignKey("people.id", ondelete="CASCADE"), nullable=nullable)


def pairing_ref() -> Mapped[int]:
    return mapped_column(ForeignKey("pairings.id", ondelete="CASCADE"), nullable=False)


class StopAndTalkRow(Base):
    """A stop and talk: it pauses the trainee's training and every directive until resumed."""

    __tablename__ = "stop_and_talks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pairing_id: Mapped[int] = pairing_ref()
    person_id: Mapped[int] = person_ref()  # the trainee
    called_by: Mapped[int] = person_ref()
    called_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    resumed_by: Mapped[int | None] = mapped_column(Integer)
    resumed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_stop_and_talks_pairing", "pairing_id"),
        Index("ix_stop_and_talks_person", "person_id"),
    )
