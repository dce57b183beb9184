"""Training plans that recur by an RRULE, kept on the person's local wall clock.

A plan says "every night at 21:00" in the trainee's own time zone, so its
occurrences are worked out as local days and wall-clock times first and only
then turned into UTC instants. That keeps 21:00 at 21:00 when the clocks change.

Only the part of RFC 5545 a training plan needs is accepted: FREQ=DAILY or
FREQ=WEEKLY with INTERVAL, BYDAY (plain days) and WKST. dateutil looks for the
next match without any upper bound, so a rule that can never match (say
FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30) spins for seconds. Every rule this subset
allows matches at least once per period, so no query can run away.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil import rrule as _rrule  # type: ignore[import-untyped,unused-ignore]

from easein.domain.errors import InvalidInput
from easein.domain.sessions import SessionKind


@dataclass(frozen=True)
class Plan:
    """A recurring training plan: what, on which local days, at which local time, for how long."""

    id: int
    name: str
    kind: SessionKind
    rrule: str  # normalised RRULE body without "RRULE:", e.g. "FREQ=WEEKLY;BYDAY=MO,WE,FR"
    starts_on: date  # first local day of the plan
    at: time  # local wall-clock time of each occurrence (naive)
    duration: timedelta
    ended_on: date | None = None  # last local day (inclusive), None while the plan runs


DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # index = date.weekday()
ALL_DAYS = tuple(range(7))
MAX_INTERVAL = 99

# "N times a week" as fixed weekdays (a fixed table, so the same phrase always
# means the same days), with the rest days spread as evenly as a 7-day week
# allows: the tissue gets time off between sessions rather than all at once.
TIMES_A_WEEK: dict[int, tuple[int, ...]] = {
    1: (0,),  # MO
    2: (1, 4),  # TU, FR: gaps of 3 and 4 days
    3: (0, 2, 4),  # MO, WE, FR: gaps of 2, 2 and 3 days
    4: (0, 1, 3, 5),  # MO, TU, TH, SA: rest on WE, FR and SU
    5: (0, 1, 3, 4, 5),  # rest on WE and SU
    6: (0, 1, 2, 3, 4, 5),  # rest on SU
    7: ALL_DAYS,
}

HELP = (
    "Use a phrase such as 'daily', 'nightly', 'every other day', 'weekdays', 'weekends', "
    "'mon,wed,fri' or '3 times a week', or an RRULE such as FREQ=WEEKLY;BYDAY=MO,WE,FR "
    f"(FREQ=DAILY or WEEKLY, with INTERVAL 1-{MAX_INTERVAL}, BYDAY and WKST)."
)

_EVERY_DAY = {
    "daily",
    "every day",
    "each day",
    "nightly",
    "every night",
    "each night",
    "every evening",
    "every morning",
}
_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_WORDS: dict[str, tuple[int, ...]] = {
    word: (i,)
    for i, name in enumerate(_DAY_NAMES)
    for word in (name, name + "s", name[:3], name[:2])  # monday, mondays, mon, mo
} | {
    "tues": (1,),
    "weds": (2,),
    "thur": (3,),
    "thurs": (3,),
    "weekday": (0, 1, 2, 3, 4),
    "weekdays": (0, 1, 2, 3, 4),
    "weekend": (5, 6),
    "weekends": (5, 6),
}
_FILLER = {"every", "each", "on", "and", "the"}
_COUNTS = {
    "once": 1,
    "twice": 2,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
}
_PER_WEEK = re.compile(
    r"(?P<n>\d+|[a-z]+)\s*(?:x|times?|days?|nights?|evenings?)?\s*(?:/|a|per|each)?\s*(?:week|wk)"
)
_EVERY_N_DAYS = re.compile(r"every (?P<n>\d+|other) days?")


@dataclass(frozen=True)
class _Rule:
    """The accepted subset of an RRULE, already normalised."""

    freq: str  # "DAILY" or "WEEKLY"
    interval: int = 1
    days: tuple[int, ...] = ()  # weekdays, Monday 0; WEEKLY only; () = the first day's weekday
    wkst: int = 0  # only kept where it changes the result: WEEKLY with INTERVAL > 1

    def body(self) -> str:
        parts = [f"FREQ={self.freq}"]
        if self.interval > 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.days:
            parts.append("BYDAY=" + ",".join(DAY_CODES[d] for d in self.days))
        if self.wkst:
            parts.append(f"WKST={DAY_CODES[self.wkst]}")
        return ";".join(parts)


def _invalid(problem: str) -> InvalidInput:
    return InvalidInput(f"{problem}. {HELP}", field="schedule", code="invalid_schedule")


def _normalised(freq: str, interval: int, days: tuple[int, ...], wkst: int) -> _Rule:
    """Return the one spelling of a rule, so equal schedules compare equal."""
    days = tuple(sorted(set(days)))
    if freq == "DAILY" and days:
        if interval > 1:
            raise _invalid("every N days cannot be limited to some weekdays")
        freq = "WEEKLY"  # FREQ=DAILY;BYDAY=MO,WE is the same as FREQ=WEEKLY;BYDAY=MO,WE
    if freq == "WEEKLY" and interval == 1 and days == ALL_DAYS:
        return _Rule("DAILY")
    if freq == "DAILY" or interval == 1:
        wkst = 0  # the week start only shifts which weeks count when skipping weeks
    return _Rule(freq, interval, days, wkst)


def _day_code(value: str) -> int:
    if value not in DAY_CODES:
        raise _invalid(f"'{value}' is not a day; use MO, TU, WE, TH, FR, SA or SU")
    return DAY_CODES.index(value)


def _parse_rrule(body: str) -> _Rule:
    fields: dict[str, str] = {}
    for part in body.split(";"):
        if not part.strip():
            continue
        key, sep, value = (s.strip() for s in part.partition("="))
        if not sep or not key or not value:
            raise _invalid(f"'{part.strip()}' is not KEY=VALUE")
        if key in fields:
            raise _invalid(f"{key} appears twice")
        fields[key] = value
    if {"COUNT", "UNTIL"} & fields.keys():
        raise _invalid("the plan sets its own first and last day, so leave out COUNT and UNTIL")
    if {"BYHOUR", "BYMINUTE", "BYSECOND"} & fields.keys():
        raise _invalid("the plan sets its own time of day, so leave out BYHOUR/BYMINUTE/BYSECOND")
    unknown = fields.keys() - {"FREQ", "INTERVAL", "BYDAY", "WKST"}
    if unknown:
        raise _invalid(f"{', '.join(sorted(unknown))} is not supported")
    freq = fields.get("FREQ")
    if freq in {"HOURLY", "MINUTELY", "SECONDLY"}:
        raise _invalid(f"FREQ={freq} is too often: at most once a day per plan")
    if freq not in {"DAILY", "WEEKLY"}:
        raise _invalid("FREQ must be DAILY or WEEKLY" if freq else "FREQ is missing")
    raw_interval = fields.get("INTERVAL", "1")
    if not raw_interval.isdigit() or not 1 <= int(raw_interval) <= MAX_INTERVAL:
        raise _invalid(f"INTERVAL must be a whole number from 1 to {MAX_INTERVAL}")
    days = (
        tuple(_day_code(v.strip()) for v in fields["BYDAY"].split(",")) if "BYDAY" in fields else ()
    )
    return _normalised(freq, int(raw_interval), days, _day_code(fields.get("WKST", "MO")))


def _parse_phrase(phrase: str) -> _Rule | None:
    if phrase in _EVERY_DAY:
        return _Rule("DAILY")
    if every := _EVERY_N_DAYS.fullmatch(phrase):
        n = every["n"]
        interval = 2 if n == "other" else int(n)
        if not 1 <= interval <= MAX_INTERVAL:
            raise _invalid(f"every N days needs N from 1 to {MAX_INTERVAL}")
        return _Rule("DAILY", interval)
    if per_week := _PER_WEEK.fullmatch(phrase):
        n = per_week["n"]
        count = int(n) if n.isdigit() else _COUNTS.get(n)
        if count is None:
            return None
        if count not in TIMES_A_WEEK:
            raise _invalid("N times a week needs N from 1 to 7 (at most once a day per plan)")
        return _normalised("WEEKLY", 1, TIMES_A_WEEK[count], 0)
    words = [w for w in re.split(r"[\s,/&+]+", phrase) if w and w not in _FILLER]
    if not words or any(w not in _DAY_WORDS for w in words):
        return None
    return _normalised("WEEKLY", 1, tuple(d for w in words for d in _DAY_WORDS[w]), 0)


def _to_rule(text: str) -> _Rule:
    cleaned = text.strip()
    if not cleaned:
        raise _invalid("the schedule is empty")
    if len(cleaned) > 200:
        raise _invalid("the schedule is longer than 200 characters")
    upper = cleaned.upper()
    if "DTSTART" in upper:
        raise _invalid("the plan sets its own first day, so leave out DTSTART")
    if "\n" in cleaned:
        raise _invalid("give one rule on one line")
    if upper.startswith("RRULE:") or "=" in upper:
        return _parse_rrule(upper.removeprefix("RRULE:"))
    rule = _parse_phrase(" ".join(cleaned.lower().split()))
    if rule is None:
        raise _invalid(f"'{cleaned}' is not a schedule EaseIn understands")
    return rule


def parse_schedule(text: str) -> str:
    """Return the normalised RRULE body for a phrase ("mon,wed,fri") or an RRULE."""
    return _to_rule(text).body()


def localise(wall: datetime, tz: ZoneInfo) -> datetime:
    """Return the UTC instant of the naive local wall time `wall` in `tz`.

    fold=0 settles both DST edge cases. When the clocks go back, the wall time
    happens twice and fold=0 takes the first. When they go forward, the wall
    time does not exist; fold=0 reads it with the offset in force before the
    change, so the UTC round trip moves it later by the size of the gap (02:30
    on Berlin's spring-forward day becomes 03:30 CEST). A session moves forward;
    it is never dropped or moved back into the previous hour.
    """
    return wall.replace(tzinfo=tz, fold=0).astimezone(UTC)


def require_aware(value: datetime, name: str) -> None:
    """Refuse a naive datetime: every instant in the domain is aware."""
    if value.utcoffset() is None:
        raise InvalidInput(
            f"{name} must carry a time zone (UTC)", field=name, code="naive_datetime"
        )


def _days(rule: _Rule, starts_on: date, first: date, last: date) -> list[date]:
    """Return the plan's local days in [first, last]."""
    period = rule.interval * (7 if rule.freq == "WEEKLY" else 1)
    # rrule.between() still walks every period from dtstart, so ten years of a
    # daily plan cost ten years of steps. Moving dtstart forward by whole
    # periods keeps INTERVAL's rhythm and the WKST-aligned weeks, and leaves
    # at most one period to walk before `first`.
    skipped = max(0, (first - starts_on).days // period)
    anchor = starts_on + timedelta(days=skipped * period)
    if rule.freq == "DAILY":
        # Every INTERVAL days from the anchor: plain date arithmetic, ten times
        # faster than the generator for the statistics of years of nightly plans.
        step = timedelta(days=rule.interval)
        day = anchor
        while day < first:
            day += step
        daily: list[date] = []
        while day <= last:
            daily.append(day)
            day += step
        return daily
    # RFC 5545's default week start is Monday; dateutil would read the
    # process-wide calendar.firstweekday() instead, so pass it explicitly.
    days = rule.days or ((starts_on.weekday(),) if rule.freq == "WEEKLY" else None)
    generator = _rrule.rrule(
        _rrule.WEEKLY if rule.freq == "WEEKLY" else _rrule.DAILY,
        dtstart=datetime.combine(anchor, time.min),
        interval=rule.interval,
        byweekday=days,
        wkst=rule.wkst,
    )
    found: list[datetime] = generator.between(
        datetime.combine(first, time.min), datetime.combine(last, time.min), inc=True
    )
    return [moment.date() for moment in found]


def occurrences(plan: Plan, tz: ZoneInfo, start: datetime, end: datetime) -> list[datetime]:
    """Return the UTC instants of the plan's occurrences in [start, end)."""
    require_aware(start, "start")
    require_aware(end, "end")
    if plan.at.tzinfo is not None:
        raise InvalidInput("the plan's time is a local wall-clock time", field="at", code="aware")
    rule = _to_rule(plan.rrule)
    # dateutil only picks the local days; the wall time is attached afterwards,
    # so the generator never sees a time of day that a DST change could skip.
    # A UTC instant and its local wall time are less than a day apart (offsets
    # run from -12 to +14 hours, and a DST gap moves a time by a few hours at
    # most): a day of margin each side, then the exact bounds in UTC.
    first = max(plan.starts_on, start.astimezone(tz).date() - timedelta(days=1))
    last = end.astimezone(tz).date() + timedelta(days=1)
    if plan.ended_on is not None:
        last = min(last, plan.ended_on)
    if end <= start or last < first:
        return []
    found: list[datetime] = []
    for day in _days(rule, plan.starts_on, first, last):
        instant = localise(datetime.combine(day, plan.at), tz)
        # `instant > found[-1]`: where a zone skipped a whole day (Samoa, 30 Dec
        # 2011) that day's time lands on the next day's; keep one of the two.
        if start <= instant < end and (not found or instant > found[-1]):
            found.append(instant)
    return found
