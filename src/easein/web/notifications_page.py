"""Settings → Notifications: add, test and remove channels; lead time, quiet hours, wording.

Plain forms that work without JavaScript, with the CSRF token like every other form.
A channel's URL is never shown back: it is a secret (a token, a password, a topic).

"Notify this device" (static/js/push.js, where the browser has Web Push) reads the public
key, subscribes, and posts the subscription here; its "Stop" posts the subscription again
to learn its channel (the same subscription is the same channel) and removes that one
with the channel-removal route.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from easein.domain.errors import EaseInError
from easein.services import notify_channels as service
from easein.services.accounts import Principal
from easein.services.app import App
from easein.web import forms
from easein.web.auth import Core, Form, Poster, Viewer
from easein.web.render import page

router = APIRouter(include_in_schema=False)
ANCHOR = "#notifications-title"
# What these forms report is shown inside the Notifications section, where the page opens.
SAVED_HERE = frozenset(
    {"channel-added", "channel-removed", "test-sent", "test-failed", "notifications"}
)


def _again(
    request: Request, app: App, who: Principal, error: EaseInError | None, **extra: object
) -> Response:
    from easein.web.settings_page import settings_context  # it includes this router

    context = settings_context(app, who)
    context.update(extra)
    if error is not None:
        context["errors"] = forms.errors_of(error)
    return page(request, "settings.html", context, who=who, status=422 if error else 200)


def _done(what: str) -> Response:
    return RedirectResponse(f"/settings?saved={what}{ANCHOR}", status_code=303)


@router.post("/settings/notifications/channels", response_class=HTMLResponse)
def add(request: Request, app: Core, who: Poster, form: Form) -> Response:
    try:
        service.add_channel(
            app, who.profile.person_id, forms.text(form, "url"), forms.text(form, "label")
        )
    except EaseInError as error:
        return _again(request, app, who, error)
    return _done("channel-added")


@router.post("/settings/notifications/channels/{channel_id}/remove", response_class=HTMLResponse)
def remove(channel_id: int, request: Request, app: Core, who: Poster) -> Response:
    try:
        service.remove_channel(app, who.profile.person_id, channel_id)
    except EaseInError as error:
        return _again(request, app, who, error)
    return _done("channel-removed")


@router.post("/settings/notifications/channels/{channel_id}/test", response_class=HTMLResponse)
def test(channel_id: int, request: Request, app: Core, who: Poster) -> Response:
    try:
        delivered = service.send_test(app, who.profile.person_id, channel_id)
    except EaseInError as error:
        return _again(request, app, who, error)
    return _done("test-sent" if delivered else "test-failed")


@router.post("/settings/notifications/prefs", response_class=HTMLResponse)
def prefs(request: Request, app: Core, who: Poster, form: Form) -> Response:
    try:
        start = service.parse_clock(forms.text(form, "quiet_start"), "quiet_start")
        end = service.parse_clock(forms.text(form, "quiet_end"), "quiet_end")
        service.set_prefs(
            app,
            who.profile.person_id,
            lead_minutes=forms.integer(form, "lead_minutes", label="Minutes before"),
            quiet_start=start,
            quiet_end=end,
            quiet=start is not None or end is not None,
            explicit=forms.text(form, "wording") == "explicit",
        )
    except EaseInError as error:
        return _again(request, app, who, error)
    return _done("notifications")


@router.get("/settings/notifications/push-key")
def push_key(app: Core, who: Viewer) -> Response:
    """The server's public VAPID key, for `pushManager.subscribe` in the installed app."""
    return JSONResponse(
        {"public_key": service.push_key(app)}, headers={"Cache-Control": "no-store"}
    )


@router.post("/settings/notifications/push")
def subscribe_push(app: Core, who: Poster, form: Form) -> Response:
    """Add this browser's push subscription (its endpoint and keys) as a channel."""
    try:
        made = service.subscribe_push(
            app,
            who.profile.person_id,
            forms.text(form, "endpoint"),
            forms.text(form, "p256dh"),
            forms.text(form, "auth"),
        )
    except EaseInError as error:
        return JSONResponse({"errors": forms.errors_of(error)}, status_code=422)
    return JSONResponse(
        {"id": made.id, "service": made.service, "host": made.host}, status_code=201
    )
