"""Training together: invite a partner, join with a code, the summary both accept, the words,
what is shared, ending the pairing, and Stop and talk (one tap, no confirmation).

The other pages of a pairing (directives, the conversation and the agreement, what
the partner sees) live in `together_directives`, `together_talk` and `together_views`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from easein.domain.errors import EaseInError, InvalidInput
from easein.domain.pairing import DS_WORDS, PLAIN_WORDS, PairingStatus, Role, Words
from easein.domain.sharing import SharingLevel
from easein.services.accounts import Principal
from easein.services.app import App
from easein.services.together import pairing as pairing_service
from easein.services.together import stop as stop_service
from easein.web import forms, together_directives, together_talk, together_views
from easein.web.auth import Core, Form, Poster, Viewer
from easein.web.render import page
from easein.web.together_common import (
    SHARING_LABELS,
    STATUS_LABELS,
    act,
    back,
    me,
    or_404,
    pairing_of,
    refused,
    status_of,
    words_of,
)

router = APIRouter(include_in_schema=False)
for _module in (together_directives, together_talk, together_views):
    router.include_router(_module.router)

END_WORD = "end"  # typed to end a pairing (never for stop and talk)
WORD_CHOICES = [
    ("plain", f"{PLAIN_WORDS.trainee} and {PLAIN_WORDS.partner}"),
    ("ds", f"{DS_WORDS.trainee} and {DS_WORDS.partner}"),
    ("own", "Our own words"),
]


# --- the list: invite, join ---------------------------------------------------------------


def list_context(app: App, who: Principal) -> dict[str, Any]:
    views = pairing_service.list_pairings(app, me(who))
    return {
        "pairings": [{"view": v, "words": words_of(v)} for v in views],
        "status_labels": STATUS_LABELS,
        "open_invitations": pairing_service.open_invitations(app, me(who)),
    }


@router.get("/together", response_class=HTMLResponse)
def together_page(request: Request, app: Core, who: Viewer) -> Response:
    return page(request, "together.html", list_context(app, who), who=who)


@router.post("/together/invite", response_class=HTMLResponse)
def invite(request: Request, app: Core, who: Poster) -> Response:
    """Make a one-time code and show it this once (only its hash is kept)."""
    made = pairing_service.invite(app, me(who))
    link = str(request.base_url).rstrip("/") + f"/together/join?code={made.code}"
    context = list_context(app, who)
    context.update(invitation=made, link=link)
    return page(request, "together.html", context, who=who, status=201)


@router.post("/together/invitations/{invitation_id}/withdraw")
def withdraw(invitation_id: int, app: Core, who: Poster) -> Response:
    """Withdraw an unused invitation (its maker only; for anyone else it does not exist)."""
    try:
        or_404(lambda: pairing_service.revoke_invitation(app, me(who), invitation_id))
    except EaseInError:  # already used: nothing to withdraw, the pairing shows in the list
        return RedirectResponse("/together", status_code=303)
    return RedirectResponse("/together?withdrawn=1", status_code=303)


@router.get("/together/join", response_class=HTMLResponse)
def join_page(request: Request, app: Core, who: Viewer, code: str = "") -> Response:
    context = list_context(app, who)
    context["values"] = {"code": code[:100]}
    return page(request, "together.html", context, who=who)


@router.post("/together/join", response_class=HTMLResponse)
def join(request: Request, app: Core, who: Poster, form: Form) -> Response:
    """Accept an invitation from one's own account: a pending pairing begins."""
    try:
        code = forms.text(form, "code")
        if not code:
            raise InvalidInput("code: paste the code you were sent", field="code", code="required")
        view = pairing_service.accept_invitation(app, me(who), code, data_key=who.data_key)
    except EaseInError as error:
        context = list_context(app, who)
        context.update(errors=forms.errors_of(error), values=forms.values_of(form))
        return page(request, "together.html", context, who=who, status=status_of(error))
    return RedirectResponse(f"/together/{view.pairing.id}", status_code=303)


# --- one pairing --------------------------------------------------------------------------


def pairing_context(app: App, who: Principal, pairing_id: int) -> dict[str, Any]:
    view = pairing_of(app, who, pairing_id)
    context: dict[str, Any] = {
        "view": view,
        "pairing": view.pairing,
        "words": words_of(view),
        "is_trainee": view.role is Role.TRAINEE,
        "sharing_choices": [(level.value, label) for level, label in SHARING_LABELS.items()],
        "status_labels": STATUS_LABELS,
        "word_choices": WORD_CHOICES,
        "open_stop": None,
    }
    if view.pairing.status is PairingStatus.ENDED:
        return context
    stops = stop_service.list_stops(app, me(who), pairing_id)
    context["open_stop"] = next((s for s in stops if s.resumed_at is None), None)
    if view.pairing.status is PairingStatus.ACTIVE:
        context.update(together_directives.overview(app, who, view))
    return context


