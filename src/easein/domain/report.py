"""A report for a clinician: the facts of a period, in clinical words.

What a trainee brings to a doctor (the medical hold says "see a doctor"): the
period, the items and sizes used, session counts and durations, pain and
bleeding events with their dates, conditions and the current state. Nothing
else: no partner, and no free notes unless the trainee chooses to include them
(condition notes count as notes). Times are shown on the trainee's wall clock;
sizes in millimetres, plus inches for a person who measures in inches.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from statistics import median
from zoneinfo import ZoneInfo

from easein.domain.clock import check_day, day_end, day_start, parse_date
from easein.domain.errors import InvalidInput
from easein.domain.policy import Policy
from easein.domain.safety import Condition, ConditionKind, State, evaluate
from easein.domain.sessions import Bleeding, BloodColour, Outcome, Session, SessionKind
from easein.domain.toys import BODY_KINDS, Base, Toy, ToyKind
from easein.domain.training import TrainingState, needs_doctor
from easein.domain.units import Units, format_size

TITLE = "Training record"  # discretion: the document says no more than this about itself
DEFAULT_DAYS = 90

KIND_WORDS = {
    SessionKind.STRETCH: "Active dilation",
    SessionKind.WEAR: "Prolonged wear",
    SessionKind.PARTNERED: "Partnered",
}
BLEEDING_WORDS = {
    Bleeding.SPOTTING: "spotting",
    Bleeding.LASTING: "lasting more than a few minutes",
}
COLOUR_WORDS = {BloodColour.BRIGHT: "bright red", BloodColour.DARK: "dark red"}
CONDITION_WORDS = {
    ConditionKind.HAEMORRHOIDS: "Haemorrhoids",
    ConditionKind.CONSTIPATION: "Constipation",
    ConditionKind.DIARRHOEA: "Diarrhoea",
    ConditionKind.OTHER: "Other condition",
}
STATE_WORDS = {
    State.READY: "No restriction: training may continue",
    State.REST: "Resting after bleeding",
    State.PAUSED: "Paused for a condition",
    State.MEDICAL_HOLD: "Medical hold: advised to see a doctor",
}
BASE_WORDS = {Base.FLARED: "flared base", Base.HANDLE: "handle"}  # a body part says so already


@dataclass(frozen=True)
class Period:
    """Local days `first`..`last`, both included, and the UTC moments they span."""

    first: date
    last: date
    start: datetime
    end: datetime  # the start of the day after `last`

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def parse_period(
    first: str | date | None, last: str | date | None, tz: ZoneInfo, *, today: date
) -> Period:
    """Return the period from `first` to `last` (YYYY-MM-DD, local days, both included).

    Without `last` it ends today; without `first` it covers the DEFAULT_DAYS up
    to `last`. A period that ends before it starts names the field `to`.
    """
    last_day = today if last is None or last == "" else _day(last, "to")
    if first is None or first == "":
        first_day = max(last_day - timedelta(days=DEFAULT_DAYS - 1), date(1970, 1, 1))
    else:
        first_day = _day(first, "from")
    if last_day < first_day:
        raise InvalidInput(
            f"to: {last_day.isoformat()} is before from ({first_day.isoformat()}); "
            "the period must end on or after its first day",
            field="to",
            code="out_of_range",
        )
    return Period(
        first_day,
        last_day,
        day_start(first_day, tz, field="from"),
        day_end(last_day, tz, field="to"),
    )


def _day(value: str | date, field: str) -> date:
    day = parse_date(value, field=field) if isinstance(value, str) else value
    return check_day(day, field=field)


@dataclass(frozen=True)
class KindTotal:
    label: str
    sessions: int
    total: str
    median: str


@dataclass(frozen=True)
class ItemUse:
    name: str
    description: str  # kind, base, material
    size: str
    sessions: int
    mm: float | None  # for ordering: smallest first


@dataclass(frozen=True)
class Event:
    when: str
    what: str


@dataclass(frozen=True)
class LogLine:
    when: str
    kind: str
    duration: str
    item: str
    pain: str
    bleeding: str


@dataclass(frozen=True)
class Point:
    """One session for the charts: when (local wall clock), the largest diameter, pain."""

    at: datetime
    mm: float
    pain: int


@dataclass(frozen=True)
class Report:
    """The facts of a period, worded for a clinician, ready to lay out."""

    title: str
    first_day: date
    last_day: date
    period: str
    timezone: str
    prepared: str
    summary: tuple[str, ...]
    kinds: tuple[KindTotal, ...]
    items: tuple[ItemUse, ...]
    pain: tuple[str, ...]
    pain_events: tuple[Event, ...]
    bleeding_events: tuple[Event, ...]
    conditions: tuple[str, ...]
    state: str
    state_reasons: tuple[str, ...]
    log: tuple[LogLine, ...]
    points: tuple[Point, ...]
    notes: tuple[Event, ...] | None  # None: the trainee chose not to include notes


def size_text(mm: float, units: Units) -> str:
    """Return a diameter as `25 mm`, or `25 mm (0.98 in)` for a person who uses inches."""
    metric = format_size(mm, Units.MM)
    return metric if units is Units.MM else f"{metric} ({format_size(mm, units)})"


def duration_text(value: timedelta) -> str:
    """Return a duration as `15 min`, `2 h` or `1 h 30 min` (whole minutes)."""
    minutes = max(1, round(value.total_seconds() / 60)) if value > timedelta(0) else 0
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" if not rest else f"{hours} h {rest} min"


def bleeding_text(s: Session) -> str:
    """Return `Bleeding: spotting (bright red)`, or `No bleeding`."""
    if s.bleeding is Bleeding.NONE:
        return "No bleeding"
    colour = COLOUR_WORDS[s.colour or BloodColour.BRIGHT]
    return f"Bleeding: {BLEEDING_WORDS[s.bleeding]} ({colour})"


def _kind_word(kind: ToyKind) -> str:
    if kind in BODY_KINDS:
        return f"{kind.value.capitalize()}, measured width"
    return kind.value.replace("_", " ").capitalize()


def _pain(s: Session) -> str:
    return f"{s.pain}/10" + (", sharp or sudden" if s.sharp else "")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _in_period(c: Condition, period: Period) -> bool:
    return c.since < period.end and (c.cleared_at is None or c.cleared_at >= period.start)


@dataclass(frozen=True)
class _Words:
    """How this person's moments, items and sessions are worded."""

    tz: ZoneInfo
    units: Units
    policy: Policy
    toys: Mapping[int, Toy]

    def when(self, moment: datetime) -> str:
        return moment.astimezone(self.tz).strftime("%d %b %Y %H:%M")

    def item(self, s: Session) -> str:
        toy = self.toys.get(s.reached_item_id)
        name = toy.name if toy else f"item #{s.reached_item_id}"
        return f"{size_text(s.reached_mm, self.units)} ({name})"

    def doctor(self, s: Session) -> str:
        hold = needs_doctor(s.pain, s.sharp, s.bleeding, s.colour, self.policy)
        return "; medical hold: see a doctor" if hold else ""


