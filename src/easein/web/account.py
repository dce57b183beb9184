"""Sign-up (adults only), log-in and log-out pages."""

from __future__ import annotations

from functools import cache
from urllib.parse import quote
from zoneinfo import available_timezones

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from easein.api.deps import COOKIE
from easein.api.routes.account import set_session_cookie
from easein.domain.errors import EaseInError
from easein.services import accounts, recovery
from easein.web import forms
from easein.web.auth import (
    Core,
    Form,
    MaybeViewer,
    Poster,
    login_url,
    safe_next,
    same_origin,
)
from easein.web.render import page

router = APIRouter(include_in_schema=False)
PENDING_COOKIE = "easein_pending"  # a right password waiting for its code (path /login)


@cache
def time_zones() -> tuple[str, ...]:
    """Return the IANA zone names people pick from (Area/City), sorted."""
    zones = {z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV"))}
    return ("UTC", *sorted(zones))


def _refused(request: Request, template: str, error: EaseInError, values: dict[str, object]):
    status = 429 if isinstance(error, accounts.TooManyAttempts) else 422
    context = {"errors": forms.errors_of(error), "values": values, "zones": time_zones()}
    return page(request, template, context, status=status)


def _signed_in(app: Core, request: Request, username: str, password: str, to: str) -> Response:
    client = request.headers.get("user-agent", "browser")[:80]
    token, done = accounts.begin_login(app, username=username, password=password, client=client)
    if not done:  # two-step sign-in: the code next, on its own page
        response = RedirectResponse(f"/login/code?next={quote(to, safe='/')}", status_code=303)
        response.set_cookie(
            PENDING_COOKIE,
            token,
            httponly=True,
            samesite="strict",
            secure=app.settings.secure_cookies,
            max_age=int(accounts.PENDING_FOR.total_seconds()),
            path="/login",
        )
        return response
    response = RedirectResponse(to, status_code=303)
    set_session_cookie(response, app, token)
    return response


@router.get("/signup", response_class=HTMLResponse)
def signup_page(request: Request, who: MaybeViewer) -> Response:
    if who is not None:
        return RedirectResponse("/", status_code=303)
    values = {"timezone": "UTC", "units": "mm"}
    return page(request, "signup.html", {"values": values, "zones": time_zones()}, private=False)


@router.post("/signup", response_class=HTMLResponse)
def signup(request: Request, app: Core, form: Form) -> Response:
    values = forms.values_of(form)
    values.pop("password", None)
    if not same_origin(request):
        return page(request, "refused.html", status=403)
    username = forms.text(form, "username")
    password = str(form.get("password") or "")
    try:
        _, token, recovery_key = accounts.register(
            app,
            username=username,
            password=password,
            adult=forms.checkbox(form, "adult"),
            timezone=forms.text(form, "timezone", "UTC") or "UTC",
            units=forms.text(form, "units", "mm") or "mm",
            client=request.headers.get("user-agent", "browser")[:80],
        )
    except EaseInError as error:
        return _refused(request, "signup.html", error, values)
    # The recovery key is shown in this answer, never stored in the clear nor redirected.
    response = recovery_page(
        request, recovery_key, "Your account is ready", "/toys?welcome=1", "Continue"
    )
    set_session_cookie(response, app, token)
    return response


def recovery_page(
    request: Request,
    recovery_key: str,
    heading: str,
    next_url: str,
    next_label: str,
    who: accounts.Principal | None = None,
) -> Response:
    """The page that shows a recovery key, once (private: never stored by the browser)."""
    context = {
        "recovery_key": recovery_key,
        "heading": heading,
        "next_url": next_url,
        "next_label": next_label,
    }
    return page(request, "recovery_key.html", context, who=who)


@router.get("/forgot", response_class=HTMLResponse)
def forgot_page(request: Request, who: MaybeViewer) -> Response:
    if who is not None:
        return RedirectResponse("/settings", status_code=303)
    return page(request, "forgot.html", {"values": {}}, private=False)


@router.post("/forgot", response_class=HTMLResponse)
def forgot(request: Request, app: Core, form: Form) -> Response:
    """A new password with the recovery key; the next recovery key is shown once."""
    values = {"username": forms.text(form, "username")}
    if not same_origin(request):
        return page(request, "refused.html", status=403)
    try:
        recovery_key = recovery.reset_password(
            app,
            username=values["username"],
            recovery_key=str(form.get("recovery_key") or ""),
            new_password=str(form.get("new_password") or ""),
        )
    except EaseInError as error:
        return _refused(request, "forgot.html", error, values)
    return recovery_page(
        request, recovery_key, "Your password is changed", "/login", "Sign in with it"
    )


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, who: MaybeViewer, next: str = "/") -> Response:
    if who is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return page(request, "login.html", {"values": {"next": safe_next(next)}}, private=False)


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, app: Core, form: Form) -> Response:
    values = {"username": forms.text(form, "username"), "next": safe_next(forms.text(form, "next"))}
    if not same_origin(request):
        return page(request, "refused.html", status=403)
    try:
        password = str(form.get("password") or "")
        return _signed_in(app, request, values["username"], password, values["next"])
    except EaseInError as error:
        return _refused(request, "login.html", error, values)


@router.get("/login/code", response_class=HTMLResponse)
def code_page(request: Request, who: MaybeViewer, next: str = "/") -> Response:
    if who is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    if not request.cookies.get(PENDING_COOKIE):
        return RedirectResponse(login_url(safe_next(next)), status_code=303)
    return page(request, "login_code.html", {"values": {"next": safe_next(next)}}, private=False)


@router.post("/login/code", response_class=HTMLResponse)
def code(request: Request, app: Core, form: Form) -> Response:
    """The second step: the code from the authenticator app (or a recovery code)."""
    values = {"next": safe_next(forms.text(form, "next"))}
    if not same_origin(request):
        return page(request, "refused.html", status=403)
    pending = request.cookies.get(PENDING_COOKIE, "")
    client = request.headers.get("user-agent", "browser")[:80]
    try:
        token = accounts.finish_login(
            app, pending=pending, code=forms.text(form, "code"), client=client
        )
    except accounts.SecondFactorRequired as error:
        return _refused(request, "login_code.html", error, values)
    except EaseInError as error:  # expired or throttled: start again from the password
        response = _refused(request, "login.html", error, values)
        response.delete_cookie(PENDING_COOKIE, path="/login")
        return response
    response = RedirectResponse(values["next"], status_code=303)
    response.delete_cookie(PENDING_COOKIE, path="/login")
    set_session_cookie(response, app, token)
    return response


@router.get("/logout", response_class=HTMLResponse)
def logout_page(request: Request, who: MaybeViewer) -> Response:
    if who is None:
        return RedirectResponse("/login", status_code=303)
    return page(request, "logout.html", who=who)


@router.post("/logout")
def logout(app: Core, who: Poster) -> Response:
    accounts.logout(app, who)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response
