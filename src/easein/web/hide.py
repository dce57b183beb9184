"""Quick hide: a neutral screen to switch to at once (the header's Hide, or Escape twice).

The page is public and says nothing about EaseIn: its own title ("Notes"), no header,
no tabs, no data. It works as a plain link; with JavaScript (static/js/quick-hide.js)
the switch replaces the current history entry, so Back does not return to what was
on screen.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from easein.web.render import page

router = APIRouter(include_in_schema=False)

HIDE_TITLE = "Notes"


@router.get("/hide", response_class=HTMLResponse)
def hide(request: Request) -> Response:
    # No personal data: the service worker keeps it, so that Hide works offline too.
    return page(request, "hide.html", {"title": HIDE_TITLE}, private=False)
