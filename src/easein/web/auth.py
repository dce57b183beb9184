"""Who is looking: the session cookie of the API, with redirects and HTML refusals for pages.

GET pages ask `Viewer` (a redirect to /login when signed out); form posts ask
`Poster`, which is the API's own `principal` check (cookie, CSRF token from the
form's hidden `csrf_token` field or the HTMX header, same origin) with its
refusals turned into a redirect (signed out) or an HTML 403 (CSRF).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request
from starlette.datastructures import FormData

from easein.api.deps import COOKIE, principal
from easein.api.errors import CsrfRefused
from easein.services.accounts import NotAuthenticated, Principal, authenticate
from easein.services.app import App


class SignInRequired(Exception):
    """The page needs a signed-in person; the handler redirects to /login."""

    def __init__(self, next_path: str = "/"):
        super().__init__(next_path)
        self.next_path = next_path


class FormRefused(Exception):
    """A form post lacked the CSRF token or came from another site (HTML 403)."""


# The dependencies are `async def` so that the sign-in check, one indexed read,
# runs on the event loop instead of a hop to the thread pool on every page.


async def core(request: Request) -> App:
    app: App = request.app.state.easein
    return app


def login_url(next_path: str) -> str:
    return "/login" if next_path in ("", "/") else f"/login?next={quote(next_path, safe='/')}"


def safe_next(value: str | None) -> str:
    """Return `value` if it is a path on this site, else "/" (no open redirect)."""
    if value and value.startswith("/") and not value.startswith(("//", "/\\")):
        return value
    return "/"


async def optional_viewer(request: Request) -> Principal | None:
    """Return the signed-in person, or None."""
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    try:
        return authenticate(request.app.state.easein, token, kind="browser")
    except NotAuthenticated:
        return None


async def viewer(request: Request) -> Principal:
    """Return the signed-in person, or send the browser to /login and back here after."""
    who = await optional_viewer(request)
    if who is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInRequired(target)
    return who


async def poster(request: Request) -> Principal:
    """Return the signed-in person of a form post whose CSRF token is right."""
    try:
        return await principal(
            request, request.app.state.easein, bearer=None, cookie=request.cookies.get(COOKIE)
        )
    except NotAuthenticated:
        raise SignInRequired("/") from None
    except CsrfRefused:
        raise FormRefused from None


async def form_data(request: Request) -> FormData:
    return await request.form()


def same_origin(request: Request) -> bool:
    """Whether a form post without a session (sign-up, log-in) came from this site."""
    origin = request.headers.get("origin")
    if origin is None:
        return request.headers.get("sec-fetch-site", "same-origin") in ("same-origin", "none")
    return origin.split("://", 1)[-1] == request.headers.get("host", "")


Viewer = Annotated[Principal, Depends(viewer)]
MaybeViewer = Annotated[Principal | None, Depends(optional_viewer)]
Poster = Annotated[Principal, Depends(poster)]
Form = Annotated[FormData, Depends(form_data)]
Core = Annotated[App, Depends(core)]
