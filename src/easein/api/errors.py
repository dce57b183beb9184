"""Domain errors become HTTP errors here, once: 422 names the field and the rule."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

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
