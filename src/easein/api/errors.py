"""Domain errors become HTTP errors here, once: 422 names the field and the rule."""

from __future__ import annotations

import re

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from easein.domain.errors import Conflict, EaseInError, NotFound
from easein.domain.pairing import NotPermitted
from easein.services.accounts import NotAuthenticated, SecondFactorRequired, TooManyAttempts


class ErrorItem(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorBody(BaseModel):
    """422: what was wrong (`loc` is the field path) and the rule it broke (`type`)."""

    detail: list[ErrorItem]


class MessageBody(BaseModel):
    """401, 403, 404, 409, 429: one message for a person."""

    detail: str
    code: str | None = Field(
        default=None,
        description="Only `totp_required` (401): the password was right; send the code too.",
    )


ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    400: {"model": MessageBody, "description": "The body is not readable JSON"},
    401: {"model": MessageBody, "description": "Not signed in"},
    403: {"model": MessageBody, "description": "CSRF token missing or wrong"},
    404: {"model": MessageBody, "description": "Not found (or not yours)"},
    409: {"model": MessageBody, "description": "Conflicts with what is stored"},
    422: {"model": ValidationErrorBody, "description": "Invalid input; nothing was written"},
}


class CsrfRefused(EaseInError):
    """An unsafe request made with a session cookie lacked the CSRF token or came cross-site."""

    code = "csrf"


# The domain and the CLI name fields as people type them; the API names them as sent.
API_FIELDS = {
    "item": "item_ids",
    "reached": "item_ids",
    "diameter": "diameter_mm",
    "neck": "neck_mm",
    "length": "length_mm",
    "confirm": "confirm",
}


def in_query(error: EaseInError) -> EaseInError:
    """Mark `error` as being about the query string, not the body."""
    error.location = "query"  # type: ignore[attr-defined]
    return error


def status_of(error: EaseInError) -> int:
    if isinstance(error, CsrfRefused | NotPermitted):  # NotPermitted: in the pairing, wrong role
        return 403
    if isinstance(error, NotAuthenticated):
        return 401
    if isinstance(error, TooManyAttempts):
        return 429
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, Conflict):
        return 409
    return 422


def install(app: FastAPI) -> None:
    app.add_middleware(AllowEveryMethod)

    @app.exception_handler(EaseInError)
    async def on_domain_error(request: Request, error: EaseInError) -> JSONResponse:
        status = status_of(error)
        if status == 422:
            location = getattr(error, "location", "body")
            field = API_FIELDS.get(error.field or "", error.field or location)
            where = [location, *field.split(".")]
            body: dict[str, object] = {
                "detail": [{"loc": where, "msg": error.message, "type": error.code}]
            }
        elif isinstance(error, SecondFactorRequired):
            body = {"detail": error.message, "code": error.code}
        else:
            body = {"detail": error.message}
        headers = {"WWW-Authenticate": 'Bearer realm="easein"'} if status == 401 else None
        return JSONResponse(body, status_code=status, headers=headers)


class AllowEveryMethod:
    """Make a 405's `Allow` header list every method the path has (RFC 9110 §15.5.6).

    FastAPI makes one route per path and method, and Starlette's 405 names the methods of
    the first route whose path matched: `OPTIONS /api/v1/toys` said `Allow: GET` although
    the path takes POST too. The API's paths and methods are those of its OpenAPI
    document, so the header is rewritten from that (other paths keep Starlette's).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.paths: list[tuple[re.Pattern[str], str]] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_allow(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 405:
                methods = self.allowed(scope)
                if methods:
                    headers = [(k, v) for k, v in message.get("headers", []) if k != b"allow"]
                    headers.append((b"allow", methods.encode()))
                    message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_allow)

    def allowed(self, scope: Scope) -> str:
        """The documented methods at the request's path, as `Allow` lists them ("" if none)."""
        if self.paths is None:  # the document is complete only once every route is added
            document = scope["app"].openapi()
            self.paths = [
                (re.compile("^" + re.sub(r"\\{\w+\\}", "[^/]+", re.escape(path)) + "$"),
                 ", ".join(sorted(m.upper() for m in operations)))
                # a literal segment wins over a parameter (/invitations/accept, /invitations/{id})
                for path, operations in sorted(
                    document.get("paths", {}).items(), key=lambda item: item[0].count("{")
                )
            ]  # fmt: skip
        path = scope.get("path", "")
        return next((methods for pattern, methods in self.paths if pattern.match(path)), "")
