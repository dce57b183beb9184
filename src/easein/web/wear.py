"""The long-wear timer: it survives closing the page (the start is in the URL and in
the browser's storage); Stop turns it into a log form filled in with the wear time.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from easein.domain.errors import EaseInError, InvalidInput
from easein.domain.units import check_duration
from easein.services import training
from easein.services.accounts import Principal
from easein.services.app import App
from easein.web import forms
from easein.web.auth import Core, Form, Poster, Viewer
from easein.web.render import page
from easein.web.today import STATE_TITLES

router = APIRouter(include_in_schema=False)

CHECK_INS = (
    (30, "Every 30 minutes"),
    (60, "Every hour"),
    (120, "Every 2 hours"),
    (0, "No check-ins"),
)


def parse_since(text: str | None) -> datetime | None:
    """Return the timer's start (aware UTC) from its ISO text, or None if there is none."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def wear_context(
    app: App, who: Principal, since: datetime | None, chosen: list[str], checkin: int
) -> dict[str, Any]:
    status = training.status(app, who.profile)
    now = app.now()
    items = [t for rung in status.ladder.rungs for t in rung.items]
    rec = status.recommendation.item
    return {
        "status": status,
        "state_title": STATE_TITLES[status.safety.state.value],
        "now": now,
        "since": since if since is not None and since <= now else None,
        "items": items,
        "chosen": chosen or ([str(rec.id)] if rec else []),
        "names": {str(t.id): t.name for t in items},
        "checkin": checkin,
        "check_ins": CHECK_INS,
    }


@router.get("/wear", response_class=HTMLResponse)
def wear(
    request: Request,
    app: Core,
    who: Viewer,
    since: str | None = None,
    checkin: str = "60",
) -> Response:
    chosen = [str(i) for i in request.query_params.getlist("item")]
    context = wear_context(app, who, parse_since(since), chosen, forms.query_int(checkin, 60))
    return page(request, "wear.html", context, who=who)


@router.get("/wear/start")
def start(request: Request, app: Core, who: Viewer, checkin: str = "60") -> Response:
    """Start the timer now (on the server's clock) and show it running."""
    query = [("since", app.now().isoformat()), ("checkin", str(forms.query_int(checkin, 60)))]
    query += [("item", str(i)) for i in request.query_params.getlist("item")]
    return RedirectResponse("/wear?" + urlencode(query), status_code=303)


@router.post("/wear/stop", response_class=HTMLResponse)
def stop(request: Request, app: Core, who: Poster, form: Form) -> Response:
    """Stop the timer: open the log form with kind wear, the start and the minutes worn."""
    started = parse_since(forms.text(form, "since"))
    try:
        if started is None:
            raise InvalidInput("the timer's start time is missing: start it again", field="since")
        worn = check_duration(app.now() - started, field="wear time")
    except EaseInError as error:
        context = wear_context(app, who, None, [], 60)
        context["errors"] = forms.errors_of(error)
        return page(request, "wear.html", context, who=who, status=422)
    minutes = max(1, round(worn.total_seconds() / 60))
    query = [("kind", "wear"), ("duration", str(minutes)), ("started", started.isoformat())]
    query += [("item", str(i)) for i in form.getlist("item")]
    return RedirectResponse("/log?" + urlencode(query), status_code=303)
