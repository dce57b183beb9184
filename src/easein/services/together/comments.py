"""Comments on sessions and directives, both ways ("how did it feel", "a bit frustrated").

A comment is sealed under the pairing key when its writer's sign-in holds their data
key (services.pairing_keys), so only the two members read it; one written otherwise
(a sign-in older than data keys, a member with no key pair yet) is under the
installation key. A reader whose sign-in cannot open the pairing key gets the comment
with its text empty and `locked`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from easein.domain.errors import InvalidInput, NotFound
from easein.domain.pairing import require_active
from easein.domain.sharing import visible_session_id
from easein.services import pairing_keys
from easein.services.app import App
from easein.services.together.records import Member, directive_row, hidden_session_ids, member
from easein.store.codec import Context
from easein.store.models import SessionRow
from easein.store.together_models import CommentRow

MAX_COMMENT = 2000


class Target(StrEnum):
    SESSION = "session"
    DIRECTIVE = "directive"


@dataclass(frozen=True)
class Comment:
    id: int
    pairing_id: int
    author_id: int
    target: Target
    target_id: int
    at: datetime
    text: str
    locked: bool = False  # sealed under the pairing key, which this reader cannot open


def _require_target(db: DbSession, found: Member, target: Target, target_id: int) -> None:
    """Refuse a target that does not exist for this person: a session must be the
    trainee's and, for the partner, shared; a directive must be the pairing's."""
    if target is Target.DIRECTIVE:
        directive_row(db, found.pairing, target_id)
        return
    row = db.get(SessionRow, target_id)
    missing = row is None or row.person_id != found.pairing.trainee_id
    if not missing and found.is_partner:
        hidden = hidden_session_ids(db, found.pairing.trainee_id)
        missing = visible_session_id(target_id, found.pairing.sharing, hidden) is None
    if missing:
        raise NotFound("no such session", field="session_id")


def add_comment(
    app: App,
    person_id: int,
    pairing_id: int,
    target: Target,
    target_id: int,
    text: str,
    *,
    data_key: bytes | None = None,
) -> Comment:
    """Comment on a session or a directive of an active pairing (either member)."""
    clean = text.strip()
    if not clean:
        raise InvalidInput("text is empty: say something", field="text", code="required")
    if len(clean) > MAX_COMMENT:
        raise InvalidInput(f"text must be at most {MAX_COMMENT} characters", field="text")
    with app.db.writing() as db:
        found = member(db, app, pairing_id, person_id, for_update=True)
        require_active(found.pairing)
        _require_target(db, found, target, target_id)
        row = CommentRow(
            pairing_id=pairing_id,
            author_id=person_id,
            target=target.value,
            target_id=target_id,
            at=app.now(),
        )
        key, _ = pairing_keys.open_for(db, found.row, person_id, data_key, make=True)
        row.payload = b""
        db.add(row)
        db.flush()  # the id, bound into the sealed payload
        context = Context("comments", person_id, row.id)
        row.payload = pairing_keys.seal_words(app, key, {"text": clean}, context)
        return Comment(row.id, pairing_id, person_id, target, target_id, row.at, clean)


def list_comments(
    app: App,
    person_id: int,
    pairing_id: int,
    target: Target,
    target_id: int,
    *,
    data_key: bytes | None = None,
) -> list[Comment]:
    """Return the comments on a session or directive, oldest first."""
    with app.db.reading() as db:
        found = member(db, app, pairing_id, person_id)
        _require_target(db, found, target, target_id)
        rows = db.scalars(
            select(CommentRow)
            .where(
                CommentRow.pairing_id == pairing_id,
                CommentRow.target == target.value,
                CommentRow.target_id == target_id,
            )
            .order_by(CommentRow.at, CommentRow.id)
        ).all()
        key, _ = pairing_keys.open_for(db, found.row, person_id, data_key)
        found_comments = []
        for r in rows:
            data = pairing_keys.open_words(
                app, key, r.payload, Context("comments", r.author_id, r.id)
            )
            found_comments.append(
                Comment(
                    r.id,
                    r.pairing_id,
                    r.author_id,
                    target,
                    r.target_id,
                    r.at,
                    "" if data is None else str(data["text"]),
                    locked=data is None,
                )
            )
        return found_comments
