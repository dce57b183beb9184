"""Training together: invitations, pairings, sharing, partner views, stop and talk, audit log.

Every route is one service call (`easein.services.together`); who may do what is
decided there. A stranger, or a partner after the pairing ended, gets 404; a member
whose role may not do a thing gets 403; what is not shared does not exist (404).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import APIRouter, status

from easein.api.deps import AppDep, Who
from easein.api.errors import ERROR_RESPONSES, MessageBody
from easein.api.schemas import ResourceId
from easein.api.together_schemas import (
    AuditEventOut,
    InvitationAccept,
    InvitationOut,
    OpenInvitationOut,
    PairingOut,
    SessionSharing,
    SessionSharingOut,
    SharedSessionOut,
    SharedStatusOut,
    SharingChange,
    StopCalledOut,
    StopOut,
    SummaryAccept,
    UsableItemOut,
    WordsIn,
)
from easein.domain.errors import InvalidInput
from easein.domain.pairing import Pairing, Words
from easein.domain.sharing import SharingLevel
from easein.present_together import (
    audit_json,
    invitation_json,
    open_invitation_json,
    pairing_json,
    stop_json,
    usable_item_json,
)
from easein.services.app import App
from easein.services.together import log, pairing, stop, views

RESPONSES: dict[int | str, dict[str, object]] = {
    **ERROR_RESPONSES,
    403: {
        "model": MessageBody,
        "description": "Your role in the pairing may not do this, or "
        "the CSRF token is missing or wrong",
    },
}
router = APIRouter(tags=["together"], responses=RESPONSES)


@contextmanager
def api_fields(names: dict[str, str]) -> Iterator[None]:
    """Rename the domain's field names to the API's in a 422 raised inside."""
    try:
        yield
    except InvalidInput as error:
        error.field = names.get(error.field or "", error.field)
        raise


def pairing_of(app: App, person_id: int, pairing_id: int) -> Pairing:
    """The pairing, for the role names in a response (after the service call checked access)."""
    return pairing.get_pairing(app, person_id, pairing_id).pairing


# --- invitations and the pairing ------------------------------------------------------------


@router.post("/invitations", status_code=status.HTTP_201_CREATED, response_model=InvitationOut)
def create_invitation(who: Who, app: AppDep) -> dict[str, Any]:
    """Invite a partner: a one-time code, valid 24 hours, shown only in this response."""
    return invitation_json(pairing.invite(app, who.profile.person_id))


@router.get("/invitations", response_model=list[OpenInvitationOut])
def list_invitations(who: Who, app: AppDep) -> list[dict[str, Any]]:
    """Your invitations a partner could still accept, newest first; the codes are not shown
    again (withdraw one with DELETE, make a new one to send it again)."""
    found = pairing.open_invitations(app, who.profile.person_id)
    return [open_invitation_json(i) for i in found]


@router.delete("/invitations/{invitation_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_invitation(invitation_id: ResourceId, who: Who, app: AppDep) -> None:
    """Withdraw an invitation you made that was not used yet."""
    pairing.revoke_invitation(app, who.profile.person_id, invitation_id)


@router.post("/invitations/accept", status_code=status.HTTP_201_CREATED, response_model=PairingOut)
def accept_invitation(body: InvitationAccept, who: Who, app: AppDep) -> dict[str, Any]:
    """Accept an invitation as the partner: a pending pairing; both then accept the summary."""
    return pairing_json(
        pairing.accept_invitation(app, who.profile.person_id, body.code, data_key=who.data_key)
    )


@router.get("/pairings", response_model=list[PairingOut])
def list_pairings(who: Who, app: AppDep) -> list[dict[str, Any]]:
    """Your pairings, newest first, with your role and the summary."""
    return [pairing_json(v) for v in pairing.list_pairings(app, who.profile.person_id)]


@router.get("/pairings/{pairing_id}", response_model=PairingOut)
def get_pairing(pairing_id: ResourceId, who: Who, app: AppDep) -> dict[str, Any]:
    """One pairing, with the plain summary of what the partner sees and can do."""
    return pairing_json(pairing.get_pairing(app, who.profile.person_id, pairing_id))


@router.post("/pairings/{pairing_id}/summary/accept", response_model=PairingOut)
def accept_summary(
    pairing_id: ResourceId, body: SummaryAccept, who: Who, app: AppDep
) -> dict[str, Any]:
    """Accept the summary as you read it; the pairing is active once both accepted."""
    seen = Words(body.words.trainee, body.words.partner)
    return pairing_json(
        pairing.accept_summary(
            app,
            who.profile.person_id,
            pairing_id,
            seen=SharingLevel(body.sharing),
            seen_words=seen,
            data_key=who.data_key,
        )
    )


@router.put("/pairings/{pairing_id}/words", response_model=PairingOut)
def choose_words(pairing_id: ResourceId, body: WordsIn, who: Who, app: AppDep) -> dict[str, Any]:
    """Choose the words shown for the two roles (partner/trainee, Dominant/submissive...)."""
    with api_fields({"words.trainee": "trainee", "words.partner": "partner"}):
        view = pairing.choose_words(
            app, who.profile.person_id, pairing_id, Words(body.trainee, body.partner)
        )
    return pairing_json(view)


@router.put("/pairings/{pairing_id}/sharing", response_model=PairingOut)
def change_sharing(
    pairing_id: ResourceId, body: SharingChange, who: Who, app: AppDep
) -> dict[str, Any]:
    """Choose what the partner sees (the trainee only); it applies from the next request."""
    level = SharingLevel(body.sharing)
    return pairing_json(
        pairing.change_sharing(app, who.profile.person_id, pairing_id, level, data_key=who.data_key)
    )


@router.post("/pairings/{pairing_id}/end", response_model=PairingOut)
def end_pairing(pairing_id: ResourceId, who: Who, app: AppDep) -> dict[str, Any]:
    """End the pairing (either of you, any time): the partner's access ends at once."""
    return pairing_json(
        pairing.end_pairing(app, who.profile.person_id, pairing_id, data_key=who.data_key)
    )


