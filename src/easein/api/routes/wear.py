"""The long-wear timer: start it, see it, stop it (the same timer as the web page's).

When the planned time is up, the person gets one nudge through their notification
channels (services.notify_plan). Stopping answers with the minutes worn, for the
session to log with POST /sessions.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, status
from pydantic import BaseModel, Field, StrictInt

from easein.api.deps import AppDep, Who
from easein.api.errors import ERROR_RESPONSES
from easein.api.schemas import Strict
from easein.domain.errors import NotFound
from easein.services import wear_timers
from easein.services.wear_timers import MAX_ITEMS, MAX_MINUTES, RunningTimer

router = APIRouter(tags=["wear timer"], responses=ERROR_RESPONSES)

ItemId = Annotated[StrictInt, Field(ge=1, le=2**31 - 1)]


class WearTimerStart(Strict):
    item_ids: list[ItemId] = Field(
        min_length=1, max_length=MAX_ITEMS, description="The ids of the items worn."
    )
    planned_minutes: StrictInt | None = Field(
        default=None,
        ge=1,
        le=MAX_MINUTES,
        description="How long you plan to wear them: one nudge when it is up. None: no set time.",
    )
    checkin_minutes: StrictInt = Field(
        default=60, ge=0, le=MAX_MINUTES, description="How often to check in; 0: never."
    )


class WearTimerOut(BaseModel):
    id: int
    started_at: datetime
    planned_minutes: int | None
    up_at: datetime | None = Field(description="When the planned time is up (the nudge).")
    item_ids: list[int]
    checkin_minutes: int


class WearTimerStopped(WearTimerOut):
    ended_at: datetime
    worn_minutes: int = Field(description="Whole minutes worn, at least 1: for the log.")


def _out(timer: RunningTimer) -> WearTimerOut:
    planned = None if timer.planned is None else int(timer.planned.total_seconds()) // 60
    return WearTimerOut(
        id=timer.id,
        started_at=timer.started_at,
        planned_minutes=planned,
        up_at=timer.up_at,
        item_ids=list(timer.items),
        checkin_minutes=timer.checkin_minutes,
    )


@router.get("/wear-timer", response_model=WearTimerOut)
def get_timer(who: Who, app: AppDep) -> WearTimerOut:
    """Your running wear timer (404 when none is running)."""
    timer = wear_timers.running(app, who.profile.person_id)
    if timer is None:
        raise NotFound("no wear timer is running", field="wear_timer")
    return _out(timer)


@router.post("/wear-timer", status_code=status.HTTP_201_CREATED, response_model=WearTimerOut)
def start_timer(body: WearTimerStart, who: Who, app: AppDep) -> WearTimerOut:
    """Start a wear timer now, on the server's clock.

    Refused (409) while one is running, and while you may not train (rest, pause, stop
    and talk, medical hold): long wear is training too. Every item must be yours and
    safe to wear (a flared base or a handle), as for a logged session.
    """
    timer = wear_timers.start(
        app,
        who.profile,
        items=body.item_ids,
        planned_minutes=body.planned_minutes,
        checkin_minutes=body.checkin_minutes,
        refuse_running=True,
    )
    return _out(timer)


@router.delete("/wear-timer", response_model=WearTimerStopped)
def stop_timer(who: Who, app: AppDep) -> WearTimerStopped:
    """Stop your running timer (404 when none is running); its nudge, if not yet sent, is
    not sent. Nothing is logged: log the session with the minutes worn."""
    ended = wear_timers.stop(app, who.profile.person_id)
    if ended is None:
        raise NotFound("no wear timer is running", field="wear_timer")
    now = app.now()
    worn = wear_timers.worn_minutes(now - ended.started_at)
    return WearTimerStopped(**_out(ended).model_dump(), ended_at=now, worn_minutes=worn)
