"""Training together: invitations, roles, the couple's words and the pairing's lifecycle.

A trainee invites a partner with a one-time code (the caller generates it);
the partner accepts from their own account within 24 hours. The pairing then
waits, pending, until both have accepted the same plain summary of what the
partner will see and do (`access.access_summary`); it becomes active, and
either side can end it at any time. Ended is final: a new pairing needs a new
invitation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from easein.domain.errors import Conflict, EaseInError, InvalidInput, NotFound
from easein.domain.sharing import SharingLevel

INVITATION_LIFETIME = timedelta(hours=24)
CODE_PATTERN = re.compile(r"[A-Za-z0-9_-]{8,64}")
MAX_WORD = 24


class NotPermitted(EaseInError):
    """The person is in the pairing, but their role may not do this."""

    code = "not_permitted"


class Role(StrEnum):
    """A person's role in one pairing (roles are per pairing, never global)."""

    TRAINEE = "trainee"  # the receiver; owns the log and chooses what is shared
    PARTNER = "partner"  # may be the Dominant; sets directives


@dataclass(frozen=True)
class Words:
    """The words the couple chose for the two roles, shown everywhere instead of the role names."""

    trainee: str
    partner: str


PLAIN_WORDS = Words("trainee", "partner")
DS_WORDS = Words("submissive", "Dominant")


def check_words(trainee: str, partner: str) -> Words:
    """Return the couple's own words, tidied, if each is 1-24 printable characters and distinct."""
    cleaned: list[str] = []
    for field, raw in (("words.trainee", trainee), ("words.partner", partner)):
        word = " ".join(str(raw).split())
        if not word:
            raise InvalidInput(f"{field} is empty: choose a word", field=field, code="required")
        if len(word) > MAX_WORD:
            raise InvalidInput(
                f"{field} must be at most {MAX_WORD} characters", field=field, code="too_long"
            )
        if not word.isprintable():
            raise InvalidInput(
                f"{field} must be plain printable text", field=field, code="invalid_text"
            )
        cleaned.append(word)
    if cleaned[0].casefold() == cleaned[1].casefold():
        raise InvalidInput(
            "the two roles need different words", field="words.partner", code="inconsistent"
        )
    return Words(cleaned[0], cleaned[1])


# --- invitations --------------------------------------------------------------------------


@dataclass(frozen=True)
class Invitation:
    """A one-time code a trainee sends to a partner; single use, valid for 24 hours."""

    code: str
    trainee_id: int
    created_at: datetime
    used_by: int | None = None
    used_at: datetime | None = None
    revoked_at: datetime | None = None

    @property
    def expires_at(self) -> datetime:
        return self.created_at + INVITATION_LIFETIME


def new_invitation(code: str, trainee_id: int, now: datetime) -> Invitation:
    """Return a fresh invitation from the trainee, with a code the caller generated."""
    if not CODE_PATTERN.fullmatch(code):
        raise InvalidInput(
            "an invitation code is 8-64 letters, digits, '-' or '_'",
            field="code",
            code="invalid_code",
        )
    return Invitation(code, trainee_id, now)


def check_invitation(invite: Invitation, now: datetime, accepting_person: int) -> Invitation:
    """Return `invite` if `accepting_person` may accept it at `now`, else raise why not."""
    if invite.revoked_at is not None:
        raise InvalidInput(
            "this invitation was withdrawn: ask for a new one",
            field="code",
            code="invitation_revoked",
        )
    if invite.used_at is not None:
        raise Conflict(
            "this invitation has already been used: ask for a new one",
            field="code",
            code="invitation_used",
        )
    if now >= invite.expires_at:
        raise InvalidInput(
            "this invitation has expired (they last 24 hours): ask for a new one",
            field="code",
            code="invitation_expired",
        )
    if accepting_person == invite.trainee_id:
        raise InvalidInput(
            "this is your own invitation: send the code to your partner, who accepts it "
            "from their own account",
            field="code",
            code="own_invitation",
        )
    return invite


def revoke_invitation(invite: Invitation, person_id: int, now: datetime) -> Invitation:
    """Return `invite` withdrawn by the trainee who made it (before it was used)."""
    if person_id != invite.trainee_id:
        raise NotFound("no such invitation", field="code")
    if invite.used_at is not None:
        raise Conflict(
            "this invitation has already been used", field="code", code="invitation_used"
        )
    return invite if invite.revoked_at is not None else replace(invite, revoked_at=now)


# --- the pairing --------------------------------------------------------------------------


class PairingStatus(StrEnum):
    PENDING = "pending"  # waiting for both to accept the plain summary
    ACTIVE = "active"
    ENDED = "ended"  # final


