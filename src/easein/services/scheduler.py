"""The notification scheduler: a background thread running outbox passes every interval.

`easein serve` starts one per worker process (in the app's lifespan) and
`easein worker` runs the same loop in the foreground. Several at once are fine:
the outbox plans each notification once and hands each due row to one worker.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from easein.services import outbox
from easein.services.app import App

log = logging.getLogger("easein.notify")


def run_pass(app: App) -> outbox.PassResult | None:
    """Run one pass; log and swallow what goes wrong, so the loop keeps going."""
    try:
        return outbox.run_once(app)
    except Exception:
        log.exception("a notification pass failed; the next one tries again")
        return None


def loop(app: App, interval: float, stop: threading.Event, on_pass: Callable[[], None]) -> None:
    """Run a pass now and then every `interval` seconds until `stop` is set."""
    while not stop.is_set():
        run_pass(app)
        on_pass()
        stop.wait(interval)


class Scheduler:
    """A daemon thread that runs passes until stopped."""

    def __init__(self, app: App, interval: float):
        self.app = app
        self.interval = interval
        self.passes = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _count(self) -> None:
        self.passes += 1

    def start(self) -> None:
        self._thread = threading.Thread(
            target=loop,
            args=(self.app, self.interval, self._stop, self._count),
            name="easein-notify",
            daemon=True,
        )
        self._thread.start()

    def stop(self, timeout: float = 30) -> None:
        """Stop after the pass under way (a send takes seconds at most)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
