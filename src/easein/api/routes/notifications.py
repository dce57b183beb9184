"""Notification channels (Apprise URLs) and preferences: /api/v1/notification-*.

A channel's URL is never returned, not even to its owner: it holds the secret
(a token, a password, an ntfy topic). A channel is shown as its service and host.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, status
from pydantic import BaseModel, Field, StrictBool, StrictInt, StrictStr

from easein.api.deps import AppDep, Who
from easein.api.errors import ERROR_RESPONSES
from easein.api.schemas import ResourceId, Strict
from easein.notify.messages import MAX_LEAD_MINUTES, Prefs
from easein.services import notify_channels as service
from easein.services.notify_channels import Channel

router = APIRouter(tags=["notifications"], responses=ERROR_RESPONSES)

Clock = Annotated[StrictStr, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", examples=["22:00"])]


class ChannelCreate(Strict):
    url: StrictStr = Field(
        min_length=1,
        max_length=2000,
        description="An Apprise URL: ntfy://ntfy.sh/topic, gotify://host/token, "
        "mailtos://user:pass@example.org, json://host/path ... Kept secret: never shown again.",
    )
    label: StrictStr = Field(default="", max_length=80, description="Your name for it.")


class ChannelOut(BaseModel):
    id: int
    label: str
    service: str = Field(description="The kind of service, e.g. ntfy, Gotify, Email, JSON.")
    host: str = Field(description="The server it goes to (never the URL, which is a secret).")
    created_at: datetime


class TestResult(BaseModel):
    delivered: bool = Field(description="Whether the service accepted the test message.")


class PrefsIn(Strict):
    lead_minutes: StrictInt = Field(
        default=15, ge=0, le=MAX_LEAD_MINUTES, description="Remind this long before."
    )
    quiet_start: Clock | None = Field(default=None, description="Local HH:MM; null for none.")
    quiet_end: Clock | None = Field(default=None, description="Local HH:MM; null for none.")
    explicit: StrictBool = Field(
        default=False, description="Name plans and kinds in messages (default: neutral words)."
    )


class PrefsOut(BaseModel):
    lead_minutes: int
    quiet_start: str | None
    quiet_end: str | None
    explicit: bool


def _out(channel: Channel) -> ChannelOut:
    return ChannelOut(**vars(channel))


def _prefs(prefs: Prefs) -> PrefsOut:
    return PrefsOut(
        lead_minutes=int(prefs.lead.total_seconds()) // 60,
        quiet_start=prefs.quiet_start.strftime("%H:%M") if prefs.quiet_start else None,
        quiet_end=prefs.quiet_end.strftime("%H:%M") if prefs.quiet_end else None,
        explicit=prefs.explicit,
    )


@router.get("/notification-channels", response_model=list[ChannelOut])
def list_channels(who: Who, app: AppDep) -> list[ChannelOut]:
    """Your notification channels (their service and host; never their URLs)."""
    return [_out(c) for c in service.list_channels(app, who.profile.person_id)]


@router.post(
    "/notification-channels", status_code=status.HTTP_201_CREATED, response_model=ChannelOut
)
def add_channel(body: ChannelCreate, who: Who, app: AppDep) -> ChannelOut:
    """Add a channel: an URL that Apprise cannot use is refused with 422 (`url`)."""
    return _out(service.add_channel(app, who.profile.person_id, body.url, body.label))


@router.delete("/notification-channels/{channel_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove_channel(channel_id: ResourceId, who: Who, app: AppDep) -> None:
    """Remove one of your channels."""
    service.remove_channel(app, who.profile.person_id, channel_id)


@router.post("/notification-channels/{channel_id}/test", response_model=TestResult)
def test_channel(channel_id: ResourceId, who: Who, app: AppDep) -> TestResult:
    """Send a neutral test message to one of your channels, now."""
    return TestResult(delivered=service.send_test(app, who.profile.person_id, channel_id))


@router.get("/notification-settings", response_model=PrefsOut)
def get_prefs(who: Who, app: AppDep) -> PrefsOut:
    """How long before a plan you are reminded, your quiet hours, and the wording."""
    return _prefs(service.get_prefs(app, who.profile.person_id))


@router.put("/notification-settings", response_model=PrefsOut)
def put_prefs(body: PrefsIn, who: Who, app: AppDep) -> PrefsOut:
    """Replace your notification settings (quiet hours need both ends, or neither)."""
    start = service.parse_clock(body.quiet_start, "quiet_start")
    end = service.parse_clock(body.quiet_end, "quiet_end")
    prefs = service.set_prefs(
        app,
        who.profile.person_id,
        lead_minutes=body.lead_minutes,
        quiet_start=start,
        quiet_end=end,
        quiet=start is not None,
        explicit=body.explicit,
    )
    return _prefs(prefs)
