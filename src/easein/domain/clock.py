"""Reading the times people type, in their own time zone (no clock reads here)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from easein.domain.errors import InvalidInput

_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


def to_utc(local: datetime, tz: ZoneInfo) -> datetime:
    """Return the UTC moment of naive wall-clock time `local` in `tz`.

    A wall time in a spring-forward gap moves forward by the gap; an ambiguous
    one in the autumn fold takes its first occurrence (fold=0).
    """
    aware = local.replace(tzinfo=tz, fold=0)
    return aware.astimezone(UTC)


def parse_local_datetime(text: str, tz: ZoneInfo, *, today: date, field: str = "at") -> datetime:
    """Return the UTC moment of `YYYY-MM-DD HH:MM` (or `HH:MM` for today) in `tz`."""
    raw = text.strip()
    for fmt in _FORMATS:
        try:
            return to_utc(datetime.strptime(raw, fmt), tz)
        except ValueError:
            continue
    try:
        clock = time.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(
            f"{field}: {text!r} is not a time; write it like 2026-03-01 21:30 or 21:30",
            field=field,
            code="invalid_datetime",
        ) from None
    return to_utc(datetime.combine(today, clock), tz)


def parse_date(text: str, *, field: str) -> date:
    """Return the date `YYYY-MM-DD`."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            f"{field}: {text!r} is not a date; write it like 2026-03-01",
            field=field,
            code="invalid_date",
        ) from None


EARLIEST = date(1970, 1, 1)
LATEST = date(2999, 12, 31)


def check_day(day: date, *, field: str) -> date:
    """Refuse a day outside the years a training log can hold (1970-2999)."""
    if not EARLIEST <= day <= LATEST:
        raise InvalidInput(
            f"{field}: {day.isoformat()} is outside 1970-01-01..2999-12-31",
            field=field,
            code="out_of_range",
        )
    return day


def day_start(day: date, tz: ZoneInfo, *, field: str = "from") -> datetime:
    """Return the UTC moment a local day starts."""
    return to_utc(datetime.combine(check_day(day, field=field), time()), tz)


def day_end(day: date, tz: ZoneInfo, *, field: str = "to") -> datetime:
    """Return the UTC moment a local day ends (the next day's start)."""
    return day_start(check_day(day, field=field) + timedelta(days=1), tz, field=field)
