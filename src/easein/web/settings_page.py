"""Settings: units and time zone, password, sign-ins, deleting the account; thresholds shown."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from easein.api.deps import COOKIE
from easein.domain.errors import EaseInError, InvalidInput
from easein.domain.policy import THRESHOLDS
from easein.services import accounts, notify_channels, recovery
from easein.services import calendar as calendar_feed
from easein.services.accounts import Principal
from easein.services.app import App
from easein.services.profile import update_profile
from easein.web import data_page, forms, notifications_page
from easein.web.account import recovery_page, time_zones
from easein.web.auth import Core, Form, Poster, Viewer
from easein.web.render import page
from easein.web.security_page import SAVED as SECURITY_SAVED
from easein.web.security_page import security_context

router = APIRouter(include_in_schema=False)
router.include_router(data_page.router)  # download and import, under /settings/data
router.include_router(notifications_page.router)  # channels and quiet hours

DELETE_PHRASE = "delete my account"
THRESHOLD_NAMES = {
    "pain_limit": "Pain limit",
    "sessions_to_advance": "Comfortable sessions before the next size",
    "min_days_at_size": "Days those sessions must span",
    "max_step_percent": "Largest step up",
    "rest_days_after_spotting": "Rest after a little blood",
    "acute_pain": "Pain that means see a doctor",
}
SAVED = {
    "profile": "Saved.",
    "password": "Password changed. Your other sign-ins and tokens have ended.",
    "sign-in": "That sign-in has ended.",
    "calendar": "The calendar feed is revoked: its address no longer works.",
    "channel-added": "Channel added. Send it a test to check that it works.",
    "channel-removed": "Channel removed.",
    "test-sent": "Test message sent: it should arrive in a moment.",
    "test-failed": "The test message did not go through: check the URL, or remove the channel.",
    "notifications": "Saved.",
}


def settings_context(app: App, who: Principal) -> dict[str, Any]:
    policy = app.policy.as_dict()
    return {
        "zones": time_zones(),
        "sign_ins": accounts.list_sign_ins(app, who),
        "calendar": calendar_feed.feed_status(app, who.account_id),
        "channels": notify_channels.list_channels(app, who.profile.person_id),
        "notify": notify_channels.get_prefs(app, who.profile.person_id),
        "thresholds": [
            {
                "t": t,
                "name": THRESHOLD_NAMES.get(t.name, t.name),
                "value": policy[t.name],
                "is_default": policy[t.name] == t.default,
            }
            for t in THRESHOLDS
        ],
        "delete_phrase": DELETE_PHRASE,
        "has_recovery_key": recovery.has_key(app, who),
        "values": {},
        **security_context(app, who),  # two-step sign-in, decoy PIN, auto-delete
    }


def _again(request: Request, app: App, who: Principal, error: EaseInError) -> Response:
    context = settings_context(app, who)
    context["errors"] = forms.errors_of(error)
    return page(request, "settings.html", context, who=who, status=422)


@router.get("/settings", response_class=HTMLResponse)
def settings(request: Request, app: Core, who: Viewer, saved: str = "") -> Response:
    context = settings_context(app, who)
    context["saved"] = SAVED.get(saved) or SECURITY_SAVED.get(saved)
    context["saved_here"] = notifications_page.SAVED_HERE  # shown in their own section
    context["saved_key"] = saved
    return page(request, "settings.html", context, who=who)


@router.post("/settings/profile", response_class=HTMLResponse)
def profile(request: Request, app: Core, who: Poster, form: Form) -> Response:
    try:
        update_profile(
            app,
            who.profile.person_id,
            timezone=forms.text(form, "timezone") or None,
            units=forms.text(form, "units") or None,
        )
    except EaseInError as error:
        return _again(request, app, who, error)
    return RedirectResponse("/settings?saved=profile", status_code=303)


@router.post("/settings/password", response_class=HTMLResponse)
def password(request: Request, app: Core, who: Poster, form: Form) -> Response:
    try:
        accounts.change_password(
            app,
            who,
            current=str(form.get("current_password") or ""),
            new=str(form.get("new_password") or ""),
        )
    except EaseInError as error:
        return _again(request, app, who, error)
    return RedirectResponse("/settings?saved=password", status_code=303)


@router.post("/settings/recovery-key", response_class=HTMLResponse)
def recovery_key(request: Request, app: Core, who: Poster, form: Form) -> Response:
    """A new recovery key (password needed), shown once; the old one stops working."""
    try:
        text = recovery.replace(app, who, password=str(form.get("recovery_password") or ""))
    except EaseInError as error:
        if error.field == "password":
            error.field = "recovery_password"
        return _again(request, app, who, error)
    return recovery_page(request, text, "A new recovery key", "/settings", "Back to Settings", who)


@router.post("/settings/sign-ins/{session_id}/end", response_class=HTMLResponse)
def end_sign_in(session_id: int, request: Request, app: Core, who: Poster) -> Response:
    try:
        accounts.end_sign_in(app, who, session_id)
    except EaseInError as error:
        return _again(request, app, who, error)
    if session_id == who.session_id:
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(COOKIE, path="/")
        return response
    return RedirectResponse("/settings?saved=sign-in", status_code=303)


@router.post("/settings/delete", response_class=HTMLResponse)
def delete(request: Request, app: Core, who: Poster, form: Form) -> Response:
    """Delete the account and everything in it: the password and the typed phrase are needed."""
    try:
        if forms.text(form, "confirm").lower() != DELETE_PHRASE:
            raise InvalidInput(f'type "{DELETE_PHRASE}" to confirm', field="confirm")
        accounts.delete_account(app, who, password=str(form.get("password") or ""))
    except EaseInError as error:
        return _again(request, app, who, error)
    response = RedirectResponse("/signup", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


@router.post("/settings/calendar", response_class=HTMLResponse)
def calendar(request: Request, app: Core, who: Poster, form: Form) -> Response:
    """Create (or regenerate) the calendar feed and show its address, this once."""
    explicit = forms.text(form, "wording") == "explicit"
    token, _ = calendar_feed.create_feed(app, who.account_id, explicit=explicit)
    context = settings_context(app, who)
    context["calendar_url"] = str(request.base_url).rstrip("/") + calendar_feed.feed_path(token)
    return page(request, "settings.html", context, who=who)


@router.post("/settings/calendar/revoke", response_class=HTMLResponse)
def revoke_calendar(request: Request, app: Core, who: Poster) -> Response:
    try:
        calendar_feed.revoke_feed(app, who.account_id)
    except EaseInError as error:
        return _again(request, app, who, error)
    return RedirectResponse("/settings?saved=calendar", status_code=303)
