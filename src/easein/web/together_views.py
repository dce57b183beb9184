"""What the partner sees of the trainee (exactly what the sharing level lets through; anything
else is the 404 page), the trainee's own session page with "don't share this one", and
comments on sessions, both ways."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from easein.domain.errors import EaseInError, NotFound
from easein.domain.pairing import PairingStatus, Role
from easein.services import training
from easein.services.accounts import Principal
from easein.services.app import App
from easein.services.together import comments, views
from easein.services.together import log as log_service
from easein.services.together import pairing as pairing_service
from easein.services.together.comments import Target
from easein.web import forms
from easein.web.auth import Core, Form, Poster, Viewer
from easein.web.render import page
from easein.web.together_common import back, me, or_404, pairing_of, refused, words_of

router = APIRouter(include_in_schema=False)
T = TypeVar("T")

STATE_WORDS = {
    "ready": "Ready to train",
    "rest": "Resting",
    "paused": "Paused",
    "medical_hold": "Training is on hold",  # never why, unless the reasons are shared
}


def _dated(session: dict[str, Any]) -> dict[str, Any]:
    """Return the projected session with `at`, its start as a datetime for the viewer's clock."""
    return {**session, "at": datetime.fromisoformat(session["started_at"])}


def _or_none(call: Callable[[], T]) -> T | None:
    try:
        return call()
    except NotFound:
        return None


# --- the partner's view (the trainee may preview it) --------------------------------------


@router.get("/together/{pairing_id}/sessions", response_class=HTMLResponse)
def shared(pairing_id: int, request: Request, app: Core, who: Viewer) -> Response:
    view = pairing_of(app, who, pairing_id)
    if view.pairing.status is not PairingStatus.ACTIVE:
        raise HTTPException(status_code=404)
    status = _or_none(lambda: views.shared_status(app, me(who), pairing_id))
    sessions = (
        _or_none(lambda: views.shared_sessions(app, me(who), pairing_id, data_key=who.data_key))
        or []
    )
    context = {
        "view": view,
        "pairing": view.pairing,
        "words": words_of(view),
        "is_trainee": view.role is Role.TRAINEE,
        "status": status,
        "state_words": STATE_WORDS,
        "sessions": [_dated(s) for s in sessions],
    }
    return page(request, "together_sessions.html", context, who=who)


def shared_session_context(
    app: App, who: Principal, pairing_id: int, session_id: int
) -> dict[str, Any]:
    view = pairing_of(app, who, pairing_id)
    session = or_404(
        lambda: views.shared_session(app, me(who), pairing_id, session_id, data_key=who.data_key)
    )
    return {
        "view": view,
        "pairing": view.pairing,
        "words": words_of(view),
        "is_trainee": view.role is Role.TRAINEE,
        "s": _dated(session),
        "comments": comments.list_comments(
            app, me(who), pairing_id, Target.SESSION, session_id, data_key=who.data_key
        ),
    }


def _shared_session_page(
    request: Request,
    app: App,
    who: Principal,
    pairing_id: int,
    session_id: int,
    extra: dict[str, Any],
    status: int,
) -> Response:
    context = shared_session_context(app, who, pairing_id, session_id)
    context.update(extra)
    return page(request, "together_session.html", context, who=who, status=status)


@router.get("/together/{pairing_id}/sessions/{session_id}", response_class=HTMLResponse)
def shared_session(
    pairing_id: int, session_id: int, request: Request, app: Core, who: Viewer
) -> Response:
    return _shared_session_page(request, app, who, pairing_id, session_id, {}, 200)


@router.post("/together/{pairing_id}/sessions/{session_id}/comments")
def comment_on_session(
    pairing_id: int, session_id: int, request: Request, app: Core, who: Poster, form: Form
) -> Response:
    try:
        comments.add_comment(
            app,
            me(who),
            pairing_id,
            Target.SESSION,
            session_id,
            forms.text(form, "text"),
            data_key=who.data_key,
        )
    except NotFound:
        raise HTTPException(status_code=404) from None
    except EaseInError as error:
        return refused(
            request,
            error,
            lambda extra, status: _shared_session_page(
                request, app, who, pairing_id, session_id, extra, status
            ),
            form,
        )
    return back(form, f"/together/{pairing_id}/sessions/{session_id}#comments")


# --- the trainee's own session page -------------------------------------------------------


def own_session_context(app: App, who: Principal, session_id: int) -> dict[str, Any]:
    session = or_404(lambda: training.get_session(app, who.profile, session_id))
    threads = []
    for view in pairing_service.list_pairings(app, me(who)):
        if view.role is Role.TRAINEE and view.pairing.status is PairingStatus.ACTIVE:
            pairing_id = view.pairing.id
            found = comments.list_comments(
                app, me(who), pairing_id, Target.SESSION, session_id, data_key=who.data_key
            )
            threads.append({"view": view, "words": words_of(view), "comments": found})
    return {
        "s": session,
        "names": training.item_names(app, who.profile),
        "shared": pairing_service.is_session_shared(app, me(who), session_id),
        "threads": threads,
    }


@router.get("/sessions/{session_id}", response_class=HTMLResponse)
def own_session(session_id: int, request: Request, app: Core, who: Viewer) -> Response:
    return page(request, "session.html", own_session_context(app, who, session_id), who=who)


@router.post("/sessions/{session_id}/sharing")
def session_sharing(session_id: int, app: Core, who: Poster, form: Form) -> Response:
    """The per-session toggle: "don't share this one" (or share it again)."""
    shared_now = forms.text(form, "shared") == "yes"
    or_404(
        lambda: pairing_service.set_session_shared(
            app, me(who), session_id, shared=shared_now, data_key=who.data_key
        )
    )
    return back(form, f"/sessions/{session_id}?saved=sharing")


# --- the pairing's log --------------------------------------------------------------------


@router.get("/together/{pairing_id}/log", response_class=HTMLResponse)
def audit_log(pairing_id: int, request: Request, app: Core, who: Viewer) -> Response:
    """Who changed what and when: append-only, oldest first (shown newest first)."""
    view = pairing_of(app, who, pairing_id)
    events = or_404(lambda: log_service.audit_log(app, me(who), pairing_id))
    words = words_of(view)
    shown = [
        {
            "at": e.at,
            "who": words["trainee"] if e.actor_id == view.pairing.trainee_id else words["partner"],
            "what": e.kind.value.replace("_", " "),
            "details": ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in e.details),
        }
        for e in reversed(events)
    ]
    context = {"view": view, "pairing": view.pairing, "words": words, "events": shown}
    return page(request, "together_log.html", context, who=who)