def _kind_totals(found: Sequence[Session]) -> tuple[KindTotal, ...]:
    totals = []
    for kind in SessionKind:
        lengths = [s.duration for s in found if s.kind is kind]
        if lengths:
            middle = timedelta(seconds=median(d.total_seconds() for d in lengths))
            totals.append(
                KindTotal(
                    KIND_WORDS[kind],
                    len(lengths),
                    duration_text(sum(lengths, timedelta())),
                    duration_text(middle),
                )
            )
    return tuple(totals)


def _summary(
    found: Sequence[Session], period: Period, training: TrainingState, w: _Words
) -> tuple[str, ...]:
    days = {s.started_at.astimezone(w.tz).date() for s in found}
    lines = [
        f"Sessions: {len(found)} on {len(days)} of {_count(period.days, 'day')}",
        f"Total time: {duration_text(sum((s.duration for s in found), timedelta()))}",
    ]
    if found:
        top = max(found, key=lambda s: (s.reached_mm, -s.started_at.timestamp()))
        lines.append(f"Largest diameter used: {w.item(top)}, first on {w.when(top.started_at)}")
    stopped = sum(1 for s in found if s.outcome is Outcome.STOPPED)
    failed = sum(1 for s in found if s.outcome is Outcome.FAILED)
    if stopped or failed:
        lines.append(f"Stopped early: {stopped}; could not be completed: {failed}")
    if training.earned_mm is not None:
        lines.append(
            "Size tolerated comfortably over repeated sessions (now): "
            f"{size_text(training.earned_mm, w.units)}"
        )
    return tuple(lines)


def _items(found: Sequence[Session], w: _Words) -> tuple[ItemUse, ...]:
    uses: dict[int, int] = {}
    for s in found:
        for item_id in s.item_ids:
            uses[item_id] = uses.get(item_id, 0) + 1
    items = []
    for item_id, count in uses.items():
        toy = w.toys.get(item_id)
        if toy is None:
            items.append(ItemUse(f"item #{item_id}", "", "", count, None))
            continue
        described = [_kind_word(toy.kind), BASE_WORDS.get(toy.base, ""), toy.material or ""]
        items.append(
            ItemUse(
                toy.name,
                ", ".join(d for d in described if d),
                size_text(toy.diameter_mm, w.units),
                count,
                toy.diameter_mm,
            )
        )
    return tuple(sorted(items, key=lambda i: (i.mm or 0.0, i.name.casefold())))


