"""Progress: earned size, pain and comfort, wear hours, adherence, and the distance to go."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from easein.domain.adherence import Occurrence, Status
from easein.services import goals as goal_service
from easein.services import stats as stats_service
from easein.services import training
from easein.web import charts, goals
from easein.web.auth import Core, Viewer
from easein.web.render import page

router = APIRouter(include_in_schema=False)
router.include_router(goals.router)  # the goal form lives under /progress/goal

CALENDAR_WEEKS = 12
# A day with several planned sessions shows its most telling status.
_DAY_ORDER = (Status.MISSED, Status.DUE, Status.DONE, Status.EXCUSED)
DAY_WORDS = {
    Status.DONE: "done",
    Status.MISSED: "missed",
    Status.EXCUSED: "rest (excused)",
    Status.DUE: "due today",
}


def calendar(occurrences: Sequence[Occurrence], today: date) -> list[dict[str, Any]]:
    """Return the last weeks as rows of seven days (Monday first), each with its status.

    Presentation only: the statuses are the domain's; a day takes the most
    telling one of its occurrences, and a day without a plan has none.
    """
    by_day: dict[date, list[Status]] = {}
    for o in occurrences:
        by_day.setdefault(o.local_day, []).append(o.status)
    first = today - timedelta(days=today.weekday() + 7 * (CALENDAR_WEEKS - 1))
    weeks = []
    for w in range(CALENDAR_WEEKS):
        monday = first + timedelta(days=7 * w)
        days = []
        for d in range(7):
            day = monday + timedelta(days=d)
            found = by_day.get(day, [])
            status = next((s for s in _DAY_ORDER if s in found), None)
            days.append(
                {
                    "day": day,
                    "future": day > today,
                    "status": status.value if status else "",
                    "words": DAY_WORDS.get(status, "no plan") if status else "no plan",
                }
            )
        weeks.append({"monday": monday, "days": days})
    return weeks


def _adherence_days(app: Core, who: Viewer) -> list[Occurrence]:
    # The per-day classification is the domain's (adherence.evaluate_days), via a service.
    return stats_service.adherence_days(app, who.profile, days=7 * CALENDAR_WEEKS)


@router.get("/progress", response_class=HTMLResponse)
def progress(request: Request, app: Core, who: Viewer, saved: str = "") -> Response:
    result = stats_service.stats(app, who.profile)
    status = training.status(app, who.profile)
    ladder = status.ladder
    largest = ladder.rungs[-1] if ladder.rungs else None
    earned_mm = status.training.earned_mm
    today = app.now().astimezone(who.profile.tz).date()
    occurrences = _adherence_days(app, who)
    context = {
        "stats": result,
        "weeks": charts._recent(result.weeks),
        "earned_mm": earned_mm,
        "largest": largest,
        "to_go": None if largest is None or earned_mm is None else largest.diameter_mm - earned_mm,
        "calendar": None if occurrences is None else calendar(occurrences, today),
        "has_wear": any(w.wear for w in result.weeks),
        "goal": goal_service.goal_view(app, who.profile, status),
        "saved": {"goal": "Goal saved.", "goal-cleared": "Goal cleared."}.get(saved),
    }
    return page(request, "progress.html", context, who=who)


@router.get("/progress/{name}.svg")
def chart(name: str, app: Core, who: Viewer) -> Response:
    result = stats_service.stats(app, who.profile)
    if name == "earned":
        today = app.now().astimezone(who.profile.tz).date()
        svg = charts.earned_chart(result.earned, today, who.profile.units)
    elif name == "pain":
        svg = charts.pain_comfort_chart(result.weeks)
    elif name == "wear":
        svg = charts.wear_chart(result.weeks)
    else:
        raise HTTPException(404, "no such chart")
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "no-store"})