def _pairing_page(
    request: Request, app: App, who: Principal, pairing_id: int, extra: dict[str, Any], status: int
) -> Response:
    context = pairing_context(app, who, pairing_id)
    context.update(extra)
    return page(request, "together_pairing.html", context, who=who, status=status)


@router.get("/together/{pairing_id}", response_class=HTMLResponse)
def pairing_page(
    pairing_id: int, request: Request, app: Core, who: Viewer, saved: str = ""
) -> Response:
    return _pairing_page(request, app, who, pairing_id, {"saved": saved[:40]}, 200)


def _act(
    request: Request,
    app: App,
    who: Principal,
    pairing_id: int,
    form: FormData,
    action: Callable[[], object],
    done: str,
) -> Response:
    """Run one service call for a form on the pairing page; show the page again on refusal."""
    return act(
        request,
        form,
        action,
        lambda extra, status: _pairing_page(request, app, who, pairing_id, extra, status),
        lambda: RedirectResponse(f"/together/{pairing_id}?saved={done}", status_code=303),
    )


@router.post("/together/{pairing_id}/accept", response_class=HTMLResponse)
def accept_summary(
    pairing_id: int, request: Request, app: Core, who: Poster, form: Form
) -> Response:
    """Accept the summary as read (the level and words it was made of travel with the form)."""

    def run() -> None:
        level = forms.choice(form, "seen_sharing", SharingLevel)
        if level is None:
            raise InvalidInput("the summary is missing: reload the page", field="summary")
        seen = Words(forms.text(form, "seen_trainee"), forms.text(form, "seen_partner"))
        pairing_service.accept_summary(
            app, me(who), pairing_id, seen=level, seen_words=seen, data_key=who.data_key
        )

    return _act(request, app, who, pairing_id, form, run, "accepted")


@router.post("/together/{pairing_id}/words", response_class=HTMLResponse)
def choose_words(pairing_id: int, request: Request, app: Core, who: Poster, form: Form) -> Response:
    def run() -> None:
        chosen = forms.text(form, "words")
        if chosen == "plain":
            words = PLAIN_WORDS
        elif chosen == "ds":
            words = DS_WORDS
        else:
            words = Words(forms.text(form, "trainee_word"), forms.text(form, "partner_word"))
        pairing_service.choose_words(app, me(who), pairing_id, words)

    return _act(request, app, who, pairing_id, form, run, "words")


@router.post("/together/{pairing_id}/sharing", response_class=HTMLResponse)
def change_sharing(
    pairing_id: int, request: Request, app: Core, who: Poster, form: Form
) -> Response:
    def run() -> None:
        level = forms.choice(form, "sharing", SharingLevel)
        if level is None:
            raise InvalidInput("sharing: choose what to share", field="sharing", code="required")
        pairing_service.change_sharing(app, me(who), pairing_id, level, data_key=who.data_key)

    return _act(request, app, who, pairing_id, form, run, "sharing")


@router.post("/together/{pairing_id}/end", response_class=HTMLResponse)
def end_pairing(pairing_id: int, request: Request, app: Core, who: Poster, form: Form) -> Response:
    """End the pairing (either side), after typing the word: the partner's access ends at once."""

    def run() -> None:
        if forms.text(form, "confirm").casefold() != END_WORD:
            raise InvalidInput(
                f"confirm: type {END_WORD} to end the pairing", field="confirm", code="required"
            )
        pairing_service.end_pairing(app, me(who), pairing_id, data_key=who.data_key)

    try:
        run()
    except EaseInError as error:
        return refused(
            request,
            error,
            lambda extra, status: _pairing_page(request, app, who, pairing_id, extra, status),
            form,
        )
    return RedirectResponse("/together?ended=1", status_code=303)


# --- stop and talk: one tap, no confirmation, no cooldown -----------------------------------


@router.post("/together/stop")
def stop_everywhere(app: Core, who: Poster, form: Form) -> Response:
    """The header's button: a stop and talk in every active pairing where the viewer trains."""
    for view in pairing_service.list_pairings(app, me(who)):
        if view.pairing.status is PairingStatus.ACTIVE and view.role is Role.TRAINEE:
            try:
                stop_service.call_stop_and_talk(app, me(who), view.pairing.id)
            except EaseInError:  # it ended a moment ago: nothing left there to pause
                continue
    return back(form, "/together")


@router.post("/together/{pairing_id}/stop", response_class=HTMLResponse)
def stop(pairing_id: int, request: Request, app: Core, who: Poster, form: Form) -> Response:
    """Either member calls a stop and talk; calling again while one is open is fine."""
    return _act(
        request,
        app,
        who,
        pairing_id,
        form,
        lambda: stop_service.call_stop_and_talk(app, me(who), pairing_id),
        "stopped",
    )


@router.post("/together/{pairing_id}/resume", response_class=HTMLResponse)
def resume(pairing_id: int, request: Request, app: Core, who: Poster, form: Form) -> Response:
    """Only the trainee resumes, whenever they like."""
    return _act(
        request,
        app,
        who,
        pairing_id,
        form,
        lambda: stop_service.resume(app, me(who), pairing_id),
        "resumed",
    )
