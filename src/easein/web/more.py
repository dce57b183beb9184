"""The "More" menu: everything that is not in the tab bar."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from easein.web.auth import Viewer
from easein.web.render import page

router = APIRouter(include_in_schema=False)


@router.get("/more", response_class=HTMLResponse)
def more(request: Request, who: Viewer) -> Response:
    return page(request, "more.html", who=who)