def _pain_lines(found: Sequence[Session], w: _Words) -> tuple[str, ...]:
    if not found:
        return ()
    limit = w.policy.pain_limit
    worst = max(found, key=lambda s: (s.pain, -s.started_at.timestamp()))
    return (
        f"Pain ≥ {limit}/10: {sum(1 for s in found if s.pain >= limit)} of {len(found)} sessions",
        f"Sharp or sudden pain: {_count(sum(1 for s in found if s.sharp), 'session')}",
        f"Highest pain: {worst.pain}/10, first on {w.when(worst.started_at)}",
        f"Average pain: {sum(s.pain for s in found) / len(found):.1f}/10",
    )


def _conditions(conditions: Iterable[Condition], period: Period, w: _Words) -> tuple[str, ...]:
    lines = []
    for c in conditions:
        if _in_period(c, period):
            until = f"cleared {w.when(c.cleared_at)}" if c.cleared_at else "ongoing"
            note = f"; note: {c.note}" if c.note else ""
            lines.append(f"{CONDITION_WORDS[c.kind]}: from {w.when(c.since)}, {until}{note}")
    return tuple(lines)


def _log_line(s: Session, w: _Words) -> LogLine:
    blood = "none" if s.bleeding is Bleeding.NONE else bleeding_text(s).removeprefix("Bleeding: ")
    return LogLine(
        w.when(s.started_at),
        KIND_WORDS[s.kind],
        duration_text(s.duration),
        w.item(s),
        _pain(s),
        blood,
    )


def build_report(
    sessions: Iterable[Session],
    toys: Iterable[Toy],
    conditions: Sequence[Condition],
    training: TrainingState,
    period: Period,
    *,
    now: datetime,
    tz: ZoneInfo,
    units: Units,
    policy: Policy,
    include_notes: bool = False,
) -> Report:
    """Return the report of `period` from the log, the items, the conditions and the state.

    Only sessions that started within the period count; the current state is the
    safety state at `now`, whatever the period.
    """
    found = sorted(
        (s for s in sessions if period.start <= s.started_at < period.end),
        key=lambda s: (s.started_at, s.id),
    )
    w = _Words(tz, units, policy, {t.id: t for t in toys})
    if not include_notes:  # a condition's note is a note too, also inside the state's reasons
        conditions = [replace(c, note="") for c in conditions]
    safety = evaluate(training, conditions, now, tz)
    state = STATE_WORDS[safety.state]
    if safety.until is not None:
        state += f" until {w.when(safety.until)}"
    pain_events = tuple(
        Event(
            w.when(s.started_at),
            f"Pain {_pain(s)}; {KIND_WORDS[s.kind].lower()}, {w.item(s)}; "
            f"{bleeding_text(s).lower()}{w.doctor(s)}",
        )
        for s in found
        if s.pain >= policy.pain_limit or s.sharp
    )
    bleeding_events = tuple(
        Event(
            w.when(s.started_at),
            f"{bleeding_text(s)}; pain {_pain(s)}; {KIND_WORDS[s.kind].lower()}, "
            f"{w.item(s)}{w.doctor(s)}",
        )
        for s in found
        if s.bleeding is not Bleeding.NONE
    )
    notes = None
    if include_notes:
        notes = tuple(
            Event(w.when(s.started_at), s.notes.strip()) for s in found if s.notes.strip()
        )
    return Report(
        title=TITLE,
        first_day=period.first,
        last_day=period.last,
        period=f"{period.first:%d %b %Y} to {period.last:%d %b %Y}",
        timezone=str(tz.key),
        prepared=w.when(now),
        summary=_summary(found, period, training, w),
        kinds=_kind_totals(found),
        items=_items(found, w),
        pain=_pain_lines(found, w),
        pain_events=pain_events,
        bleeding_events=bleeding_events,
        conditions=_conditions(conditions, period, w),
        state=state,
        state_reasons=tuple(r.message for r in safety.reasons),
        log=tuple(_log_line(s, w) for s in found),
        points=tuple(
            Point(s.started_at.astimezone(tz).replace(tzinfo=None), s.reached_mm, s.pain)
            for s in found
        ),
        notes=notes,
    )
