"""Directives on the web: the partner sets and ends them (a refusal shows the safety reason);
the trainee acknowledges and checks in; both see each one's status, check-ins, compliance
(missed and excused apart) and comments."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from easein.domain.clock import parse_date
from easein.domain.compliance import CheckInResult
from easein.domain.directives import DirectiveKind, DirectiveSpec, Window
from easein.domain.errors import EaseInError, InvalidInput
from easein.domain.pairing import Role
from easein.services import training
from easein.services.accounts import Principal
from easein.services.app import App
from easein.services.together import checkins, comments, directives, views
from easein.services.together.comments import Target
from easein.services.together.pairing import PairingView
from easein.web import forms
from easein.web.auth import Core, Form, Poster, Viewer
from easein.web.render import page
from easein.web.together_common import act, back, me, or_404, pairing_of, refused, words_of

router = APIRouter(include_in_schema=False)

KINDS = [
    ("wear", "Wear"),
    ("stretch", "A stretch session"),
    ("item", "A specific item"),
    ("next_rung", "The next size, once earned"),
]
KIND_WORDS = dict(KINDS)
RESULTS = [("done", "Done"), ("partly", "Partly"), ("skipped", "Skipped")]
OUTCOME_WORDS = {
    "done": "done",
    "partly": "partly",
    "skipped": "skipped",
    "missed": "missed",
    "excused": "excused (safety or stop and talk)",
    "due": "due",
}


def usable_items(app: App, who: Principal, view: PairingView) -> list[views.UsableItem]:
    """Return the trainee's usable items, for the item a directive names (any sharing level)."""
    try:
        return views.usable_items(app, me(who), view.pairing.id)
    except EaseInError:  # not active (yet, or any more): there is nothing to choose
        return []


def item_names(app: App, who: Principal, view: PairingView) -> dict[int, str]:
    """Return the trainee's item names the reader may know: all for the trainee; for the
    partner, the usable items and those named in the sessions shared with them."""
    if view.role is Role.TRAINEE:
        return {i: t.name for i, t in training.item_names(app, who.profile).items()}
    found = {item.id: item.name for item in usable_items(app, who, view)}
    try:
        shared = views.shared_sessions(
            app, me(who), view.pairing.id, limit=200, data_key=who.data_key
        )
    except EaseInError:
        return found
    for session in shared:
        for item in session.get("items") or []:
            if item.get("id") is not None and item.get("name"):
                found.setdefault(item["id"], item["name"])
    return found


def overview(app: App, who: Principal, view: PairingView) -> dict[str, Any]:
    """Return the directives with their status and the compliance, for the pairing page."""
    pairing_id = view.pairing.id
    return {
        "directives": directives.list_directives(app, me(who), pairing_id),
        "compliance": checkins.compliance(app, me(who), pairing_id, days=30),
        "names": item_names(app, who, view),
        "kind_words": KIND_WORDS,
    }


def today_local(app: App, who: Principal) -> str:
    return app.now().astimezone(who.profile.tz).date().isoformat()


# --- setting a directive (the partner) ----------------------------------------------------


def _clock(text: str, field: str) -> time:
    try:
        return time.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{field}: a time of day like 22:00", field=field) from None


def spec_of(form: FormData) -> DirectiveSpec:
    """Return the directive the form describes (parsing only; the service checks safety)."""
    kind = forms.choice(form, "kind", DirectiveKind)
    if kind is None:
        raise InvalidInput("kind: choose what to ask for", field="kind", code="required")
    minutes = forms.integer(form, "duration", required=True, label="minutes") or 0
    if not 1 <= minutes <= 1440:
        raise InvalidInput("minutes: from 1 to 1440 (24 hours)", field="duration")
    schedule = forms.text(form, "schedule")
    if not schedule:
        raise InvalidInput(
            "schedule: say when, like every night or mon,wed,fri",
            field="schedule",
            code="required",
        )
    start, end = forms.text(form, "window_start"), forms.text(form, "window_end")
    window = None
    if start or end:
        if not (start and end):
            raise InvalidInput("window: give both a start and an end", field="window_start")
        window = Window(_clock(start, "window_start"), _clock(end, "window_end"))
    return DirectiveSpec(
        kind=kind,
        duration=timedelta(minutes=minutes),
        schedule=schedule,
        starts_on=parse_date(forms.text(form, "starts_on"), field="starts_on"),
        window=window,
        note=forms.text(form, "note"),
        item_id=None if kind is DirectiveKind.NEXT_RUNG else forms.integer(form, "item"),
    )


