"""What every command shares: the settings overrides, the app and the profile."""

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson

from easein.services.app import App, open_app
from easein.services.profile import Profile, local_profile
from easein.settings import get_settings


@dataclass
class CliState:
    """Built by the root callback; tests may preset `clock`."""

    db: str | None = None
    clock: Callable[[], datetime] | None = None
    _app: App | None = field(default=None, repr=False)

    def app(self) -> App:
        if self._app is None:
            self._app = open_app(get_settings(database_url=self.db), clock=self.clock)
        return self._app

    def profile(self) -> Profile:
        return local_profile(self.app())

    def close(self) -> None:
        if self._app is not None:
            self._app.close()
            self._app = None


STATE = CliState()


def emit_json(data: Any) -> None:
    """Print `data` as one JSON document on stdout."""
    sys.stdout.write(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n")


def console() -> Any:
    """Return a Rich console (imported only when a human reads the output)."""
    from rich.console import Console

    # Piped output gets a wide page instead of Rich's 80-column default.
    width = None if sys.stdout.isatty() else 160
    return Console(highlight=False, soft_wrap=False, width=width)
