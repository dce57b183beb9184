"""Invitations, the pairing's lifecycle, the couple's words and what the trainee shares."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select

from easein.domain import pairing as rules
from easein.domain.access import AccessSummary, access_summary
from easein.domain.audit import AuditKind
from easein.domain.errors import NotFound
from easein.domain.pairing import Invitation, Pairing, PairingStatus, Role, Words
from easein.domain.sharing import SharingLevel
from easein.services import pairing_keys, sealed_notes
from easein.services.app import App
from easein.services.together.records import (
    audit,
    member,
    pairing_from_row,
    pairing_payload,
    store_pairing,
)
from easein.store.codec import add_sealed
from easein.store.models import SessionRow
from easein.store.together_models import InvitationRow, PairingRow, UnsharedSessionRow


def code_hash(code: str) -> str:
    """Return the SHA-256 of an invitation code: only this is stored, and compared."""
    return hashlib.sha256(code.strip().encode()).hexdigest()


@dataclass(frozen=True)
class NewInvitation:
    """An invitation just made: `code` is shown this once (only its hash is kept)."""

    id: int
    code: str
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class PairingView:
    """A pairing as one of its members sees it, with the summary both accept."""

    pairing: Pairing
    role: Role
    summary: AccessSummary

    @property
    def accepted_by_me(self) -> bool:
        me = self.pairing.trainee_id if self.role is Role.TRAINEE else self.pairing.partner_id
        return me in self.pairing.summary_accepted_by


def _view(app: App, pairing: Pairing, role: Role) -> PairingView:
    return PairingView(pairing, role, access_summary(pairing.sharing, pairing.words, app.policy))


def invite(app: App, person_id: int) -> NewInvitation:
    """Make a one-time invitation code (24 h, single use) for a partner; return it once."""
    code = secrets.token_urlsafe(18)  # 24 characters, 144 bits
    now = app.now()
    made = rules.new_invitation(code, person_id, now)
    with app.db.writing() as db:
        row = InvitationRow(trainee_id=person_id, code_hash=code_hash(code), created_at=now)
        db.add(row)
        db.flush()
        return NewInvitation(row.id, code, made.created_at, made.expires_at)


def _invitation(row: InvitationRow) -> Invitation:
    return Invitation(
        "x" * 8, row.trainee_id, row.created_at, row.used_by, row.used_at, row.revoked_at
    )


@dataclass(frozen=True)
class OpenInvitation:
    """An invitation a partner could still accept; its code is never shown again."""

    id: int
    created_at: datetime
    expires_at: datetime


def open_invitations(app: App, person_id: int) -> list[OpenInvitation]:
    """Return the person's unused, unexpired, unwithdrawn invitations, newest first."""
    now = app.now()
    with app.db.reading() as db:
        rows = db.scalars(
            select(InvitationRow)
            .where(
                InvitationRow.trainee_id == person_id,
                InvitationRow.used_at.is_(None),
                InvitationRow.revoked_at.is_(None),
                InvitationRow.created_at > now - rules.INVITATION_LIFETIME,
            )
            .order_by(InvitationRow.id.desc())
        )
        found = [(row.id, _invitation(row)) for row in rows]
    return [
        OpenInvitation(i, invite.created_at, invite.expires_at)
        for i, invite in found
        if now < invite.expires_at
    ]


def revoke_invitation(app: App, person_id: int, invitation_id: int) -> None:
    """Withdraw an unused invitation (its maker only; anyone else: NotFound)."""
    with app.db.writing() as db:
        row = db.get(InvitationRow, invitation_id, with_for_update=True)
        if row is None or row.trainee_id != person_id:
            raise NotFound("no such invitation", field="invitation_id")
        done = rules.revoke_invitation(_invitation(row), person_id, app.now())
        row.revoked_at = done.revoked_at


def accept_invitation(
    app: App, person_id: int, code: str, *, data_key: bytes | None = None
) -> PairingView:
    """Accept a partner's invitation from one's own account: a pending pairing begins.

    An unknown code is NotFound; used, expired, withdrawn or one's own are refused
    with the reason. Both then accept the summary before the pairing is active. The
    pairing key is made now, sealed to both (services.pairing_keys), if both have keys.
    """
    now = app.now()
    with app.db.writing() as db:
        row = db.scalars(
            select(InvitationRow)
            .where(InvitationRow.code_hash == code_hash(code))
            .with_for_update()
        ).first()
        if row is None:
            raise NotFound("no such invitation: check the code", field="code")
        used, pairing = rules.accept_invitation(_invitation(row), now, person_id, pairing_id=0)
        row.used_by, row.used_at = used.used_by, used.used_at
        made = PairingRow(
            trainee_id=pairing.trainee_id,
            partner_id=pairing.partner_id,
            created_at=pairing.created_at,
            sharing=pairing.sharing.value,
        )
        add_sealed(db, made, app.codec, pairing_payload(pairing), "pairings", pairing.trainee_id)
        pairing_keys.open_for(db, made, person_id, data_key, make=True)
        pairing = pairing_from_row(made, app)
        audit(db, app, pairing, person_id, AuditKind.INVITATION_ACCEPTED)
        return _view(app, pairing, Role.PARTNER)


def list_pairings(app: App, person_id: int) -> list[PairingView]:
    """Return the person's pairings, newest first (an ended one only to its trainee)."""
    with app.db.reading() as db:
        rows = db.scalars(
            select(PairingRow)
            .where(or_(PairingRow.trainee_id == person_id, PairingRow.partner_id == person_id))
            .order_by(PairingRow.id.desc())
        )
        found = []
        for row in rows:
            pairing = pairing_from_row(row, app)
            role = rules.role_of(pairing, person_id)
            if role is Role.PARTNER and pairing.status is PairingStatus.ENDED:
                continue
            found.append(_view(app, pairing, role))
        return found


