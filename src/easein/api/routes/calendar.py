"""The private calendar feed: manage it under /api/v1/calendar-feed; fetch it at /calendar/.

The feed itself (GET /calendar/{token}.ics) is left out of the OpenAPI document:
it is not part of the JSON API but a capability URL that a calendar app polls,
with no sign-in and no JSON, answering only iCalendar or 404. Documenting it as
an operation would describe it as public, invite fuzzing a secret path, and say
nothing a calendar app reads; the README describes it instead.
"""

from __future__ import annotations

import re
from datetime import datetime

from fastapi import APIRouter, Request, Response, status
from pydantic import BaseModel, Field, StrictBool

from easein.api.deps import AppDep, Who
from easein.api.errors import ERROR_RESPONSES
from easein.api.schemas import Strict
from easein.domain.errors import NotFound
from easein.services import calendar as service

router = APIRouter(tags=["calendar"], responses=ERROR_RESPONSES)
feed_router = APIRouter(include_in_schema=False)

TOKEN = re.compile(r"[A-Za-z0-9_-]{20,100}")
ICS = "text/calendar; charset=utf-8"
PRIVATE = {"Cache-Control": "private, no-store"}


class FeedCreate(Strict):
    explicit: StrictBool = Field(
        default=False,
        description="Event titles name the plan and its kind; otherwise neutral words only "
        '("Evening routine", "Rest until ...", "Pause").',
    )


class FeedCreated(BaseModel):
    url: str = Field(description="The feed's private address, shown this once: keep it secret.")
    explicit: bool
    created_at: datetime


class FeedStatusOut(BaseModel):
    exists: bool
    explicit: bool | None = Field(description="The wording chosen; null without a feed.")
    created_at: datetime | None
    last_fetched_at: datetime | None = Field(
        description="When a calendar app last fetched it (to the hour); null if never."
    )


def feed_url(request: Request, token: str) -> str:
    """Return the feed's absolute URL on the server that answered `request`."""
    return str(request.base_url).rstrip("/") + service.feed_path(token)


@router.post("/calendar-feed", status_code=status.HTTP_201_CREATED, response_model=FeedCreated)
def create_feed(body: FeedCreate, who: Who, app: AppDep, request: Request) -> FeedCreated:
    """Create your private calendar feed, or a new one: the old address stops working."""
    token, made = service.create_feed(app, who.account_id, explicit=body.explicit)
    assert made.created_at is not None
    return FeedCreated(
        url=feed_url(request, token), explicit=body.explicit, created_at=made.created_at
    )


@router.get("/calendar-feed", response_model=FeedStatusOut)
def feed_status(who: Who, app: AppDep) -> FeedStatusOut:
    """Whether you have a calendar feed and its wording (never its address)."""
    found = service.feed_status(app, who.account_id)
    return FeedStatusOut(**vars(found))


@router.delete("/calendar-feed", status_code=status.HTTP_204_NO_CONTENT)
def revoke_feed(who: Who, app: AppDep) -> None:
    """Revoke your calendar feed: its address answers 404 from now on (404 if there is none)."""
    service.revoke_feed(app, who.account_id)


@feed_router.api_route("/calendar/{token}.ics", methods=["GET", "HEAD"])
def feed(token: str, app: AppDep) -> Response:
    """The feed a calendar app subscribes to; 404 alike for unknown and revoked tokens."""
    try:
        if not TOKEN.fullmatch(token):
            raise NotFound("no such calendar", field="token")
        body = service.feed_for_token(app, token)
    except NotFound:
        return Response("Not found\n", status_code=404, media_type="text/plain", headers=PRIVATE)
    return Response(body, media_type=ICS, headers=PRIVATE)
