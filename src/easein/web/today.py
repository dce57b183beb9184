"""Today: the safety state in plain words, what to do next, today's plan, one tap to log."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from easein.domain.clock import day_start
from easein.domain.errors import EaseInError, NotFound
from easein.domain.safety import ConditionKind, State
from easein.domain.schedule import occurrences
from easein.services import plans as plan_service
from easein.services import training
from easein.services.accounts import Principal
from easein.services.app import App
from easein.services.together import today as together_today
from easein.web import forms
from easein.web.auth import Core, Form, Poster, Viewer
from easein.web.render import page

router = APIRouter(include_in_schema=False)

STATE_TITLES = {
    "ready": "Ready to train",
    "rest": "Resting",
    "paused": "Paused",
    "medical_hold": "See a doctor first",
}
ACTION_TITLES = {
    "advance": "Move up one size",
    "hold": "Stay at this size",
    "step_back": "Step back one size",
    "none": "No training for now",
}


def todays_plans(app: App, who: Principal) -> list[dict[str, Any]]:
    """Return today's planned sessions on the viewer's clock, earliest first."""
    tz = who.profile.tz
    today = app.now().astimezone(tz).date()
    start, end = day_start(today, tz), day_start(today + timedelta(days=1), tz)
    found = []
    for plan in plan_service.list_plans(app, who.profile):
        for at in occurrences(plan, tz, start, end):
            found.append({"plan": plan, "at": at, "minutes": plan.duration.total_seconds() // 60})
    return sorted(found, key=lambda p: p["at"])


def today_context(app: App, who: Principal, *, logged: int | None = None) -> dict[str, Any]:
    """Return what Today shows, with as few reads as the page allows (it is the hot page)."""
    result = training.status(app, who.profile)
    state = result.safety.state
    last = training.last_session(app, who.profile)
    saved = None
    if logged:
        try:
            saved = training.get_session(app, who.profile, logged)
        except NotFound:
            saved = None
    names = {t.id: t for rung in result.ladder.rungs for t in rung.items}
    if last and last.reached_item_id not in names:  # retired since, say
        names = training.item_names(app, who.profile)
    # An active condition always means paused (or a medical hold, which outranks it).
    conditions = (
        training.list_conditions(app, who.profile, active_only=True)
        if state in (State.PAUSED, State.MEDICAL_HOLD)
        else []
    )
    return {
        "status": result,
        "state_title": STATE_TITLES[state.value],
        "action_title": ACTION_TITLES[result.recommendation.action.value],
        "plans": todays_plans(app, who),
        "last": last,
        "names": names,
        "conditions": conditions,
        "condition_kinds": [k.value for k in ConditionKind],
        "saved": saved,
        "has_items": bool(result.ladder.rungs),
        # A partner's directives due today (training together): one call, nothing when not
        # paired.
        "directives": together_today.today(app, who.profile),
        "local_now": app.now().astimezone(who.profile.tz),
    }


@router.get("/", response_class=HTMLResponse)
def today(request: Request, app: Core, who: Viewer, logged: str = "") -> Response:
    context = today_context(app, who, logged=forms.query_int(logged, 0) or None)
    return page(request, "today.html", context, who=who)


def _again(request: Request, app: App, who: Principal, error: EaseInError, form: Any) -> Response:
    context = today_context(app, who)
    context.update(errors=forms.errors_of(error), values=forms.values_of(form))
    return page(request, "today.html", context, who=who, status=422)


@router.post("/cleared")
def cleared(request: Request, app: Core, who: Poster, form: Form) -> Response:
    """Lift a medical hold: only with the explicit confirmation, which is recorded."""
    try:
        training.clear_medical_hold(
            app,
            who.profile,
            confirmed=forms.checkbox(form, "confirm"),
            statement=forms.text(form, "statement")[:2000],
        )
    except EaseInError as error:
        return _again(request, app, who, error, form)
    return RedirectResponse("/", status_code=303)


@router.post("/conditions")
def set_condition(request: Request, app: Core, who: Poster, form: Form) -> Response:
    """Pause training while a condition lasts."""
    try:
        kind = training.parse_condition_kind(forms.text(form, "condition"))
        training.set_condition(app, who.profile, kind, forms.text(form, "note"))
    except EaseInError as error:
        return _again(request, app, who, error, form)
    return RedirectResponse("/", status_code=303)


@router.post("/conditions/{condition}/clear")
def clear_condition(
    condition: str, request: Request, app: Core, who: Poster, form: Form
) -> Response:
    """Mark a condition as better."""
    try:
        training.clear_condition(app, who.profile, training.parse_condition_kind(condition))
    except EaseInError as error:
        return _again(request, app, who, error, form)
    return RedirectResponse("/", status_code=303)
