"""The conversation (answers, side by side) and the agreement's versions (see routes.together)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, status

from easein.api.deps import AppDep, Who
from easein.api.routes.together import RESPONSES, pairing_of
from easein.api.schemas import ResourceId
from easein.api.together_schemas import (
    AnswersIn,
    AnswersOut,
    ComparisonRowOut,
    DiffOut,
    QuestionOut,
    TermsIn,
    VersionOut,
)
from easein.domain.agreement import Terms
from easein.domain.sharing import SharingLevel
from easein.present_together import (
    answers_json,
    change_json,
    comparison_json,
    questions_json,
    version_json,
)
from easein.services.together import agreement, conversation

router = APIRouter(tags=["together"], responses=RESPONSES)

VersionNumber = Annotated[int, Path(ge=1, le=2**31 - 1)]
VERSIONS = "/pairings/{pairing_id}/agreement/versions"


@router.get("/conversation/questions", response_model=list[QuestionOut])
def questions(who: Who) -> list[dict[str, Any]]:
    """The guided conversation's questions (ids are stable; answers are kept under them)."""
    return questions_json()


@router.get("/pairings/{pairing_id}/answers", response_model=AnswersOut)
def my_answers(pairing_id: ResourceId, who: Who, app: AppDep) -> dict[str, Any]:
    """Your own answers (private until both of you submitted)."""
    return answers_json(
        conversation.my_answers(app, who.profile.person_id, pairing_id, data_key=who.data_key)
    )


@router.put("/pairings/{pairing_id}/answers", response_model=AnswersOut)
def save_answers(pairing_id: ResourceId, body: AnswersIn, who: Who, app: AppDep) -> dict[str, Any]:
    """Save your answers, replacing the last ones; `submit` shares them when both did."""
    sheet = conversation.save_answers(
        app,
        who.profile.person_id,
        pairing_id,
        body.answers,
        submit=body.submit,
        data_key=who.data_key,
    )
    return answers_json(sheet)


@router.get("/pairings/{pairing_id}/answers/comparison", response_model=list[ComparisonRowOut])
def comparison(pairing_id: ResourceId, who: Who, app: AppDep) -> list[dict[str, Any]]:
    """Both answers side by side, differences marked (409 until both submitted)."""
    found = conversation.comparison(app, who.profile.person_id, pairing_id, data_key=who.data_key)
    return comparison_json(found.rows)


def _terms(body: TermsIn) -> Terms:
    wear = None if body.target_wear_hours is None else timedelta(hours=body.target_wear_hours)
    return Terms(
        goal=body.goal,
        target_mm=body.target_mm,
        target_wear=wear,
        target_activity=body.target_activity,
        per_week=body.per_week,
        schedule=body.schedule,
        mess_plan=body.mess_plan,
        sharing=SharingLevel(body.sharing),
    )


@router.get(VERSIONS, response_model=list[VersionOut])
def list_versions(pairing_id: ResourceId, who: Who, app: AppDep) -> list[dict[str, Any]]:
    """Every version of the agreement, oldest first, with where each stands."""
    found = agreement.list_versions(app, who.profile.person_id, pairing_id)
    current = pairing_of(app, who.profile.person_id, pairing_id)
    return [version_json(v, current) for v in found]


@router.post(VERSIONS, status_code=status.HTTP_201_CREATED, response_model=VersionOut)
def propose(pairing_id: ResourceId, body: TermsIn, who: Who, app: AppDep) -> dict[str, Any]:
    """Propose terms: a new draft version, for both to sign."""
    made = agreement.propose(app, who.profile.person_id, pairing_id, _terms(body))
    return version_json(made, pairing_of(app, who.profile.person_id, pairing_id))


@router.post(
    "/pairings/{pairing_id}/agreement/reopen",
    status_code=status.HTTP_201_CREATED,
    response_model=VersionOut,
)
def reopen(pairing_id: ResourceId, who: Who, app: AppDep) -> dict[str, Any]:
    """Reopen the signed agreement: a new draft; the signed one stays in force meanwhile."""
    made = agreement.reopen(app, who.profile.person_id, pairing_id)
    return version_json(made, pairing_of(app, who.profile.person_id, pairing_id))


@router.get(VERSIONS + "/{version}", response_model=VersionOut)
def get_version(
    pairing_id: ResourceId, version: VersionNumber, who: Who, app: AppDep
) -> dict[str, Any]:
    """One version of the agreement."""
    found = agreement.get_version(app, who.profile.person_id, pairing_id, version)
    return version_json(found, pairing_of(app, who.profile.person_id, pairing_id))


@router.post(VERSIONS + "/{version}/sign", response_model=VersionOut)
def sign(pairing_id: ResourceId, version: VersionNumber, who: Who, app: AppDep) -> dict[str, Any]:
    """Sign a version (only the latest); it is in force once both signed."""
    signed = agreement.sign(app, who.profile.person_id, pairing_id, version)
    return version_json(signed, pairing_of(app, who.profile.person_id, pairing_id))


@router.get(VERSIONS + "/{version}/diff", response_model=DiffOut)
def diff(
    pairing_id: ResourceId,
    version: VersionNumber,
    who: Who,
    app: AppDep,
    against: Annotated[
        int | None, Query(ge=1, le=2**31 - 1, description="Default: the version it was based on")
    ] = None,
) -> dict[str, Any]:
    """What changed between two versions, term by term."""
    before, after, changes = agreement.diff(
        app, who.profile.person_id, pairing_id, version, against
    )
    return {
        "before": before.number,
        "after": after.number,
        "changes": [change_json(c) for c in changes],
    }
