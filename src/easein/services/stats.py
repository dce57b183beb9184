"""Statistics: weeks, trends, earned size over time, adherence and habit strength."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from easein.domain import adherence
from easein.domain.excused import excused_intervals
from easein.domain.sessions import SessionKind
from easein.domain.stats import Point, Trend, Week, earned_by_day, trend, weekly
from easein.services.app import App
from easein.services.plans import load_plans
from easein.services.profile import Profile
from easein.services.state import clearance_times, current_state
from easein.services.training import load_conditions
from easein.store.codec import Context
from easein.store.models import SessionRow


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
        SessionRow.kind,
        SessionRow.started_at,
        SessionRow.duration_s,
        SessionRow.recorded_at,
        SessionRow.payload,
    ).where(SessionRow.person_id == profile.person_id)
    if since is not None:
        query = query.where(SessionRow.started_at >= since)
    query = query.order_by(SessionRow.started_at)
    ctx = Context("sessions", profile.person_id)
    decode = app.codec.decode
    points = []
    with app.db.reading() as db:
        for kind, started, duration_s, recorded, payload in db.execute(query):
            d = decode(payload, ctx)
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


def stats(app: App, profile: Profile) -> Stats:
    """Return the full statistics over the whole history."""
    tz = profile.tz
    now = app.now()
    points = load_points(app, profile)
    training = current_state(app, profile)
    with app.db.reading() as db:
        plans = load_plans(db, app, profile.person_id)
        conditions = load_conditions(db, app, profile.person_id)
        clearances = clearance_times(db, profile.person_id)
    summary = None
    if plans:
        first = min(p.starts_on for p in plans)
        start = datetime.combine(first, datetime.min.time(), tzinfo=tz)
        excused = excused_intervals(points, clearances, conditions, app.policy)
        # A stopped session still counts as showing up for the plan.
        done = [adherence.Done(SessionKind(p.kind), p.started_at) for p in points]
        occurrences = adherence.evaluate(plans, done, excused, tz, start, now)
        summary = adherence.summarise(occurrences)
    return Stats(
        weeks=weekly(points, tz),
        trend=trend(points, now),
        earned=earned_by_day(training.sizes, tz),
        adherence=summary,
        sessions=len(points),
        wear_hours=round(sum(p.duration_s for p in points if p.kind == "wear") / 3600, 1),
    )
