"""The training record folded from the log: earned size, qualifying streak, rest and holds.

The state is a left fold over sessions (in start-time order) and clearances, so
it can be kept up to date on every write instead of re-reading years of logs:
`apply_session` is O(1). Logging a session earlier than the latest one, editing
or deleting one, or importing, replays everything with `replay`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from easein.domain import rules
from easein.domain.policy import Policy
from easein.domain.sessions import Bleeding, BloodColour, Outcome, Session


@dataclass(frozen=True)
class Trigger:
    """A rule that fired on a session, with the message a person reads."""

    rule: str
    session_id: int | None
    at: datetime
    message: str


@dataclass(frozen=True)
class Hold:
    """A medical hold trigger; it lasts until a clearance recorded after `logged_at`."""

    trigger: Trigger
    logged_at: datetime


@dataclass(frozen=True)
class Earned:
    """A size the trainee earned, when, and by which session."""

    mm: float
    since: datetime
    session_id: int


@dataclass(frozen=True)
class Qualifier:
    """A comfortable session at the earned size: it counts toward the next size."""

    session_id: int
    started_at: datetime


@dataclass(frozen=True)
class TrainingState:
    """Everything the engines need to know about the past, in a few hundred bytes."""

    earned: tuple[Earned, ...] = ()  # a stack: stepping back returns to the previous size
    # With nothing earned: the size a step back came from (or that hurt first); the
    # next sizes must stay below it until one is earned.
    below_mm: float | None = None
    streak: tuple[Qualifier, ...] = ()
    latest: tuple[Trigger, ...] = ()  # what the latest session asks of the next one
    step_back: bool = False
    rest_until: datetime | None = None
    rest_trigger: Trigger | None = None
    holds: tuple[Hold, ...] = ()
    last_clearance_at: datetime | None = None
    last_session_at: datetime | None = None
    sizes: tuple[tuple[datetime, float | None], ...] = ()  # earned size over time
    sessions: int = 0

    @property
    def earned_mm(self) -> float | None:
        return self.earned[-1].mm if self.earned else None


def local_day(moment: datetime, tz: ZoneInfo) -> date:
    """Return the calendar day `moment` falls on where the trainee lives."""
    return moment.astimezone(tz).date()


def days_spanned(streak: tuple[Qualifier, ...], tz: ZoneInfo) -> int:
    """Return how many calendar days the streak covers, first and last day included."""
    if not streak:
        return 0
    return (local_day(streak[-1].started_at, tz) - local_day(streak[0].started_at, tz)).days + 1


def is_qualified(state: TrainingState, policy: Policy, tz: ZoneInfo) -> bool:
    """Whether the sessions at the earned size allow the next size."""
    return (
        len(state.streak) >= policy.sessions_to_advance
        and days_spanned(state.streak, tz) >= policy.min_days_at_size
    )


def earliest_advance_day(state: TrainingState, policy: Policy, tz: ZoneInfo) -> date | None:
    """Return the first day the spread-over-days condition can be met, if a streak started."""
    if not state.streak:
        return None
    return local_day(state.streak[0].started_at, tz) + timedelta(days=policy.min_days_at_size - 1)


def needs_doctor(
    pain: int, sharp: bool, bleeding: Bleeding, colour: BloodColour | None, policy: Policy
) -> bool:
    """Whether a session's facts call for a medical hold (DOMAIN rule 5)."""
    bled = bleeding is not Bleeding.NONE
    return (
        bleeding is Bleeding.LASTING
        or (bled and colour is BloodColour.DARK)
        or pain >= policy.acute_pain
        or (sharp and bled)
    )


def medical_triggers(s: Session, policy: Policy) -> list[Trigger]:
    """Return the see-a-doctor triggers of session `s` (DOMAIN rule 5, medical hold)."""
    found = []
    if s.bleeding is Bleeding.LASTING:
        found.append(
            Trigger(
                rules.MEDICAL_BLEEDING_LASTING,
                s.id,
                s.started_at,
                "Bleeding that lasted more than a few minutes: stop and see a doctor.",
            )
        )
    if s.bleeding is not Bleeding.NONE and s.colour is BloodColour.DARK:
        found.append(
            Trigger(
                rules.MEDICAL_BLEEDING_DARK,
                s.id,
                s.started_at,
                "Dark red blood can come from higher up: stop and see a doctor.",
            )
        )
    if s.pain >= policy.acute_pain or (s.sharp and s.bleeding is not Bleeding.NONE):
        what = f"pain of {s.pain}/10" if s.pain >= policy.acute_pain else "sharp pain with blood"
        found.append(
            Trigger(
                rules.MEDICAL_ACUTE_PAIN,
                s.id,
                s.started_at,
                f"Acute pain ({what}): stop and see a doctor.",
            )
        )
    return found


def step_back_triggers(s: Session, policy: Policy) -> list[Trigger]:
    """Return the triggers of session `s` that send the next session one size down."""
    found = []
    if s.sharp:
        found.append(
            Trigger(
                rules.PAIN_SHARP,
                s.id,
                s.started_at,
                "Sharp or sudden pain means stop: the next session goes one size down.",
            )
        )
    if s.pain >= policy.pain_limit:
        found.append(
            Trigger(
                rules.PAIN_LIMIT,
                s.id,
                s.started_at,
                f"Pain of {s.pain}/10 is at or above your limit of {policy.pain_limit}/10: "
                "no advancing, and the next session goes one size down.",
            )
        )
    if s.bleeding is Bleeding.SPOTTING:
        found.append(
            Trigger(
                rules.BLEEDING_SPOTTING,
                s.id,
                s.started_at,
                f"A little blood usually means small tears: rest for "
                f"{policy.rest_days_after_spotting} days, then resume one size down.",
            )
        )
    return found