def get_pairing(app: App, person_id: int, pairing_id: int) -> PairingView:
    """Return one pairing with the summary, for one of its members."""
    with app.db.reading() as db:
        found = member(db, app, pairing_id, person_id)
        return _view(app, found.pairing, found.role)


def accept_summary(
    app: App,
    person_id: int,
    pairing_id: int,
    *,
    seen: SharingLevel,
    seen_words: Words,
    data_key: bytes | None = None,
) -> PairingView:
    """Accept the summary as read (`seen`, `seen_words`); the pairing is active once both did.

    The trainee's `data_key`, if they are the one accepting, copies the notes the partner
    may see under the pairing key (services.sealed_notes).
    """
    with app.db.writing() as db:
        found = member(db, app, pairing_id, person_id, for_update=True)
        before = found.pairing
        after = rules.accept_summary(before, person_id, seen, seen_words, app.now())
        if after != before:
            store_pairing(found.row, after, app)
            audit(
                db,
                app,
                after,
                person_id,
                AuditKind.SUMMARY_ACCEPTED,
                {"sharing": after.sharing.value},
            )
            if person_id == after.trainee_id:
                sealed_notes.reshare(db, found.row, data_key)
            if after.status is PairingStatus.ACTIVE:
                audit(
                    db,
                    app,
                    after,
                    person_id,
                    AuditKind.PAIRING_ACTIVATED,
                    {"sharing": after.sharing.value},
                )
        return _view(app, after, found.role)


def choose_words(app: App, person_id: int, pairing_id: int, words: Words) -> PairingView:
    """Change the words shown for the two roles (either member; before activation, both
    accept the summary again)."""
    with app.db.writing() as db:
        found = member(db, app, pairing_id, person_id, for_update=True)
        after = rules.choose_words(found.pairing, person_id, words)
        if after != found.pairing:
            store_pairing(found.row, after, app)
            audit(
                db,
                app,
                after,
                person_id,
                AuditKind.WORDS_CHANGED,
                {"trainee_word": after.words.trainee, "partner_word": after.words.partner},
            )
        return _view(app, after, found.role)


def change_sharing(
    app: App,
    person_id: int,
    pairing_id: int,
    level: SharingLevel,
    *,
    data_key: bytes | None = None,
) -> PairingView:
    """Choose what the partner sees (the trainee only); in force from the next request.

    The partner's copies of the notes follow (made with the trainee's `data_key`; without
    it, at their next sign-in), or are deleted when the level no longer shows notes.
    """
    with app.db.writing() as db:
        found = member(db, app, pairing_id, person_id, for_update=True)
        before = found.pairing
        after = rules.change_sharing(before, person_id, level)
        if after != before:
            store_pairing(found.row, after, app)
            sealed_notes.reshare(db, found.row, data_key)
            audit(
                db,
                app,
                after,
                person_id,
                AuditKind.SHARING_CHANGED,
                {"before": before.sharing.value, "after": after.sharing.value},
            )
        return _view(app, after, found.role)


def end_pairing(
    app: App, person_id: int, pairing_id: int, *, data_key: bytes | None = None
) -> PairingView:
    """End the pairing (either member, at any time): the partner's access ends at once,
    their copies of the notes and of the pairing key are deleted, and the pairing key is
    replaced by one only the trainee holds (with the ender's `data_key`)."""
    with app.db.writing() as db:
        found = member(db, app, pairing_id, person_id, for_update=True)
        after = rules.end_pairing(found.pairing, person_id, app.now())
        store_pairing(found.row, after, app)
        sealed_notes.reshare(db, found.row, None)
        pairing_keys.end(db, found.row, person_id, data_key)
        audit(db, app, after, person_id, AuditKind.PAIRING_ENDED)
        return _view(app, after, found.role)


def set_session_shared(
    app: App, person_id: int, session_id: int, *, shared: bool, data_key: bytes | None = None
) -> bool:
    """Mark one of one's sessions "don't share this one" (shared=False) or share it again.

    The change is logged (without the session) in each pairing where the person is
    the trainee. The partners' copies of its notes go, or come back with `data_key`.
    Return whether the session is now shared.
    """
    with app.db.writing() as db:
        session = db.get(SessionRow, session_id)
        if session is None or session.person_id != person_id:
            raise NotFound("no such session", field="session_id")
        row = db.get(UnsharedSessionRow, session_id)
        changed = (row is None) != shared
        if row is not None and shared:
            db.delete(row)
        elif row is None and not shared:
            db.add(UnsharedSessionRow(session_id=session_id, person_id=person_id, at=app.now()))
        if changed:
            pairings = db.scalars(
                select(PairingRow)
                .where(PairingRow.trainee_id == person_id, PairingRow.ended_at.is_(None))
                .order_by(PairingRow.id)
                .with_for_update()  # a pairing key may be made: see sealed_notes
            ).all()
            if not shared:
                sealed_notes.forget_session(db, session_id)
            for pairing_row in pairings:
                if shared:
                    sealed_notes.reshare(db, pairing_row, data_key)
                pairing = pairing_from_row(pairing_row, app)
                audit(
                    db,
                    app,
                    pairing,
                    person_id,
                    AuditKind.SESSION_SHARING_CHANGED,
                    {"shared": shared},
                )
        return shared


def is_session_shared(app: App, person_id: int, session_id: int) -> bool:
    """Return whether one of one's sessions is shared (not marked "don't share this one")."""
    with app.db.reading() as db:
        session = db.get(SessionRow, session_id)
        if session is None or session.person_id != person_id:
            raise NotFound("no such session", field="session_id")
        return db.get(UnsharedSessionRow, session_id) is None
