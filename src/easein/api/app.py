"""The web application: the JSON API under /api/v1 and the pages, from one factory."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

from fastapi import FastAPI

from easein import __version__
from easein.api import errors, security
from easein.services.app import App, open_app
from easein.settings import Settings, get_settings

API = "/api/v1"


def create_app(
    settings: Settings,
    *,
    clock: Callable[[], datetime] | None = None,
    scheduler: bool = False,
) -> FastAPI:
    """Return the ASGI app on `settings`' database (migrated at start-up).

    With `scheduler`, a background thread sends reminders and notifications while the
    app runs (`easein serve` asks for it unless the setting `notify_scheduler` is off).
    """
    from easein.api.routes import (
        account,
        account_security,
        calendar,
        goals,
        notifications,
        report,
        together,
        together_agreement,
        together_directives,
        training,
        wear,
    )

    @asynccontextmanager
    async def lifespan(api: FastAPI) -> AsyncIterator[None]:
        core: App = open_app(settings, clock=clock)
        api.state.easein = core
        sender = None
        if scheduler:
            from easein.services.scheduler import Scheduler

            sender = Scheduler(core, settings.notify_interval_seconds)
            sender.start()
        api.state.scheduler = sender
        gc.freeze()  # long-lived start-up objects out of the collector's way (p99)
        try:
            yield
        finally:
            if sender is not None:
                sender.stop()
            core.close()

    api = FastAPI(
        title="EaseIn",
        version=__version__,
        description="A private, safety-first companion for progressive anal training.",
        openapi_url=f"{API}/openapi.json",
        docs_url="/docs" if settings.api_docs else None,
        redoc_url="/redoc" if settings.api_docs else None,
        lifespan=lifespan,
    )
    errors.install(api)
    security.install(api, settings)
    api.include_router(account.router, prefix=API)
    api.include_router(account_security.router, prefix=API)
    api.include_router(training.router, prefix=API)
    api.include_router(goals.router, prefix=API)
    api.include_router(wear.router, prefix=API)
    api.include_router(report.router, prefix=API)
    api.include_router(together.router, prefix=API)
    api.include_router(together_directives.router, prefix=API)
    api.include_router(together_agreement.router, prefix=API)
    api.include_router(calendar.router, prefix=API)
    api.include_router(notifications.router, prefix=API)
    api.include_router(calendar.feed_router)  # /calendar/{token}.ics: no sign-in, not JSON

    @api.get(f"{API}/health", tags=["meta"])
    async def health() -> dict[str, str]:
        """Liveness: no database, no sign-in."""
        return {"status": "ok"}

    from easein.web.pages import install as install_pages

    install_pages(api)
    return api


def factory() -> FastAPI:
    """Entry point for `uvicorn --factory` (`easein serve`): settings from the environment."""
    settings = get_settings()
    return create_app(settings, scheduler=settings.notify_scheduler)
