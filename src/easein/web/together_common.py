"""What the Training together pages share: refusals as pages, the pairing of a URL, labels.

Only presentation lives here: every rule (who may do what, what is shared, what
safety allows) is decided by `easein.services.together` and the domain.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from easein.domain.errors import Conflict, EaseInError, NotFound
from easein.domain.pairing import NotPermitted, PairingStatus, Role
from easein.domain.sharing import SharingLevel
from easein.services.accounts import Principal
from easein.services.app import App
from easein.services.together import pairing as pairing_service
from easein.services.together.pairing import PairingView
from easein.web import forms
from easein.web.auth import safe_next

T = TypeVar("T")

SHARING_LABELS = {
    SharingLevel.NOTHING: "Nothing",
    SharingLevel.SUMMARY: "A summary: done or not, and the state without medical detail",
    SharingLevel.FULL: "Full reports, without the notes",
    SharingLevel.FULL_WITH_NOTES: "Full reports with the notes",
}
STATUS_LABELS = {
    PairingStatus.PENDING: "Waiting for both to accept",
    PairingStatus.ACTIVE: "Active",
    PairingStatus.ENDED: "Ended",
}


def me(who: Principal) -> int:
    return who.profile.person_id


def status_of(error: EaseInError) -> int:
    """Return the HTTP status a refused form answers with (the page says why)."""
    if isinstance(error, NotPermitted):
        return 403
    if isinstance(error, Conflict):
        return 409
    return 422


def or_404(call: Callable[[], T]) -> T:
    """Return `call()`; what does not exist for this person is the site's 404 page."""
    try:
        return call()
    except NotFound:
        raise HTTPException(status_code=404) from None


def pairing_of(app: App, who: Principal, pairing_id: int) -> PairingView:
    """Return the pairing for one of its members; for anyone else it does not exist (404)."""
    return or_404(lambda: pairing_service.get_pairing(app, me(who), pairing_id))


def back(form: FormData, default: str) -> RedirectResponse:
    """Redirect after a successful post: to the form's `next` path on this site, or `default`."""
    target = forms.text(form, "next")
    return RedirectResponse(safe_next(target) if target else default, status_code=303)


def refused(
    request: Request,
    error: EaseInError,
    render: Callable[[dict[str, Any], int], Response],
    form: FormData | None = None,
) -> Response:
    """Show the page again with the reason next to the field (404 when the thing is gone)."""
    if isinstance(error, NotFound) and error.field in ("pairing_id", "pairing", "directive_id"):
        raise HTTPException(status_code=404)
    extra: dict[str, Any] = {"errors": forms.errors_of(error)}
    if form is not None:
        extra["values"] = forms.values_of(form)
    return render(extra, status_of(error))


def act(
    request: Request,
    form: FormData,
    action: Callable[[], object],
    render: Callable[[dict[str, Any], int], Response],
    success: Callable[[], Response],
) -> Response:
    """Run one service call for a form: on refusal show the page again (`render`), else
    answer `success()` (a redirect)."""
    try:
        action()
    except EaseInError as error:
        return refused(request, error, render, form)
    return success()


def words_of(view: PairingView) -> dict[str, str]:
    """Return the couple's words, with `me` and `other` for this reader."""
    words = view.pairing.words
    mine, theirs = (
        (words.trainee, words.partner)
        if view.role is Role.TRAINEE
        else (words.partner, words.trainee)
    )
    return {"trainee": words.trainee, "partner": words.partner, "me": mine, "other": theirs}
