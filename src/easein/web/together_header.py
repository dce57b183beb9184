"""The Stop and talk button in every page's header, while the viewer trains with a partner.

A template global (registered by `pages.install`): the header asks it, per page,
whether the signed-in person is in an active pairing, as which role, and whether a
stop and talk is open (services.together.presence, reused while nothing changed).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jinja2 import Environment, pass_context

from easein.services.together import presence
from easein.services.together.presence import Bar


@pass_context
def together_bar(ctx: Mapping[str, Any]) -> Bar | None:
    """Return the header's Training together state for the page's viewer (None: nothing)."""
    who = ctx.get("who")
    request = ctx.get("request")
    if who is None or request is None:
        return None
    return presence.bar(request.app.state.easein, who.profile)


DAY_NAMES = {
    "MO": "Mon",
    "TU": "Tue",
    "WE": "Wed",
    "TH": "Thu",
    "FR": "Fri",
    "SA": "Sat",
    "SU": "Sun",
}


def schedule_words(rrule: str) -> str:
    """Return a normalised RRULE body in plain words ("every day", "Mon, Wed, Fri"), or as is."""
    parts = dict(p.split("=", 1) for p in rrule.split(";") if "=" in p)
    interval = parts.get("INTERVAL", "1")
    if parts.get("FREQ") == "DAILY":
        return "every day" if interval == "1" else f"every {interval} days"
    if parts.get("FREQ") == "WEEKLY" and "BYDAY" in parts:
        days = ", ".join(DAY_NAMES.get(d, d) for d in parts["BYDAY"].split(","))
        if len(parts["BYDAY"].split(",")) == 7 and interval == "1":
            return "every day"
        return days if interval == "1" else f"{days}, every {interval} weeks"
    return rrule


def install(env: Environment) -> None:
    """Register the header's state and the schedule words on the template environment."""
    env.globals["together_bar"] = together_bar
    env.filters["schedule"] = schedule_words
