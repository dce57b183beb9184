"""Rendering pages: one Jinja2 environment (autoescaped), the shared context, HTML responses."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, pass_context, select_autoescape

from easein import __version__
from easein.domain.units import Units, format_circumference, format_size
from easein.services.accounts import Principal, csrf_token

# Discretion: every page says only this in the tab, the history and the task switcher.
TITLE = "EaseIn"


@pass_context
def _size(ctx: Mapping[str, Any], mm: float | None) -> str:
    return "-" if mm is None else format_size(mm, ctx.get("units") or Units.MM)


@pass_context
def _around(ctx: Mapping[str, Any], mm: float) -> str:
    return format_circumference(mm, ctx.get("units") or Units.MM)


@pass_context
def _local(ctx: Mapping[str, Any], moment: datetime | None, fmt: str = "%a %d %b, %H:%M") -> str:
    """Return `moment` on the viewer's wall clock."""
    if moment is None:
        return ""
    who: Principal | None = ctx.get("who")
    return moment.astimezone(who.profile.tz if who else None).strftime(fmt)


def _label(value: object) -> str:
    """Return an enum value or identifier as words: `medical_hold` -> `medical hold`."""
    return str(getattr(value, "value", value)).replace("_", " ")


STATIC = Path(__file__).parent / "static"


@cache
def asset_version() -> str:
    """Return a short hash of the static files: it busts browser and offline caches on change."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(STATIC.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(STATIC).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@cache
def environment() -> Environment:
    """Return the template environment (built on first use, not at import)."""
    env = Environment(
        loader=PackageLoader("easein.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["label"] = _label
    env.globals["size"] = _size
    env.globals["around"] = _around
    env.globals["local"] = _local
    return env


def page(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    who: Principal | None = None,
    status: int = 200,
    private: bool = True,
) -> HTMLResponse:
    """Return `template` rendered for `who` (None on public pages) as an HTML response.

    Private pages are never stored by the browser or a proxy (`no-store`), so the
    back button after signing out shows nothing.
    """
    values: dict[str, Any] = {
        "request": request,
        "title": TITLE,
        "who": who,
        "units": who.profile.units if who else Units.MM,
        "csrf": csrf_token(who.token_hash) if who else "",
        "errors": {},
        "path": request.url.path,
        "version": asset_version(),
    }
    values.update(context or {})
    html = environment().get_template(template).render(values)
    headers = {"Cache-Control": "no-store" if private else "no-cache"}
    return HTMLResponse(html, status_code=status, headers=headers)


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"
