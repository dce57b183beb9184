"""Statistics: weeks, trends, earned size over time, adherence and habit strength."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeVar

from sqlalchemy import select

from easein.domain import adherence
from easein.domain.clock import day_start
from easein.domain.excused import excused_intervals
from easein.domain.stats import Point, Trend, Week, earned_by_day, trend
from easein.services.app import App
from easein.services.plans import load_plans
from easein.services.profile import Profile
from easein.services.state import clearance_times, current_state, current_summary
from easein.services.training import load_conditions
from easein.store.codec import Context
from easein.store.models import SessionRow

TREND_DAYS = 28

T = TypeVar("T")


@dataclass(frozen=True)
class Stats:
    weeks: list[Week]
    trend: Trend
    earned: list[tuple[date, float | None]]
    adherence: adherence.Summary | None
    sessions: int
    wear_hours: float


def load_points(app: App, profile: Profile, since: datetime | None = None) -> list[Point]:
    """Return the statistics facts of every session (one query, one decode per row)."""
    query = select(
        SessionRow.id,
        SessionRow.kind,
        SessionRow.started_at,
        SessionRow.duration_s,
        SessionRow.recorded_at,
        SessionRow.payload,
    ).where(SessionRow.person_id == profile.person_id)
    if since is not None:
        query = query.where(SessionRow.started_at >= since)
    query = query.order_by(SessionRow.started_at)
    owner = profile.person_id
    decode = app.codec.decode
    points = []
    with app.db.reading() as db:
        for row_id, kind, started, duration_s, recorded, payload in db.execute(query):
            d = decode(payload, Context("sessions", owner, row_id))
            points.append(
                Point(
                    kind,
                    started,
                    duration_s,
                    d["pain"],
                    d.get("comfort"),
                    d["reached_mm"],
                    d["bleeding"],
                    d["sharp"],
                    d.get("colour"),
                    recorded,
                )
            )
    return points


def _as_of_minute(profile: Profile, now: datetime) -> tuple[object, ...] | None:
    """Return the memo version for results that depend on the data and the clock's minute."""
    if profile.version is None:
        return None
    return (*profile.version, now.replace(second=0, microsecond=0))


def stats(app: App, profile: Profile) -> Stats:
    """Return the full statistics over the whole history, as of this minute.

    The totals come from the summary kept up to date on write; only the trend
    reads sessions, and only its recent window. The result is reused within the
    same minute while the person's data is unchanged (any write shows at once).
    """
    now = app.now()
    return app.memo.get(
        "stats", profile.person_id, _as_of_minute(profile, now), lambda: _stats(app, profile, now)
    )


def rendered(app: App, profile: Profile, name: str, render: Callable[[Stats], T]) -> T:
    """Return `render(stats)`, reused as long as the statistics it renders are.

    For interfaces whose presentation of the statistics costs more than reading
    them (the API's JSON of ten years of weeks, say).
    """
    version = _as_of_minute(profile, app.now())
    return app.memo.get(
        f"stats:{name}", profile.person_id, version, lambda: render(stats(app, profile))
    )


def _stats(app: App, profile: Profile, now: datetime) -> Stats:
    tz = profile.tz
    training = current_state(app, profile)
    summary = current_summary(app, profile)
    recent = load_points(app, profile, since=now - timedelta(days=2 * TREND_DAYS))
    with app.db.reading() as db:
        plans = load_plans(db, app, profile.person_id)
        conditions = load_conditions(db, app, profile.person_id)
        clearances = clearance_times(db, profile.person_id)
    result = None
    if plans:
        first = min(p.starts_on for p in plans)
        start = datetime.combine(first, datetime.min.time(), tzinfo=tz)
        excused = excused_intervals(summary, clearances, conditions)
        result = adherence.summarise_days(plans, summary.day_counts(), excused, tz, start, now)
    return Stats(
        weeks=summary.week_list(),
        trend=trend(recent, now, TREND_DAYS),
        earned=earned_by_day(training.sizes, tz),
        adherence=result,
        sessions=summary.sessions,
        wear_hours=round(summary.wear_s / 3600, 1),
    )


def adherence_days(
    app: App, profile: Profile, *, days: int = 84
) -> tuple[adherence.Occurrence, ...]:
    """Return each planned occurrence of the last `days` local days (to today), classified.

    Reused within the same minute while the person's data is unchanged.
    """
    now = app.now()
    version = _as_of_minute(profile, now)
    return app.memo.get(
        f"adherence_days:{days}",
        profile.person_id,
        version,
        lambda: _adherence_days(app, profile, days, now),
    )


def _adherence_days(
    app: App, profile: Profile, days: int, now: datetime
) -> tuple[adherence.Occurrence, ...]:
    tz = profile.tz
    summary = current_summary(app, profile)
    with app.db.reading() as db:
        plans = load_plans(db, app, profile.person_id)
        conditions = load_conditions(db, app, profile.person_id)
        clearances = clearance_times(db, profile.person_id)
    if not plans:
        return ()
    first = now.astimezone(tz).date() - timedelta(days=days - 1)
    start = day_start(max(first, min(p.starts_on for p in plans)), tz)
    excused = excused_intervals(summary, clearances, conditions)
    return tuple(adherence.evaluate_days(plans, summary.day_counts(), excused, tz, start, now))
