"""Errors the domain raises: each carries a machine code, a field and a human message."""

from __future__ import annotations


class EaseInError(Exception):
    """Base of every error EaseIn reports to a person instead of a traceback."""

    code = "error"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return self.message


class InvalidInput(EaseInError):
    """The input breaks a rule of what is allowed; nothing was written."""

    code = "invalid_input"


class NotFound(InvalidInput):
    """The thing named does not exist (for this person)."""

    code = "not_found"


class UnsafeItem(InvalidInput):
    """The item cannot be used anally (rule `toy.base_required`)."""

    code = "unsafe_item"


class Conflict(InvalidInput):
    """The request contradicts the stored state (duplicate name, non-empty import...)."""

    code = "conflict"
