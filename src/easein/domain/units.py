"""Sizes and durations: parsing what people type and showing it in their unit.

Sizes are stored in millimetres (diameter). People type `32mm`, `3.2cm`,
`1.25in` or `1.25"`; a circumference is turned into a diameter (d = c / pi).
"""

from __future__ import annotations

import math
import re
from datetime import timedelta
from enum import StrEnum

from easein.domain.errors import InvalidInput

MM_PER_UNIT = {"mm": 1.0, "cm": 10.0, "in": 25.4, '"': 25.4, "inch": 25.4, "inches": 25.4}
MAX_DIAMETER_MM = 200.0
MAX_LENGTH_MM = 1000.0

_SIZE = re.compile(r"^\s*(?P<num>[-+]?\d+(?:[.,]\d+)?|[.,]\d+)\s*(?P<unit>[a-zA-Z\"]*)\s*$")
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(min|h|m|s)", re.IGNORECASE)


class Units(StrEnum):
    """The unit a person prefers to see sizes in."""

    MM = "mm"
    IN = "in"


def parse_units(text: str) -> Units:
    """Return the display unit named by `text` (`mm` or `in`)."""
    try:
        return Units(text.strip().lower())
    except ValueError:
        raise InvalidInput(
            f"unknown unit {text!r}: use mm or in", field="units", code="unknown_unit"
        ) from None


def parse_size(text: str, *, field: str = "size", default_unit: Units | None = None) -> float:
    """Return the size in millimetres that `text` names, e.g. `32mm`, `3.2cm`, `1.25in`.

    A bare number takes `default_unit`; without one, the unit is required.
    """
    match = _SIZE.match(str(text))
    if not match:
        raise InvalidInput(
            f"{field}: {text!r} is not a size; write it like 32mm, 3.2cm or 1.25in",
            field=field,
            code="invalid_size",
        )
    number = float(match["num"].replace(",", "."))
    unit = match["unit"].lower()
    if not unit:
        if default_unit is None:
            raise InvalidInput(
                f"{field}: {text!r} has no unit; write it like 32mm, 3.2cm or 1.25in",
                field=field,
                code="unknown_unit",
            )
        unit = default_unit.value
    if unit not in MM_PER_UNIT:
        raise InvalidInput(
            f"{field}: unknown unit {match['unit']!r}; use mm, cm or in",
            field=field,
            code="unknown_unit",
        )
    return number * MM_PER_UNIT[unit]


def check_diameter(mm: float, *, field: str = "diameter") -> float:
    """Return `mm` rounded to 0.1 mm if it is a plausible diameter, else raise."""
    if not math.isfinite(mm) or round(mm, 1) <= 0:
        raise InvalidInput(f"{field} must be at least 0.1 mm", field=field, code="out_of_range")
    if mm > MAX_DIAMETER_MM:
        raise InvalidInput(
            f"{field} must be at most {MAX_DIAMETER_MM:g} mm", field=field, code="out_of_range"
        )
    return round(mm, 1)


def check_length(mm: float, *, field: str = "length") -> float:
    """Return `mm` rounded to 0.1 mm if it is a plausible insertable length, else raise."""
    if not math.isfinite(mm) or round(mm, 1) <= 0:
        raise InvalidInput(f"{field} must be at least 0.1 mm", field=field, code="out_of_range")
    if mm > MAX_LENGTH_MM:
        raise InvalidInput(
            f"{field} must be at most {MAX_LENGTH_MM:g} mm", field=field, code="out_of_range"
        )
    return round(mm, 1)


def diameter_from_circumference(circumference_mm: float) -> float:
    """Return the diameter of a round item with this circumference."""
    return circumference_mm / math.pi


def format_size(mm: float, units: Units | str = Units.MM) -> str:
    """Return `mm` as people read it: `32 mm` or `1.26 in`."""
    if Units(units) is Units.IN:
        return f"{mm / 25.4:.2f} in"
    return f"{mm:g} mm" if mm == int(mm) else f"{mm:.1f} mm"


def format_circumference(mm: float, units: Units | str = Units.MM) -> str:
    """Return the circumference of a round item of diameter `mm`, in `units`."""
    return format_size(round(mm * math.pi, 1), units)


def parse_duration(text: str, *, field: str = "duration") -> timedelta:
    """Return the duration `text` names: `20m`, `2h`, `1h30m`, `90` (minutes), `45s`."""
    raw = str(text).strip().lower().replace(" ", "")
    if re.fullmatch(r"\d+", raw):
        result = timedelta(minutes=int(raw))
    else:
        pos = 0
        total = 0.0
        for part in _DURATION_PART.finditer(raw):
            if part.start() != pos:
                break
            value, unit = float(part[1]), part[2]
            total += value * {"h": 3600, "m": 60, "min": 60, "s": 1}[unit]
            pos = part.end()
        if pos != len(raw) or not raw:
            raise InvalidInput(
                f"{field}: {text!r} is not a duration; write it like 20m, 2h or 1h30m",
                field=field,
                code="invalid_duration",
            )
        result = timedelta(seconds=round(total))
    return check_duration(result, field=field)


def check_duration(value: timedelta, *, field: str = "duration") -> timedelta:
    """Return `value` if it is a plausible session length (over 0, at most 24 h)."""
    if value <= timedelta(0):
        raise InvalidInput(f"{field} must be longer than 0", field=field, code="out_of_range")
    if value > timedelta(hours=24):
        raise InvalidInput(f"{field} must be at most 24h", field=field, code="out_of_range")
    return value


def format_duration(value: timedelta) -> str:
    """Return `value` as `1h30m`, `20m` or `45s`."""
    seconds = int(value.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(f"{hours}h")
    if minutes:
        parts.append(f"{minutes}m")
    if secs and not hours:
        parts.append(f"{secs}s")
    return "".join(parts) or "0m"
