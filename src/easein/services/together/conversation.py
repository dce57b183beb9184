"""The guided conversation: each answers privately; both see both once both submitted.

The answers are sealed under the pairing key when the writer's sign-in holds their data
key (services.pairing_keys), else under the installation key; a reader whose sign-in
cannot open the pairing key is asked to sign in again (409 `answers_locked`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from easein.domain import conversation as rules
from easein.domain.conversation import AnswerSheet, AnswerValue, Row
from easein.domain.errors import Conflict
from easein.domain.pairing import Pairing, Role, require_not_ended, role_of
from easein.services import pairing_keys
from easein.services.app import App
from easein.services.together.records import member
from easein.store.codec import Context
from easein.store.together_models import ConversationAnswersRow


def _payload(answers: Mapping[str, AnswerValue]) -> dict[str, Any]:
    return {
        "answers": {k: sorted(v) if isinstance(v, frozenset) else v for k, v in answers.items()}
    }


def _sheet(
    row: ConversationAnswersRow, pairing: Pairing, app: App, key: bytes | None
) -> AnswerSheet:
    context = Context("conversation_answers", row.author_id, row.id)
    data = pairing_keys.open_words(app, key, row.payload, context)
    if data is None:
        raise Conflict(
            "these answers open only with your password: sign out and in again to read them",
            field="answers",
            code="answers_locked",
        )
    raw = {k: (frozenset(v) if isinstance(v, list) else v) for k, v in data["answers"].items()}
    return AnswerSheet(row.author_id, role_of(pairing, row.author_id), raw, row.submitted_at)


def _row(db: DbSession, pairing_id: int, person_id: int) -> ConversationAnswersRow | None:
    return db.scalars(
        select(ConversationAnswersRow).where(
            ConversationAnswersRow.pairing_id == pairing_id,
            ConversationAnswersRow.author_id == person_id,
        )
    ).first()


def save_answers(
    app: App,
    person_id: int,
    pairing_id: int,
    raw: Mapping[str, object],
    *,
    submit: bool,
    data_key: bytes | None = None,
) -> AnswerSheet:
    """Save one's own answers (replacing the last ones); `submit` shares them with the other
    once both submitted. A submitted sheet can still be changed."""
    with app.db.writing() as db:
        found = member(db, app, pairing_id, person_id, for_update=True)
        require_not_ended(found.pairing)
        sheet = rules.answer_sheet(person_id, found.role, raw)
        row = _row(db, pairing_id, person_id)
        now = app.now()
        if row is None:
            row = ConversationAnswersRow(
                pairing_id=pairing_id, author_id=person_id, updated_at=now, payload=b""
            )
            db.add(row)
            db.flush()  # the id, bound into the sealed payload
        key, _ = pairing_keys.open_for(db, found.row, person_id, data_key, make=True)
        row.payload = pairing_keys.seal_words(
            app, key, _payload(sheet.answers), Context("conversation_answers", person_id, row.id)
        )
        row.updated_at = now
        if submit:
            row.submitted_at = now
        db.flush()
        return _sheet(row, found.pairing, app, key)


def my_answers(
    app: App, person_id: int, pairing_id: int, *, data_key: bytes | None = None
) -> AnswerSheet:
    """Return one's own answers (empty before the first save)."""
    with app.db.reading() as db:
        found = member(db, app, pairing_id, person_id)
        row = _row(db, pairing_id, person_id)
        if row is None:
            return AnswerSheet(person_id, found.role, {}, None)
        key, _ = pairing_keys.open_for(db, found.row, person_id, data_key)
        return _sheet(row, found.pairing, app, key)


@dataclass(frozen=True)
class Comparison:
    rows: tuple[Row, ...]


def comparison(
    app: App, person_id: int, pairing_id: int, *, data_key: bytes | None = None
) -> Comparison:
    """Return both sets of answers side by side, trainee first, with the differences marked;
    refused (409) until both have submitted."""
    with app.db.reading() as db:
        found = member(db, app, pairing_id, person_id)
        key, _ = pairing_keys.open_for(db, found.row, person_id, data_key)
        sheets = {}
        for who, role in (
            (found.pairing.trainee_id, Role.TRAINEE),
            (found.pairing.partner_id, Role.PARTNER),
        ):
            row = _row(db, pairing_id, who)
            sheets[role] = (
                _sheet(row, found.pairing, app, key)
                if row is not None
                else AnswerSheet(who, role, {}, None)
            )
    if any(s.submitted_at is None for s in sheets.values()):
        raise Conflict(
            "the answers are shown side by side once both of you have submitted yours",
            field="answers",
            code="answers_pending",
        )
    return Comparison(rules.compare(sheets[Role.TRAINEE], sheets[Role.PARTNER]))