def _new_page(
    request: Request, app: App, who: Principal, pairing_id: int, extra: dict[str, Any], status: int
) -> Response:
    view = pairing_of(app, who, pairing_id)
    context: dict[str, Any] = {
        "view": view,
        "pairing": view.pairing,
        "words": words_of(view),
        "kinds": KINDS,
        "items": usable_items(app, who, view),
        "values": {
            "kind": "wear",
            "duration": 120,
            "schedule": "every night",
            "starts_on": today_local(app, who),
            "window_start": "22:00",
            "window_end": "07:00",
        },
    }
    context.update(extra)
    return page(request, "together_directive_new.html", context, who=who, status=status)


def _edit_page(
    request: Request,
    app: App,
    who: Principal,
    pairing_id: int,
    directive_id: int,
    extra: dict[str, Any],
    status: int,
) -> Response:
    """The form of a new directive, filled in with the current revision of this one."""
    current = or_404(lambda: directives.get_directive(app, me(who), pairing_id, directive_id))
    d = current.directive
    values = {
        "kind": d.kind.value,
        "item": d.item_id or "",
        "duration": int(d.duration.total_seconds() // 60),
        "schedule": d.rrule,
        "starts_on": d.starts_on.isoformat(),
        "window_start": d.window.start.strftime("%H:%M") if d.window else "",
        "window_end": d.window.end.strftime("%H:%M") if d.window else "",
        "note": d.note,
    }
    base = {
        "values": values,
        "action": f"/together/{pairing_id}/directives/{directive_id}/edit",
        "editing": d,
    }
    return _new_page(request, app, who, pairing_id, {**base, **extra}, status)


@router.get("/together/{pairing_id}/directives/new", response_class=HTMLResponse)
def new_directive(pairing_id: int, request: Request, app: Core, who: Viewer) -> Response:
    return _new_page(request, app, who, pairing_id, {}, 200)


@router.post("/together/{pairing_id}/directives", response_class=HTMLResponse)
def create_directive(
    pairing_id: int, request: Request, app: Core, who: Poster, form: Form
) -> Response:
    """Set a directive; safety refuses an unsafe one here, and the page says why."""
    try:
        made = directives.create_directive(app, me(who), pairing_id, spec_of(form))
    except EaseInError as error:
        return refused(
            request,
            error,
            lambda extra, status: _new_page(request, app, who, pairing_id, extra, status),
            form,
        )
    return RedirectResponse(
        f"/together/{pairing_id}/directives/{made.directive.id}?saved=set", status_code=303
    )


@router.get("/together/{pairing_id}/directives/{directive_id}/edit", response_class=HTMLResponse)
def edit_form(
    pairing_id: int, directive_id: int, request: Request, app: Core, who: Viewer
) -> Response:
    return _edit_page(request, app, who, pairing_id, directive_id, {}, 200)


@router.post("/together/{pairing_id}/directives/{directive_id}/edit", response_class=HTMLResponse)
def edit_directive(
    pairing_id: int, directive_id: int, request: Request, app: Core, who: Poster, form: Form
) -> Response:
    """Change a directive: a new revision, checked like a new one; the trainee acknowledges
    it afresh."""
    try:
        directives.edit_directive(app, me(who), pairing_id, directive_id, spec_of(form))
    except EaseInError as error:
        return refused(
            request,
            error,
            lambda extra, status: _edit_page(
                request, app, who, pairing_id, directive_id, extra, status
            ),
            form,
        )
    return RedirectResponse(
        f"/together/{pairing_id}/directives/{directive_id}?saved=changed", status_code=303
    )


# --- one directive ------------------------------------------------------------------------


def directive_context(
    app: App, who: Principal, pairing_id: int, directive_id: int
) -> dict[str, Any]:
    view = pairing_of(app, who, pairing_id)
    current = or_404(lambda: directives.get_directive(app, me(who), pairing_id, directive_id))
    context: dict[str, Any] = {
        "view": view,
        "pairing": view.pairing,
        "words": words_of(view),
        "is_trainee": view.role is Role.TRAINEE,
        "d": current,
        "revisions": directives.directive_revisions(app, me(who), pairing_id, directive_id),
        "check_ins": checkins.list_check_ins(
            app, me(who), pairing_id, directive_id, data_key=who.data_key
        ),
        "comments": comments.list_comments(
            app, me(who), pairing_id, Target.DIRECTIVE, directive_id, data_key=who.data_key
        ),
        "names": item_names(app, who, view),
        "kind_words": KIND_WORDS,
        "results": RESULTS,
        "today": today_local(app, who),
        "sessions": [],
    }
    if view.role is Role.TRAINEE:
        context["sessions"] = training.history(app, who.profile, limit=10)
    return context


def _directive_page(
    request: Request,
    app: App,
    who: Principal,
    pairing_id: int,
    directive_id: int,
    extra: dict[str, Any],
    status: int,
) -> Response:
    context = directive_context(app, who, pairing_id, directive_id)
    context.update(extra)
    return page(request, "together_directive.html", context, who=who, status=status)


@router.get("/together/{pairing_id}/directives/{directive_id}", response_class=HTMLResponse)
def directive_page(
    pairing_id: int, directive_id: int, request: Request, app: Core, who: Viewer, saved: str = ""
) -> Response:
    extra = {"saved": saved[:40]}
    return _directive_page(request, app, who, pairing_id, directive_id, extra, 200)


def _act(
    request: Request,
    app: App,
    who: Principal,
    pairing_id: int,
    directive_id: int,
    form: FormData,
    action: Callable[[], object],
    done: str,
) -> Response:
    return act(
        request,
        form,
        action,
        lambda extra, status: _directive_page(
            request, app, who, pairing_id, directive_id, extra, status
        ),
        lambda: back(form, f"/together/{pairing_id}/directives/{directive_id}?saved={done}"),
    )


@router.post("/together/{pairing_id}/directives/{directive_id}/acknowledge")
def acknowledge(
    pairing_id: int, directive_id: int, request: Request, app: Core, who: Poster, form: Form
) -> Response:
    def run() -> None:
        directives.acknowledge_directive(app, me(who), pairing_id, directive_id)

    return _act(request, app, who, pairing_id, directive_id, form, run, "acknowledged")


@router.post("/together/{pairing_id}/directives/{directive_id}/check-in")
def check_in(
    pairing_id: int, directive_id: int, request: Request, app: Core, who: Poster, form: Form
) -> Response:
    """Check in: done, partly or skipped, for a day, with one of one's sessions if any."""

    def run() -> None:
        result = forms.choice(form, "result", CheckInResult)
        if result is None:
            raise InvalidInput("result: done, partly or skipped?", field="result", code="required")
        day = forms.text(form, "day") or today_local(app, who)
        checkins.check_in(
            app,
            me(who),
            pairing_id,
            directive_id,
            day=parse_date(day, field="day"),
            result=result,
            session_id=forms.integer(form, "session", label="session"),
            note=forms.text(form, "note"),
            data_key=who.data_key,
        )

    return _act(request, app, who, pairing_id, directive_id, form, run, "checked-in")


@router.post("/together/{pairing_id}/directives/{directive_id}/end")
def end(
    pairing_id: int, directive_id: int, request: Request, app: Core, who: Poster, form: Form
) -> Response:
    def run() -> None:
        directives.end_directive(app, me(who), pairing_id, directive_id)

    return _act(request, app, who, pairing_id, directive_id, form, run, "ended")


@router.post("/together/{pairing_id}/directives/{directive_id}/comments")
def comment(
    pairing_id: int, directive_id: int, request: Request, app: Core, who: Poster, form: Form
) -> Response:
    def run() -> None:
        comments.add_comment(
            app,
            me(who),
            pairing_id,
            Target.DIRECTIVE,
            directive_id,
            forms.text(form, "text"),
            data_key=who.data_key,
        )

    return _act(request, app, who, pairing_id, directive_id, form, run, "comment")
