"""Adherence: which planned sessions were done, missed, excused or still due, and habit strength."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from easein.domain.errors import InvalidInput
from easein.domain.schedule import Plan, localise, occurrences, require_aware
from easein.domain.sessions import SessionKind


class Status(StrEnum):
    DONE = "done"
    MISSED = "missed"
    EXCUSED = "excused"  # inside a safety rest, a pause or a medical hold
    DUE = "due"  # today, not done yet
    UPCOMING = "upcoming"  # after today; only from `upcoming()`


@dataclass(frozen=True)
class Interval:
    """A period that excuses planned sessions: safety rest, a pause for a condition, a medical hold.

    Times are aware UTC; `end` None means it is still going.
    """

    start: datetime
    end: datetime | None
    reason: str

    def covers(self, at: datetime) -> bool:
        return self.start <= at and (self.end is None or at < self.end)


@dataclass(frozen=True)
class Done:
    """A logged session, as far as adherence cares: its kind and when it started (aware UTC)."""

    kind: SessionKind
    started_at: datetime


@dataclass(frozen=True)
class Occurrence:
    """One planned session and what became of it."""

    plan_id: int
    at: datetime  # aware UTC
    local_day: date
    status: Status
    session_started_at: datetime | None = None  # the session that satisfied it (DONE)
    excuse: str | None = None  # the excusing interval's reason (EXCUSED)


@dataclass(frozen=True)
class Summary:
    done: int
    missed: int
    excused: int
    due: int
    rate: float | None  # done / (done + missed); None before anything was done or missed
    current_streak: int
    best_streak: int
    habit_strength: float  # 0..100


# Which session kinds satisfy a plan, best first. A partnered session includes
# active stretching, so it counts for a stretch plan; a solo stretch is not the
# time together that a partnered plan asks for, and nothing replaces long wear.
SATISFIED_BY: dict[SessionKind, tuple[SessionKind, ...]] = {
    SessionKind.STRETCH: (SessionKind.STRETCH, SessionKind.PARTNERED),
    SessionKind.WEAR: (SessionKind.WEAR,),
    SessionKind.PARTNERED: (SessionKind.PARTNERED,),
}

# Habit strength is an exponential moving average over occurrences, in the
# spirit of Loop Habit Tracker's score. With a half-life of 14 occurrences, a
# fresh habit reaches 50 after a perfect fortnight of a nightly plan, and one
# miss costs about 5% of the score: a slip dents it, a lapse of weeks halves it.
HALF_LIFE = 14
ALPHA = 1 - 0.5 ** (1 / HALF_LIFE)

MAX_UPCOMING_DAYS = 366


def _start_of_day(day: date, tz: ZoneInfo) -> datetime:
    # Where the clocks change at midnight, 00:00 may not exist; localise() then
    # gives the first instant of the day, which is what a bound needs.
    return localise(datetime.combine(day, time.min), tz)


def _planned(
    plans: Sequence[Plan], tz: ZoneInfo, start: datetime, end: datetime
) -> list[tuple[datetime, Plan]]:
    planned = [(at, plan) for plan in plans for at in occurrences(plan, tz, start, end)]
    return sorted(planned, key=lambda slot: (slot[0], slot[1].id))


def _excuse(at: datetime, excused: Sequence[Interval]) -> Interval | None:
    return next((interval for interval in excused if interval.covers(at)), None)


def _match(
    planned: Sequence[tuple[datetime, Plan]], done: Sequence[Done], tz: ZoneInfo
) -> dict[int, datetime]:
    """Return, by index in `planned`, the start of the session that satisfies it.

    Each session counts once. A session satisfies an occurrence of the same
    local day; occurrences take the day's earliest unused session in time
    order. Exact kinds are matched first, so a partnered session is not spent
    on a stretch plan when a partnered plan that day needs it.
    """
    pool: dict[tuple[date, SessionKind], list[datetime]] = defaultdict(list)
    for session in sorted(done, key=lambda s: s.started_at):
        require_aware(session.started_at, "started_at")
        pool[(session.started_at.astimezone(tz).date(), session.kind)].append(session.started_at)
    matched: dict[int, datetime] = {}
    for rank in range(max(len(kinds) for kinds in SATISFIED_BY.values())):
        for index, (at, plan) in enumerate(planned):
            kinds = SATISFIED_BY[plan.kind]
            if index in matched or rank >= len(kinds):
                continue
            sessions = pool.get((at.astimezone(tz).date(), kinds[rank]))
            if sessions:
                matched[index] = sessions.pop(0)
    return matched


def evaluate(
    plans: Sequence[Plan],
    done: Sequence[Done],
    excused: Sequence[Interval],
    tz: ZoneInfo,
    start: datetime,
    now: datetime,
) -> list[Occurrence]:
    """Return each occurrence from `start` to the end of `now`'s local day, classified.

    DONE beats EXCUSED: a session logged during a rest still counts. EXCUSED
    beats MISSED: safety-mandated rest never counts as a miss.
    """
    require_aware(start, "start")
    require_aware(now, "now")
    today = now.astimezone(tz).date()
    planned = _planned(plans, tz, start, _start_of_day(today + timedelta(days=1), tz))
    matched = _match(planned, done, tz)
    result: list[Occurrence] = []
    for index, (at, plan) in enumerate(planned):
        day = at.astimezone(tz).date()
        excuse = _excuse(at, excused)
        if index in matched:
            result.append(Occurrence(plan.id, at, day, Status.DONE, matched[index]))
        elif excuse is not None:
            result.append(Occurrence(plan.id, at, day, Status.EXCUSED, excuse=excuse.reason))
        else:
            result.append(
                Occurrence(plan.id, at, day, Status.MISSED if day < today else Status.DUE)
            )
    return result


def upcoming(
    plans: Sequence[Plan],
    tz: ZoneInfo,
    now: datetime,
    days: int,
    *,
    excused: Sequence[Interval] = (),
) -> list[Occurrence]:
    """Return the occurrences of the `days` local days after today.

    An occurrence inside a known rest or hold (an interval still going, or one
    ending later) is EXCUSED rather than UPCOMING, so reminders stay quiet.
    """
    require_aware(now, "now")
    if not 0 <= days <= MAX_UPCOMING_DAYS:
        raise InvalidInput(
            f"days must be from 0 to {MAX_UPCOMING_DAYS}", field="days", code="out_of_range"
        )
    tomorrow = now.astimezone(tz).date() + timedelta(days=1)
    start = _start_of_day(tomorrow, tz)
    end = _start_of_day(tomorrow + timedelta(days=days), tz)
    result: list[Occurrence] = []
    for at, plan in _planned(plans, tz, start, end):
        day = at.astimezone(tz).date()
        excuse = _excuse(at, excused)
        if excuse is not None:
            result.append(Occurrence(plan.id, at, day, Status.EXCUSED, excuse=excuse.reason))
        else:
            result.append(Occurrence(plan.id, at, day, Status.UPCOMING))
    return result


def _in_time_order(occurrences: Iterable[Occurrence]) -> list[Occurrence]:
    return sorted(occurrences, key=lambda o: (o.at, o.plan_id))


def habit_strength(occurrences: Sequence[Occurrence]) -> float:
    """Return the habit strength, 0..100, of the occurrences taken in time order.

    DONE pulls the score towards 100 and MISSED towards 0; EXCUSED, DUE and
    UPCOMING leave it unchanged, so rest never weakens a habit.
    """
    score = 0.0
    for occurrence in _in_time_order(occurrences):
        if occurrence.status is Status.DONE:
            score = score * (1 - ALPHA) + ALPHA
        elif occurrence.status is Status.MISSED:
            score *= 1 - ALPHA
    return min(100.0, round(score * 100, 1))


def summarise(occurrences: Sequence[Occurrence]) -> Summary:
    """Return counts, rate, streaks and habit strength of the occurrences.

    A streak counts DONE occurrences in time order; only MISSED breaks it.
    EXCUSED and DUE neither break nor extend it, so streaks survive rest days.
    UPCOMING occurrences have not happened and are not counted.
    """
    ordered = _in_time_order(occurrences)
    counts = Counter(occurrence.status for occurrence in ordered)
    current = best = 0
    for occurrence in ordered:
        if occurrence.status is Status.DONE:
            current += 1
            best = max(best, current)
        elif occurrence.status is Status.MISSED:
            current = 0
    done, missed = counts[Status.DONE], counts[Status.MISSED]
    return Summary(
        done=done,
        missed=missed,
        excused=counts[Status.EXCUSED],
        due=counts[Status.DUE],
        rate=done / (done + missed) if done + missed else None,
        current_streak=current,
        best_streak=best,
        habit_strength=habit_strength(ordered),
    )
