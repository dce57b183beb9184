"""Adherence: which planned sessions were done, missed, excused or still due, and habit strength."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
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
    if len(plans) == 1:
        return planned  # one plan's occurrences come in time order already
    return sorted(planned, key=lambda slot: (slot[0], slot[1].id))


class _Excuser:
    """Answer "which interval excuses `at`?" for times asked in increasing order.

    A sweep instead of a scan: intervals enter the active set when they start
    and leave it once over, so ten years of daily occurrences cost O(n + m).
    """

    def __init__(self, excused: Sequence[Interval]):
        self._pending = sorted(excused, key=lambda i: i.start)
        self._next = 0
        self._active: list[Interval] = []

    def __call__(self, at: datetime) -> Interval | None:
        while self._next < len(self._pending) and self._pending[self._next].start <= at:
            self._active.append(self._pending[self._next])
            self._next += 1
        if self._active:
            self._active = [i for i in self._active if i.end is None or at < i.end]
        return self._active[0] if self._active else None


# Sessions by (local day, kind value); plain strings hash fast, enum members do not.
Pool = dict[tuple[date, str], list[datetime | None]]


def _pool_of(done: Sequence[Done], tz: ZoneInfo) -> Pool:
    pool: Pool = defaultdict(list)
    for session in sorted(done, key=lambda s: s.started_at):
        require_aware(session.started_at, "started_at")
        day = session.started_at.astimezone(tz).date()
        pool[(day, session.kind.value)].append(session.started_at)
    return pool


def _match(
    planned: Sequence[tuple[datetime, Plan]], days: Sequence[date], pool: Pool
) -> dict[int, datetime | None]:
    """Return, by index in `planned`, the start of the session that satisfies it.

    Each session counts once. A session satisfies an occurrence of the same
    local day; occurrences take the day's earliest unused session in time
    order. Exact kinds are matched first, so a partnered session is not spent
    on a stretch plan when a partnered plan that day needs it. (A pool built
    from per-day counts holds None for the start times.)
    """
    matched: dict[int, datetime | None] = {}
    accepts = {kind: tuple(k.value for k in kinds) for kind, kinds in SATISFIED_BY.items()}
    wanted = [accepts[plan.kind] for _, plan in planned]
    for rank in range(max(len(kinds) for kinds in SATISFIED_BY.values())):
        for index in range(len(planned)):
            kinds = wanted[index]
            if index in matched or rank >= len(kinds):
                continue
            sessions = pool.get((days[index], kinds[rank]))
            if sessions:
                matched[index] = sessions.pop(0)
    return matched


_Row = tuple[Plan, datetime, date, Status, datetime | None, str | None]

# SATISFIED_BY by kind value, and how many ranks of preference there are.
_ACCEPTS = {kind: tuple(k.value for k in kinds) for kind, kinds in SATISFIED_BY.items()}
_RANKS = max(len(kinds) for kinds in SATISFIED_BY.values())


def _classified(
    plans: Sequence[Plan],
    pool: Pool,
    excused: Sequence[Interval],
    tz: ZoneInfo,
    start: datetime,
    now: datetime,
) -> Iterator[_Row]:
    """Yield (plan, at, local day, status, session start, excuse), in time order."""
    require_aware(start, "start")
    require_aware(now, "now")
    today = now.astimezone(tz).date()
    planned = _planned(plans, tz, start, _start_of_day(today + timedelta(days=1), tz))
    days = [at.astimezone(tz).date() for at, _ in planned]
    matched = _match(planned, days, pool)
    excuse_for = _Excuser(excused)
    for index, (at, plan) in enumerate(planned):
        day = days[index]
        excuse = excuse_for(at)
        if index in matched:
            yield plan, at, day, Status.DONE, matched[index], None
        elif excuse is not None:
            yield plan, at, day, Status.EXCUSED, None, excuse.reason
        else:
            yield plan, at, day, Status.MISSED if day < today else Status.DUE, None, None


def _occurrences(rows: Iterable[_Row]) -> list[Occurrence]:
    return [
        Occurrence(plan.id, at, day, status, started, excuse)
        for plan, at, day, status, started, excuse in rows
    ]


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
    return _occurrences(_classified(plans, _pool_of(done, tz), excused, tz, start, now))


DayCounts = Iterable[tuple[date, str, int]]  # (local day, kind value, sessions)


def _pool_of_days(day_counts: DayCounts) -> Pool:
    return {(day, kind): [None] * count for day, kind, count in day_counts if count > 0}


def evaluate_days(
    plans: Sequence[Plan],
    day_counts: DayCounts,
    excused: Sequence[Interval],
    tz: ZoneInfo,
    start: datetime,
    now: datetime,
) -> list[Occurrence]:
    """Like `evaluate`, from the number of sessions of each kind (by value) per local day.

    The same rules; DONE occurrences carry no session start time.
    """
    return _occurrences(_classified(plans, _pool_of_days(day_counts), excused, tz, start, now))


def summarise_days(
    plans: Sequence[Plan],
    day_counts: DayCounts,
    excused: Sequence[Interval],
    tz: ZoneInfo,
    start: datetime,
    now: datetime,
) -> Summary:
    """Return `summarise(evaluate_days(...))` without building the occurrences.

    What statistics use over years of plans, from the summary kept on write: the
    same matching and classification as `_classified`, on counts instead of
    pools of start times, folded into the summary in one pass (a property test
    holds the two paths equal).
    """
    require_aware(start, "start")
    require_aware(now, "now")
    today = now.astimezone(tz).date()
    planned = _planned(plans, tz, start, _start_of_day(today + timedelta(days=1), tz))
    days = [at.astimezone(tz).date() for at, _ in planned]
    left = {(day, kind): count for day, kind, count in day_counts if count > 0}
    matched = [False] * len(planned)
    wanted = [_ACCEPTS[plan.kind] for _, plan in planned]
    for rank in range(_RANKS):
        for index, kinds in enumerate(wanted):
            if matched[index] or rank >= len(kinds):
                continue
            key = (days[index], kinds[rank])
            if left.get(key):
                left[key] -= 1
                matched[index] = True
    excuse_for = _Excuser(excused)
    done = missed = excused_n = due = current = best = 0
    score, keep = 0.0, 1 - ALPHA
    for index, (at, _plan) in enumerate(planned):
        excuse = excuse_for(at)  # asked for every occurrence: the sweep moves with time
        if matched[index]:
            done += 1
            current += 1
            if current > best:
                best = current
            score = score * keep + ALPHA
        elif excuse is not None:
            excused_n += 1
        elif days[index] < today:
            missed += 1
            current = 0
            score *= keep
        else:
            due += 1
    return Summary(
        done=done,
        missed=missed,
        excused=excused_n,
        due=due,
        rate=done / (done + missed) if done + missed else None,
        current_streak=current,
        best_streak=best,
        habit_strength=min(100.0, round(score * 100, 1)),
    )


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
    excuse_for = _Excuser(excused)
    for at, plan in _planned(plans, tz, start, end):
        day = at.astimezone(tz).date()
        excuse = excuse_for(at)
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
    return summarise(occurrences).habit_strength


def summarise(occurrences: Sequence[Occurrence]) -> Summary:
    """Return counts, rate, streaks and habit strength of the occurrences.

    A streak counts DONE occurrences in time order; only MISSED breaks it.
    EXCUSED and DUE neither break nor extend it, so streaks survive rest days.
    UPCOMING occurrences have not happened and are not counted.
    """
    return _summary_of_statuses(o.status for o in _in_time_order(occurrences))


def _summary_of_statuses(statuses: Iterable[Status]) -> Summary:
    """Return the summary of statuses taken in time order (habit strength included)."""
    done = missed = excused = due = current = best = 0
    score = 0.0
    for status in statuses:
        if status is Status.DONE:
            done += 1
            current += 1
            best = max(best, current)
            score = score * (1 - ALPHA) + ALPHA
        elif status is Status.MISSED:
            missed += 1
            current = 0
            score *= 1 - ALPHA
        elif status is Status.EXCUSED:
            excused += 1
        elif status is Status.DUE:
            due += 1
    return Summary(
        done=done,
        missed=missed,
        excused=excused,
        due=due,
        rate=done / (done + missed) if done + missed else None,
        current_streak=current,
        best_streak=best,
        habit_strength=min(100.0, round(score * 100, 1)),
    )
