"""What the partner sees of the trainee: the status and the sessions, cut by the sharing level,
and, at every level, the usable items a directive may name.

The projections are `domain.sharing`'s allow-lists; a None (nothing shared, or a
session marked "don't share this one") is NotFound, so its existence does not leak.
The trainee may call these too: they then preview exactly what the partner sees.
Every read checks the pairing in the same transaction as the data it returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from easein.domain.errors import NotFound
from easein.domain.ladder import build_ladder
from easein.domain.pairing import require_active
from easein.domain.sharing import project_session, project_sessions, project_status, shares_notes
from easein.domain.toys import Base
from easein.present import safety_json, session_json
from easein.services import sealed_notes, training
from easein.services.app import App
from easein.services.together.records import Member, hidden_session_ids, member, profile_of
from easein.services.toys import load_toys
from easein.store.models import SessionRow
from easein.store.records import session_from_row

MAX_SESSIONS = 200


@dataclass(frozen=True)
class UsableItem:
    """One of the trainee's items as a partner knows it: enough to choose it, nothing more."""

    id: int
    name: str
    diameter_mm: float
    base: Base  # flared, handle, or body (fingers, a hand)


def usable_items(app: App, person_id: int, pairing_id: int) -> list[UsableItem]:
    """Return the trainee's items a directive may name, smallest first, at every sharing level.

    Choosing a safe item needs them, and the access summary both accepted says so. Only the
    ladder's items: a flared base or a handle, not retired (`domain.ladder`); never the
    material or anything else about them, and never the earned size (all rungs are listed,
    so the list says nothing about progress). Safety still checks the chosen item when the
    directive is set.
    """
    with app.db.reading() as db:
        found = member(db, app, pairing_id, person_id)
        require_active(found.pairing)
        toys = load_toys(db, app, found.pairing.trainee_id)
    ladder = build_ladder(toys, None, app.policy)
    return [
        UsableItem(t.id, t.name, t.diameter_mm, t.base) for rung in ladder.rungs for t in rung.items
    ]


def shared_status(app: App, person_id: int, pairing_id: int) -> dict[str, Any]:
    """Return the trainee's safety status as the sharing level lets the partner see it."""
    with app.db.reading() as db:
        found = member(db, app, pairing_id, person_id)
        require_active(found.pairing)
        trainee = profile_of(db, found.pairing.trainee_id)
        hidden = hidden_session_ids(db, trainee.person_id)
    current = training.status(app, trainee)
    view = project_status(
        safety_json(current.safety, current.recommendation),
        found.pairing.sharing,
        hidden_ids=hidden,
    )
    if view is None:
        raise NotFound("nothing is shared", field="pairing_id")
    with app.db.reading() as db:  # the pairing may have ended meanwhile: check again
        require_active(member(db, app, pairing_id, person_id).pairing)
    return view


def shared_sessions(
    app: App, person_id: int, pairing_id: int, *, limit: int = 50, data_key: bytes | None = None
) -> list[dict[str, Any]]:
    """Return the trainee's sessions that exist for the partner, newest first, projected.

    Notes sealed under the trainee's data key come from the partner's copies, opened with
    the partner's own `data_key` (services.sealed_notes).
    """
    with app.db.reading() as db:
        found = member(db, app, pairing_id, person_id)
        require_active(found.pairing)
        trainee_id = found.pairing.trainee_id
        hidden = hidden_session_ids(db, trainee_id)
        rows = db.scalars(
            select(SessionRow)
            .where(SessionRow.person_id == trainee_id)
            .order_by(SessionRow.started_at.desc(), SessionRow.id.desc())
            .limit(min(max(limit, 1), MAX_SESSIONS))
        )
        names = {t.id: t for t in load_toys(db, app, trainee_id)}
        found_rows = rows.all()
        sessions = [session_json(session_from_row(r, app.codec), names) for r in found_rows]
        if shares_notes(found.pairing.sharing):
            _copied_notes(db, found, person_id, data_key, sessions)
    return project_sessions(sessions, found.pairing.sharing, hidden)


def shared_session(
    app: App, person_id: int, pairing_id: int, session_id: int, *, data_key: bytes | None = None
) -> dict[str, Any]:
    """Return one of the trainee's sessions as the partner may see it, or NotFound."""
    with app.db.reading() as db:
        found = member(db, app, pairing_id, person_id)
        require_active(found.pairing)
        trainee_id = found.pairing.trainee_id
        row = db.get(SessionRow, session_id)
        if row is None or row.person_id != trainee_id:
            raise NotFound("no such session", field="session_id")
        hidden = session_id in hidden_session_ids(db, trainee_id)
        names = {t.id: t for t in load_toys(db, app, trainee_id)}
        session = session_json(session_from_row(row, app.codec), names)
        if shares_notes(found.pairing.sharing) and not hidden:
            _copied_notes(db, found, person_id, data_key, [session])
    view = project_session(session, found.pairing.sharing, hidden=hidden)
    if view is None:
        raise NotFound("no such session", field="session_id")
    return view


def _copied_notes(
    db: DbSession,
    found: Member,
    person_id: int,
    data_key: bytes | None,
    sessions: list[dict[str, Any]],
) -> None:
    """Put the partner's copies of the notes into `sessions` (JSON), where sealed."""
    sealed = [s["id"] for s in sessions if s.get("notes_locked")]
    copies = sealed_notes.partner_notes(db, found.row, person_id, data_key, sealed)
    for s in sessions:
        if s["id"] in copies:
            s["notes"], s["notes_locked"] = copies[s["id"]], False
