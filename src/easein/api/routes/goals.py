"""The goal: a target size, an optional wear routine and a note, with the distance to go."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, status
from pydantic import BaseModel, Field, StrictStr

from easein.api.deps import AppDep, Who
from easein.api.errors import ERROR_RESPONSES
from easein.api.schemas import Diameter, Strict
from easein.domain.errors import InvalidInput, NotFound
from easein.services import goals as service

router = APIRouter(tags=["goal"], responses=ERROR_RESPONSES)

# At least 0.01 h: hours are kept to 0.01, and the domain refuses what rounds to 0.
WearHours = Annotated[float, Field(ge=0.01, le=24, strict=True)]


class GoalSet(Strict):
    target_mm: Diameter = Field(description="The diameter you are working toward, in mm.")
    wear_hours: WearHours | None = Field(
        default=None, description="Optional: hours of long wear per session, e.g. per night."
    )
    note: StrictStr = Field(default="", max_length=200, description="Why this matters to you.")


class GoalDistanceOut(BaseModel):
    earned_mm: float | None
    to_go_mm: float | None = Field(description="None until a size is earned; 0 once reached.")
    reached: bool
    largest_mm: float | None = Field(description="Your largest usable item.")
    gap: bool = Field(description="The goal is wider than every usable item you have.")
    look_for_mm: list[float] = Field(description="With a gap: sizes to look for, in steps.")
    headline: str
    detail: str


class GoalOut(BaseModel):
    target_mm: float
    wear_hours: float | None
    note: str
    note_locked: bool = Field(
        description="The note is sealed under your password's key and this sign-in does not "
        "hold it (made before data keys): `note` is empty. Sign in again to read it."
    )
    set_at: datetime
    distance: GoalDistanceOut


# The domain names the size as people type it; the API names it as sent.
_FIELDS = {"size": "target_mm"}


def _view(app: AppDep, who: Who) -> dict[str, Any]:
    view = service.goal_view(app, who.profile)
    if view is None:
        raise NotFound("no goal is set: PUT /api/v1/goal sets one", field="goal")
    return service.goal_json(view)


@router.get("/goal", response_model=GoalOut)
def get_goal(who: Who, app: AppDep) -> dict[str, Any]:
    """Your goal and how far it is from the size you have earned (404 when none is set)."""
    return _view(app, who)


@router.put("/goal", response_model=GoalOut)
def set_goal(body: GoalSet, who: Who, app: AppDep) -> dict[str, Any]:
    """Set your goal, replacing the current one."""
    try:
        service.set_goal(
            app,
            who.profile,
            target_mm=body.target_mm,
            wear_hours=body.wear_hours,
            note=body.note,
        )
    except InvalidInput as error:
        error.field = _FIELDS.get(error.field or "", error.field)
        raise
    return _view(app, who)


@router.delete("/goal", status_code=status.HTTP_204_NO_CONTENT)
def clear_goal(who: Who, app: AppDep) -> None:
    """Clear your goal (404 when none is set)."""
    service.clear_goal(app, who.profile)
