"""Plans (what to do, on which days, at what time) and the history of logged sessions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from easein.domain.errors import EaseInError, InvalidInput
from easein.domain.schedule import occurrences
from easein.domain.sessions import SessionKind
from easein.services import plans as plan_service
from easein.services import training
from easein.services.accounts import Principal
from easein.services.app import App
from easein.web import forms
from easein.web.auth import Core, Form, Poster, Viewer
from easein.web.log import KINDS
from easein.web.render import page

router = APIRouter(include_in_schema=False)

HISTORY_LIMIT = 100


def plans_context(app: App, who: Principal) -> dict[str, Any]:
    now = app.now()
    found = []
    for plan in plan_service.list_plans(app, who.profile):
        coming = occurrences(plan, who.profile.tz, now, now + timedelta(days=15))
        found.append({"plan": plan, "next": coming[0] if coming else None})
    return {
        "plans": found,
        "kinds": KINDS,
        "values": {"kind": "stretch", "schedule": "mon,wed,fri", "at": "21:00", "duration": 20},
    }


@router.get("/plans", response_class=HTMLResponse)
def plans(request: Request, app: Core, who: Viewer) -> Response:
    return page(request, "plans.html", plans_context(app, who), who=who)


@router.post("/plans", response_class=HTMLResponse)
def add_plan(request: Request, app: Core, who: Poster, form: Form) -> Response:
    try:
        minutes = forms.integer(form, "duration", required=True, label="minutes") or 0
        if not 1 <= minutes <= 1440:
            raise InvalidInput("minutes: from 1 to 1440 (24 hours)", field="duration")
        plan_service.add_plan(
            app,
            who.profile,
            name=forms.text(form, "name"),
            kind=forms.choice(form, "kind", SessionKind, SessionKind.STRETCH)
            or SessionKind.STRETCH,
            schedule=forms.text(form, "schedule"),
            at=plan_service.parse_clock(forms.text(form, "at")),
            duration=timedelta(minutes=minutes),
        )
    except EaseInError as error:
        context = plans_context(app, who)
        context.update(errors=forms.errors_of(error), values=forms.values_of(form))
        return page(request, "plans.html", context, who=who, status=422)
    return RedirectResponse("/plans", status_code=303)


@router.post("/plans/{plan_id}/end", response_class=HTMLResponse)
def end_plan(plan_id: int, request: Request, app: Core, who: Poster) -> Response:
    try:
        plan_service.end_plan(app, who.profile, str(plan_id))
    except EaseInError as error:
        context = plans_context(app, who)
        context["errors"] = forms.errors_of(error)
        return page(request, "plans.html", context, who=who, status=422)
    return RedirectResponse("/plans", status_code=303)


@router.get("/history", response_class=HTMLResponse)
def history(request: Request, app: Core, who: Viewer, kind: str = "") -> Response:
    chosen = SessionKind(kind) if kind in {k.value for k in SessionKind} else None
    sessions = training.history(app, who.profile, kind=chosen, limit=HISTORY_LIMIT)
    context = {
        "sessions": sessions,
        "names": training.item_names(app, who.profile),
        "kind": chosen.value if chosen else "",
        "kinds": KINDS,
        "limit": HISTORY_LIMIT,
    }
    return page(request, "history.html", context, who=who)