@dataclass(frozen=True)
class Pairing:
    """Two people training together: who is who, their words, and what the trainee shares.

    `summary_accepted_by` holds who accepted the summary of the current
    `sharing` and `words`; changing either while pending empties it, so both
    always accept the same text.
    """

    id: int
    trainee_id: int
    partner_id: int
    created_at: datetime
    words: Words = PLAIN_WORDS
    sharing: SharingLevel = SharingLevel.NOTHING
    summary_accepted_by: frozenset[int] = frozenset()
    activated_at: datetime | None = None
    ended_at: datetime | None = None
    ended_by: int | None = None

    @property
    def status(self) -> PairingStatus:
        if self.ended_at is not None:
            return PairingStatus.ENDED
        if self.activated_at is not None:
            return PairingStatus.ACTIVE
        return PairingStatus.PENDING

    @property
    def members(self) -> tuple[int, int]:
        return (self.trainee_id, self.partner_id)


def accept_invitation(
    invite: Invitation, now: datetime, accepting_person: int, pairing_id: int
) -> tuple[Invitation, Pairing]:
    """Return the used invitation and the new pending pairing it starts."""
    check_invitation(invite, now, accepting_person)
    used = replace(invite, used_by=accepting_person, used_at=now)
    return used, Pairing(pairing_id, invite.trainee_id, accepting_person, now)


def role_of(pairing: Pairing, person_id: int) -> Role:
    """Return the person's role; a stranger gets NotFound (the pairing does not exist for them)."""
    if person_id == pairing.trainee_id:
        return Role.TRAINEE
    if person_id == pairing.partner_id:
        return Role.PARTNER
    raise NotFound("no such pairing", field="pairing")


def other_member(pairing: Pairing, person_id: int) -> int:
    """Return the other person in the pairing."""
    return pairing.partner_id if role_of(pairing, person_id) is Role.TRAINEE else pairing.trainee_id


def require_role(pairing: Pairing, person_id: int, role: Role, doing: str) -> None:
    """Refuse unless the person has `role` in the pairing; `doing` completes "only ... can"."""
    if role_of(pairing, person_id) is not role:
        word = pairing.words.trainee if role is Role.TRAINEE else pairing.words.partner
        raise NotPermitted(f"only the {word} can {doing}", field="pairing")


def require_not_ended(pairing: Pairing) -> None:
    """Refuse any change to an ended pairing: ended is final."""
    if pairing.status is PairingStatus.ENDED:
        raise Conflict(
            "this pairing has ended, and ended is final: start again with a new invitation",
            field="pairing",
            code="pairing_ended",
        )


def require_active(pairing: Pairing) -> None:
    """Refuse unless the pairing is active (both accepted the summary, nobody ended it)."""
    require_not_ended(pairing)
    if pairing.status is PairingStatus.PENDING:
        raise Conflict(
            "this pairing is not active yet: both of you first accept the summary of what "
            "will be shared",
            field="pairing",
            code="pairing_pending",
        )


def choose_words(pairing: Pairing, person_id: int, words: Words) -> Pairing:
    """Return the pairing with the couple's words; either member may change them."""
    role_of(pairing, person_id)
    require_not_ended(pairing)
    words = check_words(words.trainee, words.partner)
    if words == pairing.words:
        return pairing
    pending = pairing.status is PairingStatus.PENDING
    accepted = frozenset() if pending else pairing.summary_accepted_by
    return replace(pairing, words=words, summary_accepted_by=accepted)


def change_sharing(pairing: Pairing, person_id: int, level: SharingLevel) -> Pairing:
    """Return the pairing sharing `level`: the trainee's choice alone, in force at once."""
    require_role(pairing, person_id, Role.TRAINEE, "choose what is shared")
    require_not_ended(pairing)
    if level is pairing.sharing:
        return pairing
    pending = pairing.status is PairingStatus.PENDING
    accepted = frozenset() if pending else pairing.summary_accepted_by
    return replace(pairing, sharing=level, summary_accepted_by=accepted)


def accept_summary(
    pairing: Pairing, person_id: int, seen: SharingLevel, seen_words: Words, now: datetime
) -> Pairing:
    """Return the pairing with the person's acceptance; active once both accepted.

    `seen` and `seen_words` are what the summary the person read was made of:
    if the trainee changed them since, the acceptance is refused so that both
    accept the same text.
    """
    role_of(pairing, person_id)
    require_not_ended(pairing)
    if pairing.status is PairingStatus.ACTIVE:
        return pairing
    if seen is not pairing.sharing or seen_words != pairing.words:
        raise Conflict(
            "the summary changed since you read it: read it again, then accept",
            field="summary",
            code="summary_changed",
        )
    accepted = pairing.summary_accepted_by | {person_id}
    activated = now if accepted >= frozenset(pairing.members) else None
    return replace(pairing, summary_accepted_by=accepted, activated_at=activated)


def end_pairing(pairing: Pairing, person_id: int, now: datetime) -> Pairing:
    """Return the pairing ended by either member, at any time, pending or active."""
    role_of(pairing, person_id)
    require_not_ended(pairing)
    return replace(pairing, ended_at=now, ended_by=person_id)
