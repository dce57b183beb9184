"""Log a session: a fast form with defaults from the last session (or from a timer)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData, QueryParams

from easein.domain.clock import parse_local_datetime
from easein.domain.errors import EaseInError, InvalidInput
from easein.domain.sessions import (
    Bleeding,
    BloodColour,
    BreathPhase,
    Outcome,
    Sensation,
    Session,
    SessionKind,
)
from easein.services import toys as toy_service
from easein.services import training
from easein.services.accounts import Principal
from easein.services.app import App
from easein.web import forms
from easein.web.auth import Core, Form, Poster, Viewer
from easein.web.render import is_htmx, page
from easein.web.today import ACTION_TITLES, STATE_TITLES

router = APIRouter(include_in_schema=False)

KINDS = [("stretch", "Stretch"), ("wear", "Long wear"), ("partnered", "With a partner")]
OUTCOMES = [("completed", "Finished"), ("stopped", "Stopped early"), ("failed", "Didn't go in")]
BLEEDING = [("none", "None"), ("spotting", "A little"), ("lasting", "More than a few minutes")]
SENSATIONS = [(s.value, s.value.replace("_", " ")) for s in Sensation]


def _minutes(duration: timedelta) -> int:
    return max(1, round(duration.total_seconds() / 60))


def defaults(app: App, who: Principal, query: QueryParams) -> dict[str, Any]:
    """Return the form's starting values: the last session's, then what a timer passed on."""
    values: dict[str, Any] = {"kind": "stretch", "item": [], "duration": 20, "lube": "yes"}
    s = training.last_session(app, who.profile)
    if s:
        values.update(
            kind=s.kind.value,
            item=[str(i) for i in s.item_ids],
            duration=_minutes(s.duration),
            breath_phase=s.breath_phase.value if s.breath_phase else "",
        )
    for name in ("kind", "duration", "outcome", "breath_phase", "relubed", "warm_up"):
        if query.get(name):
            values[name] = query[name]
    if query.getlist("item"):
        values["item"] = query.getlist("item")
    started = query.get("started")
    if started:
        try:
            moment = datetime.fromisoformat(started)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            values["at"] = moment.astimezone(who.profile.tz).strftime("%Y-%m-%dT%H:%M")
            values["from_timer"] = True
        except ValueError:
            pass
    return values


def form_context(app: App, who: Principal, values: dict[str, Any]) -> dict[str, Any]:
    toys = toy_service.list_toys(app, who.profile.person_id)
    chosen = values.get("item") or []
    return {
        "values": values,
        "chosen": {str(c) for c in (chosen if isinstance(chosen, list) else [chosen])},
        "toys": toys,
        "kinds": KINDS,
        "outcomes": OUTCOMES,
        "bleeding": BLEEDING,
        "sensations": SENSATIONS,
    }


@router.get("/log", response_class=HTMLResponse)
def log_page(request: Request, app: Core, who: Viewer) -> Response:
    context = form_context(app, who, defaults(app, who, request.query_params))
    return page(request, "log.html", context, who=who)


def draft_of(app: App, who: Principal, form: FormData) -> tuple[Session, list[int]]:
    """Return the session the form describes and its item ids (parsing only; the service checks)."""
    items = forms.ids(form, "item")
    if not items:
        raise InvalidInput("choose at least one item you used", field="item", code="required")
    minutes = forms.integer(form, "duration", required=True, label="minutes")
    assert minutes is not None
    if not 1 <= minutes <= 1440:
        raise InvalidInput("minutes: from 1 to 1440 (24 hours)", field="duration")
    length = timedelta(minutes=minutes)
    pain = forms.integer(form, "pain", required=True, label="pain")
    assert pain is not None
    at = forms.text(form, "at")
    tz = who.profile.tz
    started = (
        parse_local_datetime(at, tz, today=app.now().astimezone(tz).date())
        if at
        else training.default_start(app, length)
    )
    bleeding = forms.choice(form, "bleeding", Bleeding, Bleeding.NONE) or Bleeding.NONE
    colour = forms.choice(form, "colour", BloodColour) if bleeding is not Bleeding.NONE else None
    draft = Session(
        id=0,
        kind=forms.choice(form, "kind", SessionKind, SessionKind.STRETCH) or SessionKind.STRETCH,
        started_at=started,
        duration=length,
        item_ids=(0,),
        reached_item_id=0,
        reached_mm=0,
        pain=pain,
        sharp=forms.checkbox(form, "sharp"),
        comfort=forms.integer(form, "comfort", label="comfort"),
        pleasure=forms.integer(form, "pleasure", label="pleasure"),
        bleeding=bleeding,
        # As the API and the CLI do: blood of unstated colour is taken as bright.
        colour=colour,
        outcome=forms.choice(form, "outcome", Outcome, Outcome.COMPLETED) or Outcome.COMPLETED,
        lube=forms.tristate(form, "lube") is not False,
        relubed=forms.tristate(form, "relubed"),
        warm_up=forms.tristate(form, "warm_up"),
        breath_phase=forms.choice(form, "breath_phase", BreathPhase),
        sensations=frozenset(forms.choices(form, "sensation", Sensation)),
        orgasm=forms.tristate(form, "orgasm"),
        mess=forms.tristate(form, "mess"),
        notes=forms.text(form, "notes"),
    )
    return draft, items


@router.post("/log", response_class=HTMLResponse)
def log_session(request: Request, app: Core, who: Poster, form: Form) -> Response:
    try:
        draft, items = draft_of(app, who, form)
        saved = training.log_session(app, who.profile, draft, items)
    except EaseInError as error:
        values = forms.values_of(form)
        values["item"] = [str(i) for i in form.getlist("item")]
        values["sensation"] = [str(s) for s in form.getlist("sensation")]
        context = form_context(app, who, values)
        context["errors"] = forms.errors_of(error)
        template = "_log_form.html" if is_htmx(request) else "log.html"
        return page(request, template, context, who=who, status=422)
    if not is_htmx(request):
        return RedirectResponse(f"/?logged={saved.id}", status_code=303)
    result = training.status(app, who.profile)
    context = {
        "saved": saved,
        "status": result,
        "state_title": STATE_TITLES[result.safety.state.value],
        "action_title": ACTION_TITLES[result.recommendation.action.value],
    }
    return page(request, "_log_saved.html", context, who=who)
