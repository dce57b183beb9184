"""The goal form behind Progress: set, change or clear the goal (works without JavaScript)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from easein.domain.errors import EaseInError, InvalidInput
from easein.domain.goals import parse_wear_hours
from easein.domain.units import Units, parse_size
from easein.services import goals as goal_service
from easein.services.accounts import Principal
from easein.services.app import App
from easein.web import forms
from easein.web.auth import Core, Form, Poster, Viewer
from easein.web.render import page

router = APIRouter(include_in_schema=False)


def _size_text(mm: float, units: Units) -> str:
    """Return `mm` as the form shows it back: in the person's unit, without trailing zeros."""
    if units is Units.IN:
        return f"{round(mm / 25.4, 2):g}in"
    return f"{mm:g}mm"


def goal_context(app: App, who: Principal) -> dict[str, Any]:
    goal = goal_service.get_goal(app, who.profile)
    values: dict[str, Any] = {}
    if goal is not None:
        values = {
            "size": _size_text(goal.target_mm, who.profile.units),
            "wear_hours": f"{goal.wear_hours:g}" if goal.wear_hours else "",
            "note": goal.note,
        }
    return {"goal": goal, "values": values}


@router.get("/progress/goal", response_class=HTMLResponse)
def goal_page(request: Request, app: Core, who: Viewer) -> Response:
    return page(request, "goal.html", goal_context(app, who), who=who)


@router.post("/progress/goal", response_class=HTMLResponse)
def set_goal(request: Request, app: Core, who: Poster, form: Form) -> Response:
    try:
        raw_size = forms.text(form, "size")
        if not raw_size:
            raise InvalidInput(
                "size: fill this in, like 38mm or 1.5in", field="size", code="required"
            )
        raw_hours = forms.text(form, "wear_hours")
        goal_service.set_goal(
            app,
            who.profile,
            target_mm=parse_size(raw_size, field="size", default_unit=who.profile.units),
            wear_hours=parse_wear_hours(raw_hours) if raw_hours else None,
            note=forms.text(form, "note"),
        )
    except EaseInError as error:
        context = goal_context(app, who)
        context.update(errors=forms.errors_of(error), values=forms.values_of(form))
        return page(request, "goal.html", context, who=who, status=422)
    return RedirectResponse("/progress?saved=goal", status_code=303)


@router.post("/progress/goal/clear", response_class=HTMLResponse)
def clear_goal(request: Request, app: Core, who: Poster) -> Response:
    try:
        goal_service.clear_goal(app, who.profile)
    except EaseInError as error:
        context = goal_context(app, who)
        context["errors"] = forms.errors_of(error)
        return page(request, "goal.html", context, who=who, status=422)
    return RedirectResponse("/progress?saved=goal-cleared", status_code=303)
