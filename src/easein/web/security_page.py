"""Settings' sign-in and discretion forms: two-step sign-in, decoy PIN, auto-delete.

Each form's fields are named with its own prefix (`totp_password`, `decoy_pin`...), so
that a refusal shows next to the form that was sent, not next to another form's field
of the same name on the Settings page.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from easein.domain.errors import EaseInError
from easein.services import account_security as security
from easein.services import auto_delete
from easein.services.accounts import Principal
from easein.services.app import App
from easein.services.second_factor import Enrolment, pending_enrolment, qr_svg
from easein.web import forms
from easein.web.auth import Core, Form, Poster
from easein.web.render import page

router = APIRouter(include_in_schema=False)

SAVED = {
    "totp-off": "Two-step sign-in is off.",
    "decoy": "The decoy PIN is set.",
    "decoy-off": "The decoy PIN and its profile are removed.",
    "auto-delete": "Auto-delete saved.",
}


def security_context(app: App, who: Principal) -> dict[str, Any]:
    """Return what Settings shows about two-step sign-in, the decoy and auto-delete."""
    days = auto_delete.setting(app, who.profile.person_id)
    return {
        "totp": security.totp_status(app, who),
        "decoy": security.has_decoy(app, who),
        "auto_delete_days": days,
        "auto_delete_preview": (
            auto_delete.preview(app, who.profile, days) if days is not None else None
        ),
        "auto_delete_range": auto_delete.DAYS,
    }


def _show(
    request: Request,
    app: App,
    who: Principal,
    extra: dict[str, Any] | None = None,
    *,
    error: EaseInError | None = None,
    prefix: str = "",
) -> Response:
    from easein.web.settings_page import settings_context

    context = settings_context(app, who)
    context.update(extra or {})
    status = 200
    if error is not None:
        context["errors"] = {f"{prefix}{error.field or 'form'}": error.message}
        status = 422
    return page(request, "settings.html", context, who=who, status=status)


def _enrolment(made: Enrolment) -> dict[str, str]:
    return {"secret": made.secret, "uri": made.uri, "qr": qr_svg(made.uri)}


@router.post("/settings/totp", response_class=HTMLResponse)
def totp_start(request: Request, app: Core, who: Poster, form: Form) -> Response:
    """Start setting up two-step sign-in: the secret and its QR code, shown this once."""
    try:
        made = security.totp_start(app, who, password=str(form.get("totp_password") or ""))
    except EaseInError as error:
        return _show(request, app, who, error=error, prefix="totp_")
    return _show(request, app, who, {"enrolment": _enrolment(made)})


@router.post("/settings/totp/confirm", response_class=HTMLResponse)
def totp_confirm(request: Request, app: Core, who: Poster, form: Form) -> Response:
    try:
        codes = security.totp_confirm(app, who, code=forms.text(form, "totp_code"))
    except EaseInError as error:
        # Not on yet: the same secret again, in case it was not saved in the app.
        pending = pending_enrolment(app, who.account_id, who.username)
        extra = {"enrolment": _enrolment(pending)} if pending else {}
        return _show(request, app, who, extra, error=error, prefix="totp_")
    return _show(request, app, who, {"recovery_codes": codes, "saved": "Two-step sign-in is on."})


@router.post("/settings/totp/off", response_class=HTMLResponse)
def totp_off(request: Request, app: Core, who: Poster, form: Form) -> Response:
    try:
        security.totp_turn_off(
            app,
            who,
            password=str(form.get("totp_password") or ""),
            code=forms.text(form, "totp_code"),
        )
    except EaseInError as error:
        return _show(request, app, who, error=error, prefix="totp_")
    return RedirectResponse("/settings?saved=totp-off#totp-title", status_code=303)


@router.post("/settings/totp/recovery-codes", response_class=HTMLResponse)
def totp_recovery_codes(request: Request, app: Core, who: Poster, form: Form) -> Response:
    try:
        codes = security.totp_new_recovery_codes(
            app,
            who,
            password=str(form.get("totp_password") or ""),
            code=forms.text(form, "totp_code"),
        )
    except EaseInError as error:
        return _show(request, app, who, error=error, prefix="totp_")
    return _show(request, app, who, {"recovery_codes": codes})


@router.post("/settings/decoy", response_class=HTMLResponse)
def decoy(request: Request, app: Core, who: Poster, form: Form) -> Response:
    try:
        security.set_decoy(
            app,
            who,
            password=str(form.get("decoy_password") or ""),
            pin=forms.text(form, "decoy_pin"),
        )
    except EaseInError as error:
        return _show(request, app, who, error=error, prefix="decoy_")
    return RedirectResponse("/settings?saved=decoy#decoy-title", status_code=303)


@router.post("/settings/decoy/clear", response_class=HTMLResponse)
def decoy_clear(request: Request, app: Core, who: Poster, form: Form) -> Response:
    try:
        security.clear_decoy(app, who, password=str(form.get("decoy_password") or ""))
    except EaseInError as error:
        return _show(request, app, who, error=error, prefix="decoy_")
    return RedirectResponse("/settings?saved=decoy-off#decoy-title", status_code=303)


@router.post("/settings/auto-delete", response_class=HTMLResponse)
def auto_delete_form(request: Request, app: Core, who: Poster, form: Form) -> Response:
    try:
        days = forms.integer(form, "older_than_days", label="Days")
        auto_delete.set_setting(app, who.profile.person_id, days)
    except EaseInError as error:
        return _show(request, app, who, error=error, prefix="")
    return RedirectResponse("/settings?saved=auto-delete#auto-delete-title", status_code=303)
