"""Reading HTML form fields: text in, typed values out, or an InvalidInput naming the field.

Only parsing lives here (a browser sends everything as text); every rule about
what the values may be is the domain's and the services'.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from starlette.datastructures import FormData

from easein.domain.errors import EaseInError, InvalidInput

E = TypeVar("E", bound=StrEnum)


def text(form: FormData, name: str, default: str = "") -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else default


def checkbox(form: FormData, name: str) -> bool:
    return text(form, name) not in ("", "0", "off", "false", "no")


def tristate(form: FormData, name: str) -> bool | None:
    """Return True for "yes", False for "no", None when not said."""
    return {"yes": True, "no": False}.get(text(form, name))


def integer(
    form: FormData, name: str, *, required: bool = False, label: str | None = None
) -> int | None:
    raw = text(form, name)
    if not raw:
        if required:
            raise InvalidInput(f"{label or name}: fill this in", field=name, code="required")
        return None
    try:
        return int(raw)
    except ValueError:
        raise InvalidInput(
            f"{label or name}: {raw!r} is not a whole number", field=name, code="invalid_number"
        ) from None


def number(form: FormData, name: str, *, label: str | None = None) -> float | None:
    raw = text(form, name).replace(",", ".")
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        raise InvalidInput(
            f"{label or name}: {raw!r} is not a number", field=name, code="invalid_number"
        ) from None


def choice(form: FormData, name: str, enum: type[E], default: E | None = None) -> E | None:
    raw = text(form, name)
    if not raw:
        return default
    try:
        return enum(raw)
    except ValueError:
        allowed = ", ".join(e.value for e in enum)
        raise InvalidInput(f"{name}: choose one of {allowed}", field=name) from None


def choices(form: FormData, name: str, enum: type[E]) -> list[E]:
    """Return every value posted under `name` (repeated checkboxes) as `enum` members."""
    found = []
    for raw in form.getlist(name):
        try:
            found.append(enum(str(raw)))
        except ValueError:
            allowed = ", ".join(e.value for e in enum)
            raise InvalidInput(f"{name}: choose from {allowed}", field=name) from None
    return found


def ids(form: FormData, name: str) -> list[int]:
    found = []
    for raw in form.getlist(name):
        try:
            found.append(int(str(raw)))
        except ValueError:
            raise InvalidInput(f"{name}: {raw!r} is not an item", field=name) from None
    return found


def query_int(text: str, default: int) -> int:
    """Return a whole number from a query string, or `default`: a typo'd link still opens."""
    try:
        return int(text)
    except ValueError:
        return default


def errors_of(error: EaseInError) -> dict[str, str]:
    """Return the message keyed by its field, for showing next to that field."""
    return {(error.field or "form"): error.message}


def values_of(form: FormData) -> dict[str, object]:
    """Return the posted values for re-showing a form (lists for repeated names)."""
    values: dict[str, object] = {}
    for key in form:
        many = form.getlist(key)
        values[key] = many if len(many) > 1 else many[0]
    return values
