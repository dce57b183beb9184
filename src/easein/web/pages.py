"""The pages of the web app: routers, static files, and how refusals look in a browser."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from easein.web.auth import FormRefused, SignInRequired, login_url

STATIC = Path(__file__).parent / "static"


def install(api: FastAPI) -> None:
    """Register the pages and static files on `api`."""
    from easein.web import (
        account,
        guide,
        guided,
        hide,
        log,
        more,
        plans,
        progress,
        pwa,
        report,
        security_page,
        settings_page,
        today,
        together,
        toys,
        wear,
    )
    from easein.web.render import environment, is_htmx, page
    from easein.web.together_header import install as install_together

    routers = (
        account,
        today,
        log,
        toys,
        progress,
        report,
        guided,
        wear,
        plans,
        settings_page,
        guide,
        more,
        together,
        pwa,
        hide,
        security_page,
    )
    for module in routers:
        api.include_router(module.router)
    install_together(environment())  # the header's Stop and talk, schedules in words
    api.mount("/static", StaticFiles(directory=STATIC), name="static")

    @api.exception_handler(SignInRequired)
    async def to_login(request: Request, error: SignInRequired) -> Response:
        if is_htmx(request):  # a partial update cannot show a whole page: go there instead
            return Response(status_code=204, headers={"HX-Redirect": login_url("/")})
        return RedirectResponse(login_url(error.next_path), status_code=303)

    @api.exception_handler(StarletteHTTPException)
    async def not_found(request: Request, error: StarletteHTTPException) -> Response:
        # The API keeps FastAPI's JSON answers; a person in a browser gets a page.
        if request.url.path.startswith("/api/") or error.status_code != 404:
            return await http_exception_handler(request, error)
        return page(request, "notfound.html", status=404, private=False)

    @api.exception_handler(FormRefused)
    async def refused(request: Request, error: FormRefused) -> Response:
        template = "_refused.html" if is_htmx(request) else "refused.html"
        return page(request, template, status=403)
