"""Statistics over the log: per-week counts and wear hours, trends, earned size over time."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo


class Point(NamedTuple):
    """The few facts of a session that statistics need (cheap to build by the thousand)."""

    kind: str
    started_at: datetime
    duration_s: int
    pain: int
    comfort: int | None
    reached_mm: float
    bleeding: str
    sharp: bool
    colour: str | None
    recorded_at: datetime


@dataclass(frozen=True)
class Week:
    """One ISO week (Monday first, in the trainee's time zone)."""

    start: date
    sessions: int
    stretch: int
    wear: int
    partnered: int
    active_minutes: float
    wear_hours: float
    avg_pain: float | None
    avg_comfort: float | None
    largest_mm: float | None
    bleeding: int


@dataclass(frozen=True)
class Trend:
    """Average pain and comfort in the last `days` against the `days` before."""

    days: int
    pain_recent: float | None
    pain_before: float | None
    comfort_recent: float | None
    comfort_before: float | None


def _mean(total: float, count: int) -> float | None:
    return round(total / count, 2) if count else None


def weekly(points: Iterable[Point], tz: ZoneInfo) -> list[Week]:
    """Return one `Week` per ISO week that has sessions, oldest first."""
    acc: dict[date, list[float]] = {}
    # per week: sessions, stretch, wear, partnered, active_s, wear_s, pain_sum,
    # pain_n, comfort_sum, comfort_n, largest, bleeding
    for p in points:
        day = p.started_at.astimezone(tz).date()
        monday = day - timedelta(days=day.weekday())
        a = acc.get(monday)
        if a is None:
            a = acc[monday] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        a[0] += 1
        if p.kind == "wear":
            a[2] += 1
            a[5] += p.duration_s
        else:
            a[1 if p.kind == "stretch" else 3] += 1
            a[4] += p.duration_s
        a[6] += p.pain
        a[7] += 1
        if p.comfort is not None:
            a[8] += p.comfort
            a[9] += 1
        a[10] = max(a[10], p.reached_mm)
        if p.bleeding != "none":
            a[11] += 1
    return [
        Week(
            start=monday,
            sessions=int(a[0]),
            stretch=int(a[1]),
            wear=int(a[2]),
            partnered=int(a[3]),
            active_minutes=round(a[4] / 60, 1),
            wear_hours=round(a[5] / 3600, 2),
            avg_pain=_mean(a[6], int(a[7])),
            avg_comfort=_mean(a[8], int(a[9])),
            largest_mm=a[10] or None,
            bleeding=int(a[11]),
        )
        for monday, a in sorted(acc.items())
    ]


def trend(points: Sequence[Point], now: datetime, days: int = 28) -> Trend:
    """Return average pain and comfort over the last `days` and the `days` before them."""
    recent_from = now - timedelta(days=days)
    before_from = recent_from - timedelta(days=days)
    sums = {"pr": [0.0, 0], "pb": [0.0, 0], "cr": [0.0, 0], "cb": [0.0, 0]}
    for p in points:
        if p.started_at >= recent_from and p.started_at <= now:
            which = "r"
        elif before_from <= p.started_at < recent_from:
            which = "b"
        else:
            continue
        sums["p" + which][0] += p.pain
        sums["p" + which][1] += 1
        if p.comfort is not None:
            sums["c" + which][0] += p.comfort
            sums["c" + which][1] += 1
    return Trend(
        days,
        _mean(sums["pr"][0], int(sums["pr"][1])),
        _mean(sums["pb"][0], int(sums["pb"][1])),
        _mean(sums["cr"][0], int(sums["cr"][1])),
        _mean(sums["cb"][0], int(sums["cb"][1])),
    )


def earned_by_day(
    sizes: Sequence[tuple[datetime, float | None]], tz: ZoneInfo
) -> list[tuple[date, float | None]]:
    """Return the earned size after each day it changed (the last change of a day wins)."""
    by_day: dict[date, float | None] = {}
    for at, mm in sizes:
        by_day[at.astimezone(tz).date()] = mm
    return sorted(by_day.items())
