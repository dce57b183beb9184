"""Directives, check-ins, compliance and comments of a pairing (see routes.together)."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, status

from easein.api.deps import AppDep, Who
from easein.api.routes.together import RESPONSES, api_fields, pairing_of
from easein.api.schemas import ResourceId
from easein.api.together_schemas import (
    CheckInIn,
    CheckInOut,
    CommentIn,
    CommentOut,
    ComplianceOut,
    DirectiveIn,
    DirectiveOut,
    DirectiveViewOut,
)
from easein.domain.clock import parse_date
from easein.domain.compliance import CheckInResult
from easein.domain.directives import DirectiveKind, DirectiveSpec, Window
from easein.domain.errors import InvalidInput
from easein.present_together import (
    check_in_json,
    comment_json,
    compliance_json,
    directive_json,
    directive_view_json,
)
from easein.services.together import checkins, comments, directives
from easein.services.together.comments import Target

router = APIRouter(tags=["together"], responses=RESPONSES)

DIRECTIVE_FIELDS = {
    "item": "item_id",
    "duration": "duration_min",
    "window": "window",
    "schedule": "schedule",
    "session": "session_id",
}
BASE = "/pairings/{pairing_id}/directives"
ONE = BASE + "/{directive_id}"


def _clock(text: str, field: str) -> time:
    try:
        return time.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{field} is a time of day, HH:MM", field=field) from None


def _spec(body: DirectiveIn) -> DirectiveSpec:
    window = (
        Window(_clock(body.window.start, "window.start"), _clock(body.window.end, "window.end"))
        if body.window
        else None
    )
    return DirectiveSpec(
        kind=DirectiveKind(body.kind),
        duration=timedelta(minutes=body.duration_min),
        schedule=body.schedule,
        starts_on=parse_date(body.starts_on, field="starts_on"),
        window=window,
        note=body.note,
        item_id=body.item_id,
    )


@router.get(BASE, response_model=list[DirectiveViewOut])
def list_directives(pairing_id: ResourceId, who: Who, app: AppDep) -> list[dict[str, Any]]:
    """The pairing's directives, newest first, each with its status now."""
    found = directives.list_directives(app, who.profile.person_id, pairing_id)
    current = pairing_of(app, who.profile.person_id, pairing_id)
    return [directive_view_json(v, current) for v in found]


@router.post(BASE, status_code=status.HTTP_201_CREATED, response_model=DirectiveViewOut)
def create_directive(
    pairing_id: ResourceId, body: DirectiveIn, who: Who, app: AppDep
) -> dict[str, Any]:
    """Set a directive (the partner). Above the earned size plus one rung, a step too large
    or an item without a flared base: 422, with the rule in `type`."""
    with api_fields(DIRECTIVE_FIELDS):
        view = directives.create_directive(app, who.profile.person_id, pairing_id, _spec(body))
    return directive_view_json(view, pairing_of(app, who.profile.person_id, pairing_id))


@router.get(ONE, response_model=DirectiveViewOut)
def get_directive(
    pairing_id: ResourceId, directive_id: ResourceId, who: Who, app: AppDep
) -> dict[str, Any]:
    """One directive, with its status now."""
    view = directives.get_directive(app, who.profile.person_id, pairing_id, directive_id)
    return directive_view_json(view, pairing_of(app, who.profile.person_id, pairing_id))


@router.put(ONE, response_model=DirectiveViewOut)
def edit_directive(
    pairing_id: ResourceId, directive_id: ResourceId, body: DirectiveIn, who: Who, app: AppDep
) -> dict[str, Any]:
    """Change a directive (the partner): a new revision, checked like a new directive."""
    with api_fields(DIRECTIVE_FIELDS):
        view = directives.edit_directive(
            app, who.profile.person_id, pairing_id, directive_id, _spec(body)
        )
    return directive_view_json(view, pairing_of(app, who.profile.person_id, pairing_id))


@router.get(ONE + "/revisions", response_model=list[DirectiveOut])
def directive_revisions(
    pairing_id: ResourceId, directive_id: ResourceId, who: Who, app: AppDep
) -> list[dict[str, Any]]:
    """Every revision of a directive, oldest first."""
    found = directives.directive_revisions(app, who.profile.person_id, pairing_id, directive_id)
    current = pairing_of(app, who.profile.person_id, pairing_id)
    return [directive_json(d, current) for d in found]


@router.post(ONE + "/acknowledge", response_model=DirectiveViewOut)
def acknowledge_directive(
    pairing_id: ResourceId, directive_id: ResourceId, who: Who, app: AppDep
) -> dict[str, Any]:
    """Acknowledge the directive as it stands (the trainee)."""
    view = directives.acknowledge_directive(app, who.profile.person_id, pairing_id, directive_id)
    return directive_view_json(view, pairing_of(app, who.profile.person_id, pairing_id))


