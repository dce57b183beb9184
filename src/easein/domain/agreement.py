"""The agreement: what a couple agreed to, as versions that are never rewritten.

Every proposal is a new version. A version is in force only once both people
signed it; only the latest version can be signed, so nobody signs something
that was already replaced. Reopening a signed agreement starts a new draft
with the same terms, and the version in force stays in force until both sign
the new one: reopening does not rewrite the past.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta
from enum import StrEnum

from easein.domain.errors import Conflict, InvalidInput, NotFound
from easein.domain.pairing import NotPermitted, Pairing, Role, require_active, role_of
from easein.domain.schedule import parse_schedule
from easein.domain.sharing import SharingLevel
from easein.domain.units import check_diameter, check_duration

MAX_GOAL = 500
MAX_ACTIVITY = 200
MAX_MESS_PLAN = 2000
MAX_PER_WEEK = 14


@dataclass(frozen=True)
class Terms:
    """What the couple agree on. Sizes in millimetres; `schedule` is a normalised RRULE body."""

    goal: str
    target_mm: float | None = None
    target_wear: timedelta | None = None
    target_activity: str = ""
    per_week: int | None = None  # expected sessions a week
    schedule: str | None = None
    mess_plan: str = ""
    sharing: SharingLevel = SharingLevel.NOTHING


def _text(value: str, field: str, limit: int, *, required: bool = False) -> str:
    cleaned = value.strip()
    if required and not cleaned:
        raise InvalidInput(f"{field} is empty: say what you agree on", field=field, code="required")
    if len(cleaned) > limit:
        raise InvalidInput(
            f"{field} must be at most {limit} characters", field=field, code="too_long"
        )
    return cleaned


def check_terms(terms: Terms) -> Terms:
    """Return `terms` tidied and normalised, or raise naming the field that is wrong."""
    per_week = terms.per_week
    if per_week is not None and not 1 <= per_week <= MAX_PER_WEEK:
        raise InvalidInput(
            f"per_week must be from 1 to {MAX_PER_WEEK}", field="per_week", code="out_of_range"
        )
    return Terms(
        goal=_text(terms.goal, "goal", MAX_GOAL, required=True),
        target_mm=None
        if terms.target_mm is None
        else check_diameter(terms.target_mm, field="target_mm"),
        target_wear=None
        if terms.target_wear is None
        else check_duration(terms.target_wear, field="target_wear"),
        target_activity=_text(terms.target_activity, "target_activity", MAX_ACTIVITY),
        per_week=per_week,
        schedule=None if terms.schedule is None else parse_schedule(terms.schedule),
        mess_plan=_text(terms.mess_plan, "mess_plan", MAX_MESS_PLAN),
        sharing=SharingLevel(terms.sharing),
    )


@dataclass(frozen=True)
class Signature:
    person_id: int
    at: datetime


@dataclass(frozen=True)
class AgreementVersion:
    """One version of a pairing's agreement. Its terms never change; signatures are added."""

    pairing_id: int
    number: int  # 1, 2, 3...
    terms: Terms
    proposed_by: int
    created_at: datetime
    based_on: int | None = None  # the version it was made from
    signatures: tuple[Signature, ...] = ()

    @property
    def signed_by(self) -> frozenset[int]:
        return frozenset(s.person_id for s in self.signatures)


class VersionStatus(StrEnum):
    DRAFT = "draft"  # the latest, not yet signed by both
    IN_FORCE = "in_force"
    PAST = "past"  # was in force, replaced by a later signed version
    SUPERSEDED = "superseded"  # a draft replaced before both signed it


def latest(history: Sequence[AgreementVersion]) -> AgreementVersion | None:
    """Return the newest version, or None before anything was proposed."""
    return max(history, key=lambda v: v.number, default=None)


def signed_by_both(version: AgreementVersion, pairing: Pairing) -> bool:
    return version.signed_by >= frozenset(pairing.members)


def in_force(history: Sequence[AgreementVersion], pairing: Pairing) -> AgreementVersion | None:
    """Return the newest version both signed, or None."""
    signed = [v for v in history if signed_by_both(v, pairing)]
    return max(signed, key=lambda v: v.number, default=None)


def status_of(
    version: AgreementVersion, history: Sequence[AgreementVersion], pairing: Pairing
) -> VersionStatus:
    """Return where `version` stands in the history."""
    current = in_force(history, pairing)
    if current is not None and current.number == version.number:
        return VersionStatus.IN_FORCE
    if signed_by_both(version, pairing):
        return VersionStatus.PAST
    newest = latest(history)
    if newest is not None and newest.number == version.number:
        return VersionStatus.DRAFT
    return VersionStatus.SUPERSEDED


def propose(
    history: Sequence[AgreementVersion],
    pairing: Pairing,
    person_id: int,
    terms: Terms,
    now: datetime,
) -> AgreementVersion:
    """Return a new draft version with `terms`, numbered after the latest.

    Either person may propose; only the trainee may change what is shared.
    """
    require_active(pairing)
    role = role_of(pairing, person_id)
    clean = check_terms(terms)
    previous = latest(history)
    shared = previous.terms.sharing if previous else pairing.sharing
    if role is Role.PARTNER and clean.sharing is not shared:
        raise NotPermitted(
            f"only the {pairing.words.trainee} chooses what is shared: keep sharing at "
            f"{shared.value}",
            field="sharing",
        )
    number = previous.number + 1 if previous else 1
    based_on = previous.number if previous else None
    return AgreementVersion(pairing.id, number, clean, person_id, now, based_on)


def reopen(
    history: Sequence[AgreementVersion], pairing: Pairing, person_id: int, now: datetime
) -> AgreementVersion:
    """Return a new draft with the terms in force; either person may reopen."""
    require_active(pairing)
    role_of(pairing, person_id)
    newest = latest(history)
    if newest is None:
        raise NotFound("there is no agreement to reopen yet: propose one", field="agreement")
    if not signed_by_both(newest, pairing):
        raise Conflict(
            f"version {newest.number} is still a draft: change it or sign it",
            field="agreement",
            code="agreement_draft_open",
        )
    return AgreementVersion(
        pairing.id, newest.number + 1, newest.terms, person_id, now, newest.number
    )


def sign(
    history: Sequence[AgreementVersion],
    pairing: Pairing,
    number: int,
    person_id: int,
    now: datetime,
) -> AgreementVersion:
    """Return version `number` with the person's signature; only the latest can be signed."""
    require_active(pairing)
    role_of(pairing, person_id)
    version = next((v for v in history if v.number == number), None)
    if version is None:
        raise NotFound(f"no agreement version {number}", field="version")
    newest = latest(history)
    if newest is not None and newest.number != number:
        raise Conflict(
            f"version {number} has been replaced by version {newest.number}: read and sign "
            "that one",
            field="version",
            code="version_superseded",
        )
    if person_id in version.signed_by:
        raise Conflict(
            f"you have already signed version {number}", field="version", code="already_signed"
        )
    return replace(version, signatures=(*version.signatures, Signature(person_id, now)))


@dataclass(frozen=True)
class Change:
    field: str
    before: object
    after: object


def diff(before: AgreementVersion, after: AgreementVersion) -> tuple[Change, ...]:
    """Return the terms that differ between two versions, field by field, in field order."""
    return tuple(
        Change(f.name, getattr(before.terms, f.name), getattr(after.terms, f.name))
        for f in fields(Terms)
        if getattr(before.terms, f.name) != getattr(after.terms, f.name)
    )
