"""Who is asking: a signed-in browser (cookie + CSRF token) or a personal access token."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer

from easein.api.errors import CsrfRefused
from easein.services.accounts import NotAuthenticated, Principal, authenticate, csrf_token
from easein.services.app import App

COOKIE = "easein_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def get_app(request: Request) -> App:
    app: App = request.app.state.easein
    return app


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    host = request.headers.get("host", "")
    return origin.split("://", 1)[-1] == host


bearer_scheme = HTTPBearer(
    auto_error=False, description="A personal access token (POST /api/v1/tokens)."
)
cookie_scheme = APIKeyCookie(
    name=COOKIE,
    auto_error=False,
    description="The session cookie from POST /api/v1/auth/login; writes also need the "
    "X-CSRF-Token header.",
)


async def principal(
    request: Request,
    app: Annotated[App, Depends(get_app)],
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)] = None,
    cookie: Annotated[str | None, Depends(cookie_scheme)] = None,
) -> Principal:
    """Return the signed-in person; unsafe cookie requests must carry the CSRF token."""
    if bearer is not None:
        return authenticate(app, bearer.credentials.strip(), kind="token")
    token = cookie
    if not token:
        raise NotAuthenticated("sign in first", field="token")
    who = authenticate(app, token, kind="browser")
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER)
        if sent is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")
        ):
            sent = str((await request.form()).get("csrf_token", ""))
        expected = csrf_token(who.token_hash)
        if not sent or not hmac.compare_digest(sent, expected) or not _same_origin(request):
            raise CsrfRefused("missing or wrong CSRF token: reload the page", field="csrf_token")
    return who


Who = Annotated[Principal, Depends(principal)]
AppDep = Annotated[App, Depends(get_app)]