@router.post(ONE + "/end", response_model=DirectiveViewOut)
def end_directive(
    pairing_id: ResourceId, directive_id: ResourceId, who: Who, app: AppDep
) -> dict[str, Any]:
    """End a directive (the partner); its history stays."""
    view = directives.end_directive(app, who.profile.person_id, pairing_id, directive_id)
    return directive_view_json(view, pairing_of(app, who.profile.person_id, pairing_id))


@router.get(ONE + "/check-ins", response_model=list[CheckInOut])
def list_check_ins(
    pairing_id: ResourceId, directive_id: ResourceId, who: Who, app: AppDep
) -> list[dict[str, Any]]:
    """The directive's check-ins, newest first (an attached session only if shared)."""
    found = checkins.list_check_ins(
        app, who.profile.person_id, pairing_id, directive_id, data_key=who.data_key
    )
    return [check_in_json(c) for c in found]


@router.post(ONE + "/check-ins", status_code=status.HTTP_201_CREATED, response_model=CheckInOut)
def check_in(
    pairing_id: ResourceId, directive_id: ResourceId, body: CheckInIn, who: Who, app: AppDep
) -> dict[str, Any]:
    """Check in on one day's occurrence (the trainee): done, partly or skipped."""
    day: date = parse_date(body.day, field="day")
    with api_fields(DIRECTIVE_FIELDS):
        made = checkins.check_in(
            app,
            who.profile.person_id,
            pairing_id,
            directive_id,
            day=day,
            result=CheckInResult(body.result),
            session_id=body.session_id,
            note=body.note,
            data_key=who.data_key,
        )
    return check_in_json(made)


@router.get("/pairings/{pairing_id}/compliance", response_model=ComplianceOut)
def compliance(
    pairing_id: ResourceId,
    who: Who,
    app: AppDep,
    days: Annotated[int, Query(ge=1, le=366, description="The last N days")] = 30,
) -> dict[str, Any]:
    """Every occurrence over the period: done, partly, skipped, missed, excused or due."""
    return compliance_json(checkins.compliance(app, who.profile.person_id, pairing_id, days=days))


def _comments(
    app: AppDep, who: Who, pairing_id: int, target: Target, target_id: int
) -> list[dict[str, Any]]:
    found = comments.list_comments(
        app, who.profile.person_id, pairing_id, target, target_id, data_key=who.data_key
    )
    current = pairing_of(app, who.profile.person_id, pairing_id)
    return [comment_json(c, current) for c in found]


def _comment(
    app: AppDep, who: Who, pairing_id: int, target: Target, target_id: int, text: str
) -> dict[str, Any]:
    made = comments.add_comment(
        app, who.profile.person_id, pairing_id, target, target_id, text, data_key=who.data_key
    )
    return comment_json(made, pairing_of(app, who.profile.person_id, pairing_id))


SESSION_COMMENTS = "/pairings/{pairing_id}/sessions/{session_id}/comments"


@router.get(SESSION_COMMENTS, response_model=list[CommentOut])
def session_comments(
    pairing_id: ResourceId, session_id: ResourceId, who: Who, app: AppDep
) -> list[dict[str, Any]]:
    """Comments on one of the trainee's sessions (for the partner: a shared one)."""
    return _comments(app, who, pairing_id, Target.SESSION, session_id)


@router.post(SESSION_COMMENTS, status_code=status.HTTP_201_CREATED, response_model=CommentOut)
def comment_on_session(
    pairing_id: ResourceId, session_id: ResourceId, body: CommentIn, who: Who, app: AppDep
) -> dict[str, Any]:
    """Comment on a session ("how did it feel?")."""
    return _comment(app, who, pairing_id, Target.SESSION, session_id, body.text)


@router.get(ONE + "/comments", response_model=list[CommentOut])
def directive_comments(
    pairing_id: ResourceId, directive_id: ResourceId, who: Who, app: AppDep
) -> list[dict[str, Any]]:
    """Comments on a directive."""
    return _comments(app, who, pairing_id, Target.DIRECTIVE, directive_id)


@router.post(ONE + "/comments", status_code=status.HTTP_201_CREATED, response_model=CommentOut)
def comment_on_directive(
    pairing_id: ResourceId, directive_id: ResourceId, body: CommentIn, who: Who, app: AppDep
) -> dict[str, Any]:
    """Comment on a directive ("a bit frustrated at the pace")."""
    return _comment(app, who, pairing_id, Target.DIRECTIVE, directive_id, body.text)
