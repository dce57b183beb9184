"""The long-wear timer: the server keeps it (services.wear_timers), so it survives closing
the page, shows on any device, and tells the person once when the planned time is up.
Stop turns it into a log form filled in with the wear time.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from easein.domain.errors import EaseInError, InvalidInput
from easein.domain.units import check_duration
from easein.services import training, wear_timers
from easein.services.accounts import Principal
from easein.services.app import App
from easein.services.wear_timers import RunningTimer
from easein.web import forms
from easein.web.auth import Core, Form, Poster, Viewer
from easein.web.render import page
from easein.web.today import STATE_TITLES

router = APIRouter(include_in_schema=False)

CHECK_INS = (
    (30, "Every 30 minutes"),
    (60, "Every hour"),
    (120, "Every 2 hours"),
    (0, "No check-ins"),
)
PLANNED = (
    (15, "15 minutes"),
    (30, "30 minutes"),
    (60, "1 hour"),
    (120, "2 hours"),
    (240, "4 hours"),
    (480, "8 hours"),
    (0, "No set time"),
)
DEFAULT_PLANNED, DEFAULT_CHECKIN = 60, 60


def parse_since(text: str | None) -> datetime | None:
    """Return a timer's start (aware UTC) from its ISO text, or None if there is none."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def wear_context(
    app: App, who: Principal, timer: RunningTimer | None, chosen: list[str] | None = None
) -> dict[str, Any]:
    status = training.status(app, who.profile)
    items = [t for rung in status.ladder.rungs for t in rung.items]
    rec = status.recommendation.item
    if timer is not None:
        chosen = [str(i) for i in timer.items]
    return {
        "status": status,
        "state_title": STATE_TITLES[status.safety.state.value],
        "now": app.now(),
        "timer": timer,
        "planned_minutes": (
            None
            if timer is None or timer.planned is None
            else int(timer.planned.total_seconds()) // 60
        ),
        "items": items,
        "chosen": chosen or ([str(rec.id)] if rec else []),
        "names": {str(t.id): t.name for t in items},
        "checkin": timer.checkin_minutes if timer is not None else DEFAULT_CHECKIN,
        "check_ins": CHECK_INS,
        "planned": DEFAULT_PLANNED,
        "planned_choices": PLANNED,
    }


@router.get("/wear", response_class=HTMLResponse)
def wear(request: Request, app: Core, who: Viewer) -> Response:
    timer = wear_timers.running(app, who.profile.person_id)
    chosen = [str(i) for i in request.query_params.getlist("item")]
    return page(request, "wear.html", wear_context(app, who, timer, chosen), who=who)


@router.get("/wear/start")
def start_link(request: Request) -> Response:
    """An old link or bookmark: starting writes, so it is a form (POST) now; show the page."""
    return RedirectResponse("/wear", status_code=303)


@router.post("/wear/start", response_class=HTMLResponse)
def start(request: Request, app: Core, who: Poster, form: Form) -> Response:
    """Start the timer now, on the server's clock, and show it running."""
    try:
        planned = forms.integer(form, "planned", label="Planned time")
        checkin = forms.integer(form, "checkin", label="Check in")
        wear_timers.start(
            app,
            who.profile,
            items=forms.ids(form, "item"),
            planned_minutes=planned or None,  # 0: no set time
            checkin_minutes=checkin if checkin is not None else DEFAULT_CHECKIN,
        )
    except EaseInError as error:
        context = wear_context(app, who, None, [str(i) for i in form.getlist("item")])
        context["errors"] = forms.errors_of(error)
        return page(request, "wear.html", context, who=who, status=422)
    return RedirectResponse("/wear", status_code=303)


@router.post("/wear/stop", response_class=HTMLResponse)
def stop(request: Request, app: Core, who: Poster, form: Form) -> Response:
    """Stop the timer: open the log form with kind wear, the start and the minutes worn.

    A page opened before the server kept timers posts only `since`: that still works.
    """
    timer_id = forms.integer(form, "timer")
    ended = wear_timers.stop(app, who.profile.person_id, timer_id)
    started = ended.started_at if ended is not None else parse_since(forms.text(form, "since"))
    try:
        if started is None:
            raise InvalidInput("the timer's start time is missing: start it again", field="since")
        worn = check_duration(app.now() - started, field="wear time")
    except EaseInError as error:
        context = wear_context(app, who, None)
        context["errors"] = forms.errors_of(error)
        return page(request, "wear.html", context, who=who, status=422)
    minutes = wear_timers.worn_minutes(worn)
    items = [str(i) for i in ended.items] if ended is not None else form.getlist("item")
    query = [("kind", "wear"), ("duration", str(minutes)), ("started", started.isoformat())]
    query += [("item", str(i)) for i in items]
    return RedirectResponse("/log?" + urlencode(query), status_code=303)


@router.post("/wear/forget")
def forget(app: Core, who: Poster, form: Form) -> Response:
    """End the running timer and log nothing."""
    wear_timers.stop(app, who.profile.person_id, forms.integer(form, "timer"))
    return RedirectResponse("/wear", status_code=303)
