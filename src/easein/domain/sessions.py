"""A training session as logged, and the checks every logged session must pass."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum

from easein.domain.errors import InvalidInput


class SessionKind(StrEnum):
    STRETCH = "stretch"  # active training
    WEAR = "wear"  # long wear, up to overnight
    PARTNERED = "partnered"  # play with a partner


class Bleeding(StrEnum):
    NONE = "none"
    SPOTTING = "spotting"  # a little, stopped quickly
    LASTING = "lasting"  # more than a few minutes


class BloodColour(StrEnum):
    BRIGHT = "bright"
    DARK = "dark"


class Outcome(StrEnum):
    COMPLETED = "completed"
    STOPPED = "stopped"  # stopped early
    FAILED = "failed"  # could not get the item in / had to give up


class BreathPhase(StrEnum):
    INHALE = "inhale"
    EXHALE = "exhale"


class Sensation(StrEnum):
    STRETCH = "stretch"
    BURNING = "burning"
    TENSION = "tension"
    CRAMPING = "cramping"
    PRESSURE = "pressure"
    URGE_TO_EXPEL = "urge_to_expel"
    FULLNESS = "fullness"


@dataclass(frozen=True)
class Session:
    """One logged session. Times are aware UTC datetimes; sizes are millimetres.

    `reached_mm` is the diameter of the largest item reached, copied at logging
    time so that editing a toy later does not rewrite the past.
    """

    id: int
    kind: SessionKind
    started_at: datetime
    duration: timedelta
    item_ids: tuple[int, ...]
    reached_item_id: int
    reached_mm: float
    pain: int
    sharp: bool = False
    comfort: int | None = None
    pleasure: int | None = None
    bleeding: Bleeding = Bleeding.NONE
    colour: BloodColour | None = None
    outcome: Outcome = Outcome.COMPLETED
    lube: bool = True
    relubed: bool | None = None  # None: nothing was withdrawn and reinserted
    warm_up: bool | None = None
    breath_phase: BreathPhase | None = None
    sensations: frozenset[Sensation] = field(default_factory=frozenset)
    orgasm: bool | None = None
    mess: bool | None = None
    notes: str = ""
    recorded_at: datetime | None = None  # when it was logged; defaults to its end
    # The notes are sealed under the person's data key, and whoever read this session
    # does not hold it (nobody signed in, or a sign-in older than the key): `notes` is
    # then empty, not the notes.
    notes_locked: bool = False

    @property
    def ended_at(self) -> datetime:
        return self.started_at + self.duration

    @property
    def logged_at(self) -> datetime:
        return self.recorded_at or self.ended_at


MAX_NOTES = 10_000


def check_scale(value: int | None, field_name: str) -> None:
    """Refuse a 0-10 rating outside 0..10."""
    if value is not None and not 0 <= value <= 10:
        raise InvalidInput(
            f"{field_name} must be a whole number from 0 to 10 (got {value})",
            field=field_name,
            code="out_of_range",
        )


def check_start(started_at: datetime) -> datetime:
    """Refuse a start outside the years a training log can hold (1970-2999)."""
    if not 1970 <= started_at.year <= 2999:
        raise InvalidInput(
            "at: a session must start between 1970 and 2999", field="at", code="out_of_range"
        )
    return started_at


def check_session(session: Session, *, now: datetime) -> Session:
    """Return `session` if it is consistent, else raise naming the field and the rule."""
    check_start(session.started_at)
    check_scale(session.pain, "pain")
    check_scale(session.comfort, "comfort")
    check_scale(session.pleasure, "pleasure")
    if session.duration <= timedelta(0) or session.duration > timedelta(hours=24):
        raise InvalidInput(
            "duration must be longer than 0 and at most 24h", field="duration", code="out_of_range"
        )
    if session.started_at > now + timedelta(minutes=5):
        raise InvalidInput("a session cannot start in the future", field="at", code="in_the_future")
    if session.bleeding is Bleeding.NONE and session.colour is not None:
        raise InvalidInput(
            "colour is only for a session with bleeding (spotting or lasting)",
            field="colour",
            code="inconsistent",
        )
    if not session.item_ids:
        raise InvalidInput("a session needs at least one item", field="item", code="required")
    if session.reached_item_id not in session.item_ids:
        raise InvalidInput(
            "the largest item reached must be one of the items used",
            field="reached",
            code="inconsistent",
        )
    if len(session.notes) > MAX_NOTES:
        raise InvalidInput(
            f"notes must be at most {MAX_NOTES} characters", field="notes", code="too_long"
        )
    if session.bleeding is not Bleeding.NONE and session.colour is None:
        # Unsaid colour is taken as bright: dark blood is the alarming one, and a
        # person who saw it is asked about it (every interface offers "dark").
        session = replace(session, colour=BloodColour.BRIGHT)
    return session