def apply_session(state: TrainingState, s: Session, policy: Policy, tz: ZoneInfo) -> TrainingState:
    """Return the state after session `s`, which must not start before the latest one."""
    if state.last_session_at is not None and s.started_at < state.last_session_at:
        raise ValueError("sessions must be applied in start-time order; replay instead")
    tol = policy.same_size_tolerance_mm
    medical = medical_triggers(s, policy)
    backwards = step_back_triggers(s, policy)
    latest: list[Trigger] = [*medical, *backwards]
    painful = bool(medical or backwards) or s.bleeding is not Bleeding.NONE

    holds = state.holds
    if medical and (state.last_clearance_at is None or s.logged_at > state.last_clearance_at):
        holds = (*holds, *(Hold(t, s.logged_at) for t in medical))

    rest_until, rest_trigger = state.rest_until, state.rest_trigger
    if s.bleeding is not Bleeding.NONE:
        # Any blood means a few days of gentleness, even when a doctor is also needed.
        until = s.ended_at + timedelta(days=policy.rest_days_after_spotting)
        if rest_until is None or until > rest_until:
            rest_until = until
            rest_trigger = Trigger(
                rules.BLEEDING_SPOTTING,
                s.id,
                s.started_at,
                f"Blood in a session means rest for {policy.rest_days_after_spotting} days, "
                "then one size down.",
            )

    if s.pain > 0 and (not s.lube or s.relubed is False):
        latest.append(
            Trigger(
                rules.LUBE_REAPPLY,
                s.id,
                s.started_at,
                "There was pain without fresh lube: use plenty, and re-apply every time "
                "something is withdrawn and reinserted.",
            )
        )

    earned, streak, below = state.earned, state.streak, state.below_mm
    top = earned[-1].mm if earned else None
    if painful:
        if top is not None and s.reached_mm <= top + tol:
            earned = earned[:-1]
            if not earned:
                below = top
        elif top is None:
            below = s.reached_mm if below is None else min(below, s.reached_mm)
        streak = ()
    elif s.outcome is not Outcome.COMPLETED:
        latest.append(
            Trigger(
                rules.OUTCOME_NOT_COMPLETED,
                s.id,
                s.started_at,
                f"The session was {s.outcome.value}: it counts against advancing, and the "
                "sessions at this size start again.",
            )
        )
        streak = ()
    elif top is None and (below is None or s.reached_mm < below - tol):
        earned = (Earned(s.reached_mm, s.started_at, s.id),)
        streak = (Qualifier(s.id, s.started_at),)
        below = None
    elif top is None:
        latest.append(
            Trigger(
                rules.AHEAD_OF_PLAN,
                s.id,
                s.started_at,
                "After a step back, a size below the one that hurt has to be comfortable "
                "first: this session does not count toward progress.",
            )
        )
    elif abs(s.reached_mm - top) <= tol:
        streak = (*streak, Qualifier(s.id, s.started_at))
    elif top is not None and s.reached_mm > top:
        qualified = is_qualified(state, policy, tz)
        if qualified and s.reached_mm <= policy.max_next_mm(top):
            earned = (*earned, Earned(s.reached_mm, s.started_at, s.id))
            streak = (Qualifier(s.id, s.started_at),)
        else:
            latest.append(
                Trigger(
                    rules.AHEAD_OF_PLAN,
                    s.id,
                    s.started_at,
                    "This session used a size you have not earned yet, so it does not count "
                    "toward progress: small, earned steps keep you safe.",
                )
            )
    # A smaller item than the earned size neither counts nor resets the count.

    sizes = state.sizes
    new_mm = earned[-1].mm if earned else None
    if new_mm != top:
        sizes = (*sizes, (s.started_at, new_mm))
    return replace(
        state,
        earned=earned,
        below_mm=below,
        streak=streak,
        latest=tuple(latest),
        step_back=bool(backwards or medical),
        rest_until=rest_until,
        rest_trigger=rest_trigger,
        holds=holds,
        last_session_at=s.started_at,
        sizes=sizes,
        sessions=state.sessions + 1,
    )


def apply_clearance(state: TrainingState, at: datetime) -> TrainingState:
    """Return the state after the trainee confirmed at `at` that a doctor cleared them."""
    last = at if state.last_clearance_at is None else max(at, state.last_clearance_at)
    return replace(
        state,
        last_clearance_at=last,
        holds=tuple(h for h in state.holds if h.logged_at > last),
    )


def replay(
    sessions: Iterable[Session],
    clearances: Iterable[datetime],
    policy: Policy,
    tz: ZoneInfo,
) -> TrainingState:
    """Return the state folded from the whole log, in time order."""
    events: list[tuple[datetime, int, Session | None]] = [(s.started_at, 1, s) for s in sessions]
    events.extend((at, 0, None) for at in clearances)
    events.sort(key=lambda e: (e[0], e[1], e[2].id if e[2] else 0))
    state = TrainingState()
    for at, _, session in events:
        if session is None:
            state = apply_clearance(state, at)
        else:
            state = apply_session(state, session, policy, tz)
    return state
