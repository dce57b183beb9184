"""The safety engine: the state of a trainee at a moment, with every reason and its rule."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from easein.domain import rules
from easein.domain.training import TrainingState


class State(StrEnum):
    READY = "ready"
    REST = "rest"  # until a date
    PAUSED = "paused"  # a condition (haemorrhoids, constipation, diarrhoea, other)
    MEDICAL_HOLD = "medical_hold"  # see a doctor; lifts only by the trainee's confirmation


class ConditionKind(StrEnum):
    HAEMORRHOIDS = "haemorrhoids"
    CONSTIPATION = "constipation"
    DIARRHOEA = "diarrhoea"
    OTHER = "other"


@dataclass(frozen=True)
class Condition:
    """A condition that pauses training while it lasts."""

    id: int
    kind: ConditionKind
    note: str
    since: datetime
    cleared_at: datetime | None = None

    def active_at(self, now: datetime) -> bool:
        return self.since <= now and (self.cleared_at is None or self.cleared_at > now)


@dataclass(frozen=True)
class Pause:
    """Something other than a condition that pauses training while it lasts: a "stop and talk".

    `rule` names why (e.g. `directive.stop_and_talk`); `message` is said as the reason.
    """

    rule: str
    message: str
    since: datetime
    until: datetime | None = None

    def active_at(self, now: datetime) -> bool:
        return self.since <= now and (self.until is None or self.until > now)


@dataclass(frozen=True)
class Reason:
    """Why the state is what it is: the rule, in words, and the session that triggered it."""

    rule: str
    message: str
    session_id: int | None = None


@dataclass(frozen=True)
class SafetyState:
    state: State
    until: datetime | None
    reasons: tuple[Reason, ...]

    @property
    def may_train(self) -> bool:
        return self.state is State.READY


def _day(moment: datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%a %d %b %Y, %H:%M")


def evaluate(
    training: TrainingState,
    conditions: Iterable[Condition],
    now: datetime,
    tz: ZoneInfo,
    *,
    pauses: Iterable[Pause] = (),
) -> SafetyState:
    """Return the safety state at `now`.

    Precedence: a medical hold outranks a pause (a condition, or one of `pauses`
    such as an open stop and talk), which outranks a rest. All the reasons that
    apply are listed, whatever the state.
    """
    reasons: list[Reason] = []
    for hold in training.holds:
        t = hold.trigger
        reasons.append(
            Reason(
                t.rule,
                f"{t.message} (session #{t.session_id}, {_day(t.at, tz)}). Training stays on "
                "hold until you confirm you have seen a doctor or are otherwise sure.",
                t.session_id,
            )
        )
    active = [c for c in conditions if c.active_at(now)]
    for c in active:
        label = c.kind.value + (f": {c.note}" if c.note else "")
        reasons.append(
            Reason(
                rules.CONDITION_ACTIVE,
                f"Paused for {label} (since {_day(c.since, tz)}). Training does not cause it, "
                "but wait until it is better, then clear it.",
                None,
            )
        )
    paused = [p for p in pauses if p.active_at(now)]
    for p in paused:
        reasons.append(Reason(p.rule, f"{p.message} (since {_day(p.since, tz)}).", None))
    resting = training.rest_until is not None and now < training.rest_until
    if resting and training.rest_trigger is not None and training.rest_until is not None:
        t = training.rest_trigger
        reasons.append(
            Reason(
                t.rule,
                f"{t.message} Rest until {_day(training.rest_until, tz)} "
                f"(session #{t.session_id}).",
                t.session_id,
            )
        )
    for t in training.latest:
        if t.rule.startswith("medical.") or (t.rule == rules.BLEEDING_SPOTTING and resting):
            continue  # already said above
        reasons.append(Reason(t.rule, f"{t.message} (session #{t.session_id})", t.session_id))

    if training.holds:
        return SafetyState(State.MEDICAL_HOLD, None, tuple(reasons))
    if active or paused:
        return SafetyState(State.PAUSED, None, tuple(reasons))
    if resting:
        return SafetyState(State.REST, training.rest_until, tuple(reasons))
    return SafetyState(State.READY, None, tuple(reasons))
