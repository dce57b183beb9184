"""The scheduler inside the web app: started by the lifespan when asked, stopped with it."""

from __future__ import annotations

import asyncio
import time as clock_time
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

from fastapi import FastAPI

from easein.api.app import create_app
from easein.domain.sessions import SessionKind
from easein.services import plans
from easein.services.notify_channels import add_channel
from tests.notify.receiver import receiving
from tests.services.together_helpers import person


def while_serving(api: FastAPI, during: Callable[[], None]) -> None:
    """Run the app's lifespan (start-up, then shut-down) around `during`, as uvicorn does."""

    async def serve() -> None:
        async with api.router.lifespan_context(api):
            await asyncio.to_thread(during)

    asyncio.run(serve())


def test_serve_sends_reminders_from_its_scheduler_and_stops_with_it(settings, clock, app):
    with receiving(clock) as receiver:
        alice = person(app)
        plans.add_plan(
            app,
            alice,
            name="nightly",
            kind=SessionKind.WEAR,
            schedule="daily",
            at=time(21, 30),
            duration=timedelta(hours=1),
        )
        add_channel(app, alice.person_id, receiver.url("alice"))
        clock.now = datetime(2026, 3, 2, 20, 15, tzinfo=UTC)
        api = create_app(settings, clock=clock, scheduler=True)

        def wait_for_a_reminder() -> None:
            deadline = clock_time.monotonic() + 20
            while not receiver.arrivals and clock_time.monotonic() < deadline:
                clock_time.sleep(0.05)

        while_serving(api, wait_for_a_reminder)
        sender = api.state.scheduler
        assert sender is not None
        assert [a.message for a in receiver.arrivals] == ["Evening routine in 15 minutes (21:30)"]
        assert sender._thread is not None and not sender._thread.is_alive()


def test_the_app_runs_no_scheduler_unless_asked(settings, clock):
    api = create_app(settings, clock=clock)
    while_serving(api, lambda: None)
    assert api.state.scheduler is None
