"""Rows <-> the domain values of training together, and the access checks every service uses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session as DbSession

from easein.domain.audit import AuditEvent, AuditKind, Detail, audit_event
from easein.domain.directives import Directive, DirectiveKind, DirectiveSpec, Window
from easein.domain.errors import NotFound
from easein.domain.pairing import Pairing, PairingStatus, Role, Words, role_of
from easein.domain.sharing import SharingLevel
from easein.domain.stop_and_talk import StopAndTalk
from easein.domain.units import Units
from easein.services.app import App
from easein.services.profile import Profile
from easein.store.codec import Context, add_sealed
from easein.store.models import Person, StopAndTalkRow
from easein.store.together_models import (
    AuditEventRow,
    DirectiveRevisionRow,
    DirectiveRow,
    PairingRow,
    UnsharedSessionRow,
)

NO_SUCH_PAIRING = "no such pairing"


# --- pairings -----------------------------------------------------------------------------


def pairing_payload(pairing: Pairing) -> dict[str, Any]:
    return {
        "words": {"trainee": pairing.words.trainee, "partner": pairing.words.partner},
        "accepted_by": sorted(pairing.summary_accepted_by),
    }


def pairing_from_row(row: PairingRow, app: App) -> Pairing:
    data = app.codec.decode(row.payload, Context("pairings", row.trainee_id, row.id))
    return Pairing(
        id=row.id,
        trainee_id=row.trainee_id,
        partner_id=row.partner_id,
        created_at=row.created_at,
        words=Words(data["words"]["trainee"], data["words"]["partner"]),
        sharing=SharingLevel(row.sharing),
        summary_accepted_by=frozenset(data.get("accepted_by", ())),
        activated_at=row.activated_at,
        ended_at=row.ended_at,
        ended_by=row.ended_by,
    )


def store_pairing(row: PairingRow, pairing: Pairing, app: App) -> None:
    """Copy `pairing` onto its row (in the caller's transaction)."""
    row.activated_at = pairing.activated_at
    row.ended_at = pairing.ended_at
    row.ended_by = pairing.ended_by
    row.sharing = pairing.sharing.value
    row.payload = app.codec.encode(
        pairing_payload(pairing), Context("pairings", row.trainee_id, row.id)
    )


@dataclass(frozen=True)
class Member:
    """A pairing as seen by one of its two people: the pairing, their role, its row."""

    pairing: Pairing
    role: Role
    row: PairingRow

    @property
    def is_partner(self) -> bool:
        return self.role is Role.PARTNER


def member(
    db: DbSession, app: App, pairing_id: int, person_id: int, *, for_update: bool = False
) -> Member:
    """Return the pairing for one of its members, in the caller's transaction.

    A stranger, and the partner once the pairing ended, get NotFound: for them it
    does not exist (the partner's access ends at the instant the pairing ends).
    The trainee keeps reading an ended pairing's history.
    """
    query = select(PairingRow).where(PairingRow.id == pairing_id)
    if for_update:
        query = query.with_for_update()
    row = db.scalars(query).first()
    if row is None or person_id not in (row.trainee_id, row.partner_id):
        raise NotFound(NO_SUCH_PAIRING, field="pairing_id")
    pairing = pairing_from_row(row, app)
    role = role_of(pairing, person_id)
    if role is Role.PARTNER and pairing.status is PairingStatus.ENDED:
        raise NotFound(NO_SUCH_PAIRING, field="pairing_id")
    return Member(pairing, role, row)


def active_pairings(db: DbSession, app: App, person_id: int) -> list[Pairing]:
    """Return the person's active pairings (either role), in the caller's transaction."""
    rows = db.scalars(
        select(PairingRow).where(
            or_(PairingRow.trainee_id == person_id, PairingRow.partner_id == person_id),
            PairingRow.ended_at.is_(None),
        )
    )
    pairings = [pairing_from_row(r, app) for r in rows]
    return [p for p in pairings if p.status is PairingStatus.ACTIVE]


def profile_of(db: DbSession, person_id: int) -> Profile:
    """Return a person's own profile, read fresh by id (the trainee's, for their status)."""
    person = db.get(Person, person_id)
    if person is None:
        raise NotFound(NO_SUCH_PAIRING, field="pairing_id")
    return Profile(
        person.id, person.timezone, Units(person.units), person.revision, person.created_at
    )


def hidden_session_ids(db: DbSession, trainee_id: int) -> frozenset[int]:
    """Return the ids of the sessions the trainee marked "don't share this one"."""
    rows = db.scalars(
        select(UnsharedSessionRow.session_id).where(UnsharedSessionRow.person_id == trainee_id)
    )
    return frozenset(rows)


# --- the audit log ------------------------------------------------------------------------


def audit(
    db: DbSession,
    app: App,
    pairing: Pairing,
    actor_id: int,
    kind: AuditKind,
    details: dict[str, Detail] | None = None,
) -> AuditEvent:
    """Append one event to the pairing's log, in the caller's transaction (never edited).

    The event's time never goes before the last one's, so the log stays in order
    even if the clock steps back.
    """
    last = db.scalar(
        select(AuditEventRow.at)
        .where(AuditEventRow.pairing_id == pairing.id)
        .order_by(AuditEventRow.id.desc())
        .limit(1)
    )
    now = app.now()
    event = audit_event(pairing.id, actor_id, max(now, last) if last else now, kind, details)
    row = AuditEventRow(pairing_id=pairing.id, actor_id=actor_id, at=event.at, kind=kind.value)
    data = {"details": dict(event.details)}
    add_sealed(db, row, app.codec, data, "audit_events", pairing.trainee_id)
    return event


def event_from_row(row: AuditEventRow, app: App, trainee_id: int) -> AuditEvent:
    data = app.codec.decode(row.payload, Context("audit_events", trainee_id, row.id))
    details = tuple(sorted(data.get("details", {}).items()))
    return AuditEvent(row.pairing_id, row.actor_id, row.at, AuditKind(row.kind), details)


# --- directives ---------------------------------------------------------------------------


def spec_payload(spec: Directive | DirectiveSpec) -> dict[str, Any]:
    window = spec.window
    return {
        "kind": spec.kind.value,
        "duration_s": int(spec.duration.total_seconds()),
        "rrule": spec.rrule if isinstance(spec, Directive) else spec.schedule,
        "starts_on": spec.starts_on.isoformat(),
        "window": [window.start.strftime("%H:%M"), window.end.strftime("%H:%M")]
        if window
        else None,
        "note": spec.note,
        "item_id": spec.item_id,
    }


def directive_of(
    row: DirectiveRow, revision: DirectiveRevisionRow, app: App, trainee_id: int
) -> Directive:
    """Return one revision of a directive as the domain value."""
    data = app.codec.decode(
        revision.payload, Context("directive_revisions", trainee_id, revision.id)
    )
    window = data.get("window")
    return Directive(
        id=row.id,
        pairing_id=row.pairing_id,
        kind=DirectiveKind(data["kind"]),
        duration=timedelta(seconds=data["duration_s"]),
        rrule=data["rrule"],
        starts_on=date.fromisoformat(data["starts_on"]),
        window=Window(time.fromisoformat(window[0]), time.fromisoformat(window[1]))
        if window
        else None,
        note=data.get("note", ""),
        item_id=data.get("item_id"),
        created_by=row.created_by,
        revised_at=revision.revised_at,
        revision=revision.revision,
        acknowledged_at=revision.acknowledged_at,
        ended_at=row.ended_at,
        ended_by=row.ended_by,
    )


def revisions_of(db: DbSession, directive_ids: list[int]) -> dict[int, list[DirectiveRevisionRow]]:
    """Return each directive's revision rows, oldest first."""
    found: dict[int, list[DirectiveRevisionRow]] = {i: [] for i in directive_ids}
    if not directive_ids:
        return found
    rows = db.scalars(
        select(DirectiveRevisionRow)
        .where(DirectiveRevisionRow.directive_id.in_(directive_ids))
        .order_by(DirectiveRevisionRow.directive_id, DirectiveRevisionRow.revision)
    )
    for row in rows:
        found[row.directive_id].append(row)
    return found


def current_directives(
    db: DbSession, app: App, pairing_ids: list[int], trainee_id: int, *, include_ended: bool = False
) -> list[Directive]:
    """Return the current revision of each directive of these pairings, oldest first."""
    if not pairing_ids:
        return []
    query = select(DirectiveRow).where(DirectiveRow.pairing_id.in_(pairing_ids))
    if not include_ended:
        query = query.where(DirectiveRow.ended_at.is_(None))
    rows = list(db.scalars(query.order_by(DirectiveRow.id)))
    revisions = revisions_of(db, [r.id for r in rows])
    return [directive_of(r, revisions[r.id][-1], app, trainee_id) for r in rows]


def directive_row(db: DbSession, pairing: Pairing, directive_id: int) -> DirectiveRow:
    """Return a directive of this pairing; any other does not exist."""
    row = db.get(DirectiveRow, directive_id)
    if row is None or row.pairing_id != pairing.id:
        raise NotFound("no such directive", field="directive_id")
    return row


# --- stop and talk ------------------------------------------------------------------------


def stop_from_row(row: StopAndTalkRow) -> StopAndTalk:
    return StopAndTalk(
        row.id, row.pairing_id, row.called_by, row.called_at, row.resumed_by, row.resumed_at
    )


def stops_of(db: DbSession, pairing_id: int) -> list[StopAndTalk]:
    rows = db.scalars(
        select(StopAndTalkRow)
        .where(StopAndTalkRow.pairing_id == pairing_id)
        .order_by(StopAndTalkRow.called_at, StopAndTalkRow.id)
    )
    return [stop_from_row(r) for r in rows]


def all_stops_of_trainee(db: DbSession, trainee_id: int) -> list[StopAndTalk]:
    """Return every stop and talk about the trainee, in any pairing, oldest first."""
    rows = db.scalars(
        select(StopAndTalkRow)
        .where(StopAndTalkRow.person_id == trainee_id)
        .order_by(StopAndTalkRow.called_at, StopAndTalkRow.id)
    )
    return [stop_from_row(r) for r in rows]


def open_stops_of_trainee(db: DbSession, trainee_id: int) -> list[StopAndTalk]:
    rows = db.scalars(
        select(StopAndTalkRow).where(
            StopAndTalkRow.person_id == trainee_id, StopAndTalkRow.resumed_at.is_(None)
        )
    )
    return [stop_from_row(r) for r in rows]
