"""The guided session: preparation, warm-up, breath-paced advancing, holds, re-lube prompts, Stop.

The page runs in the browser (static/js/guided.js); at the end, or on Stop, it
opens the log form filled in with what the session recorded. Nothing is saved
until that form is.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from easein.services import training
from easein.web.auth import Core, Viewer
from easein.web.render import page
from easein.web.today import STATE_TITLES

router = APIRouter(include_in_schema=False)

CHECKLIST = (
    ("bathroom", "Been to the bathroom"),
    ("douche", "Douche or enema, if you like to (optional)"),
    ("towel", "A towel underneath"),
    ("gloves", "Gloves, if you use them (optional)"),
    ("wipes", "Wipes within reach"),
    ("lube", "Plenty of lube, open and within reach"),
    ("toys", "Your items, clean, smallest first"),
    ("time", "Time without interruptions, phone on silent"),
)
TEMPOS = ((6, "Slow"), (5, "Medium"), (4, "Quicker"))  # seconds per half-breath


@router.get("/guided", response_class=HTMLResponse)
def guided(request: Request, app: Core, who: Viewer) -> Response:
    status = training.status(app, who.profile)
    last = training.last_session(app, who.profile)
    usable = [t for rung in status.ladder.rungs for t in rung.items]
    rec = status.recommendation.item
    context = {
        "status": status,
        "state_title": STATE_TITLES[status.safety.state.value],
        "items": usable,
        "chosen": {rec.id} if rec else ({usable[0].id} if usable else set()),
        "checklist": CHECKLIST,
        "tempos": TEMPOS,
        "phase": (last.breath_phase.value if last and last.breath_phase else "exhale"),
    }
    return page(request, "guided.html", context, who=who)
