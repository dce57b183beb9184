"""Statistics over the log: per-week counts and wear hours, trends, earned size over time."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from easein.domain.policy import Policy
from easein.domain.sessions import Bleeding, BloodColour, Session, SessionKind
from easein.domain.training import needs_doctor


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


def point_of(session: Session) -> Point:
    """Return the statistics facts of a logged session."""
    return Point(
        session.kind.value,
        session.started_at,
        int(session.duration.total_seconds()),
        session.pain,
        session.comfort,
        session.reached_mm,
        session.bleeding.value,
        session.sharp,
        session.colour.value if session.colour else None,
        session.logged_at,
    )


KINDS = (SessionKind.STRETCH, SessionKind.WEAR, SessionKind.PARTNERED)


class Summary:
    """Totals kept up to date on every write, so statistics never re-read years of logs.

    Per ISO week (Monday, local): sessions, stretch, wear, partnered, active
    seconds, wear seconds, pain sum and count, comfort sum and count, largest
    diameter, sessions with blood. Per local day: sessions of each kind (what
    adherence needs). And the sessions that started a rest or a medical hold.
    """

    def __init__(self) -> None:
        self.weeks: dict[str, list[float]] = {}
        self.days: dict[str, list[int]] = {}
        self.rests: list[tuple[datetime, datetime]] = []
        self.holds: list[tuple[datetime, datetime]] = []  # (started, logged)
        self.sessions = 0
        self.wear_s = 0

    @classmethod
    def of(cls, points: Iterable[Point], tz: ZoneInfo, policy: Policy) -> Summary:
        summary = cls()
        for p in points:
            summary.add(p, tz, policy)
        return summary

    def add(self, p: Point, tz: ZoneInfo, policy: Policy) -> None:
        """Count one more session."""
        day = p.started_at.astimezone(tz).date()
        monday = (day - timedelta(days=day.weekday())).isoformat()
        a = self.weeks.get(monday)
        if a is None:
            a = self.weeks[monday] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        a[0] += 1
        if p.kind == "wear":
            a[2] += 1
            a[5] += p.duration_s
            self.wear_s += p.duration_s
        else:
            a[1 if p.kind == "stretch" else 3] += 1
            a[4] += p.duration_s
        a[6] += p.pain
        a[7] += 1
        if p.comfort is not None:
            a[8] += p.comfort
            a[9] += 1
        a[10] = max(a[10], p.reached_mm)
        counts = self.days.setdefault(day.isoformat(), [0, 0, 0])
        counts[KINDS.index(SessionKind(p.kind))] += 1
        self.sessions += 1
        bleeding = Bleeding(p.bleeding)
        if bleeding is not Bleeding.NONE:
            a[11] += 1
            ended = p.started_at + timedelta(seconds=p.duration_s)
            self.rests.append((ended, ended + timedelta(days=policy.rest_days_after_spotting)))
        colour = BloodColour(p.colour) if p.colour else None
        if needs_doctor(p.pain, p.sharp, bleeding, colour, policy):
            self.holds.append((p.started_at, p.recorded_at))

    def week_list(self) -> list[Week]:
        """Return one `Week` per ISO week that has sessions, oldest first."""
        return [
            Week(
                start=date.fromisoformat(monday),
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
            for monday, a in sorted(self.weeks.items())
        ]

    def day_counts(self) -> Iterator[tuple[date, str, int]]:
        """Yield (local day, kind value, sessions) for every day and kind with sessions."""
        names = tuple(kind.value for kind in KINDS)
        for day, counts in self.days.items():
            local = date.fromisoformat(day)
            for name, count in zip(names, counts, strict=True):
                if count:
                    yield local, name, count

    def to_payload(self) -> dict[str, Any]:
        return {
            "weeks": self.weeks,
            "days": self.days,
            "rests": [[a.isoformat(), b.isoformat()] for a, b in self.rests],
            "holds": [[a.isoformat(), b.isoformat()] for a, b in self.holds],
            "sessions": self.sessions,
            "wear_s": self.wear_s,
        }

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> Summary:
        summary = cls()
        summary.weeks = data["weeks"]
        summary.days = data["days"]
        parse = datetime.fromisoformat
        summary.rests = [(parse(a), parse(b)) for a, b in data["rests"]]
        summary.holds = [(parse(a), parse(b)) for a, b in data["holds"]]
        summary.sessions = data["sessions"]
        summary.wear_s = data["wear_s"]
        return summary


def weekly(points: Iterable[Point], tz: ZoneInfo, policy: Policy) -> list[Week]:
    """Return one `Week` per ISO week that has sessions, oldest first."""
    return Summary.of(points, tz, policy).week_list()


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