@router.put("/sessions/{session_id}/sharing", response_model=SessionSharingOut)
def set_session_sharing(
    session_id: ResourceId, body: SessionSharing, who: Who, app: AppDep
) -> dict[str, Any]:
    """Share one of your sessions, or not ("don't share this one"), with every partner."""
    shared = pairing.set_session_shared(
        app, who.profile.person_id, session_id, shared=body.shared, data_key=who.data_key
    )
    return {"session_id": session_id, "shared": shared}


# --- what the partner sees -----------------------------------------------------------------


@router.get(
    "/pairings/{pairing_id}/status",
    response_model=SharedStatusOut,
    response_model_exclude_unset=True,
)
def shared_status(pairing_id: ResourceId, who: Who, app: AppDep) -> dict[str, Any]:
    """The trainee's safety status as shared (404 when nothing is shared)."""
    return views.shared_status(app, who.profile.person_id, pairing_id)


@router.get(
    "/pairings/{pairing_id}/sessions",
    response_model=list[SharedSessionOut],
    response_model_exclude_unset=True,
)
def shared_sessions(pairing_id: ResourceId, who: Who, app: AppDep) -> list[dict[str, Any]]:
    """The trainee's shared sessions, newest first, with the fields the level allows."""
    return views.shared_sessions(app, who.profile.person_id, pairing_id, data_key=who.data_key)


@router.get(
    "/pairings/{pairing_id}/sessions/{session_id}",
    response_model=SharedSessionOut,
    response_model_exclude_unset=True,
)
def shared_session(
    pairing_id: ResourceId, session_id: ResourceId, who: Who, app: AppDep
) -> dict[str, Any]:
    """One shared session (404 if not shared, or marked "don't share this one")."""
    return views.shared_session(
        app, who.profile.person_id, pairing_id, session_id, data_key=who.data_key
    )


@router.get("/pairings/{pairing_id}/items", response_model=list[UsableItemOut])
def usable_items(pairing_id: ResourceId, who: Who, app: AppDep) -> list[dict[str, Any]]:
    """The trainee's usable items (flared base or handle, not retired), smallest first, to
    choose a directive's item: name, size and base only, at every sharing level."""
    return [usable_item_json(i) for i in views.usable_items(app, who.profile.person_id, pairing_id)]


# --- stop and talk, the audit log ----------------------------------------------------------


@router.post("/pairings/{pairing_id}/stop-and-talk", response_model=StopCalledOut)
def call_stop_and_talk(pairing_id: ResourceId, who: Who, app: AppDep) -> dict[str, Any]:
    """Stop and talk: pauses every directive at once; no confirmation, no cooldown."""
    called = stop.call_stop_and_talk(app, who.profile.person_id, pairing_id)
    current = pairing_of(app, who.profile.person_id, pairing_id)
    tell = "trainee" if called.tell == current.trainee_id else "partner"
    return {"stop": stop_json(called.stop, current), "new": called.new, "tell": tell}


@router.post("/pairings/{pairing_id}/stop-and-talk/resume", response_model=StopOut)
def resume(pairing_id: ResourceId, who: Who, app: AppDep) -> dict[str, Any]:
    """Resume after the open stop and talk (the trainee only)."""
    done = stop.resume(app, who.profile.person_id, pairing_id)
    return stop_json(done, pairing_of(app, who.profile.person_id, pairing_id))


@router.get("/pairings/{pairing_id}/stop-and-talk", response_model=list[StopOut])
def list_stops(pairing_id: ResourceId, who: Who, app: AppDep) -> list[dict[str, Any]]:
    """Every stop and talk of the pairing, oldest first."""
    found = stop.list_stops(app, who.profile.person_id, pairing_id)
    current = pairing_of(app, who.profile.person_id, pairing_id)
    return [stop_json(s, current) for s in found]


@router.get("/pairings/{pairing_id}/audit", response_model=list[AuditEventOut])
def audit_log(pairing_id: ResourceId, who: Who, app: AppDep) -> list[dict[str, Any]]:
    """The pairing's append-only log: who did what and when (no free text, nothing medical)."""
    events = log.audit_log(app, who.profile.person_id, pairing_id)
    current = pairing_of(app, who.profile.person_id, pairing_id)
    return [audit_json(e, current) for e in events]
