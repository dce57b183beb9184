"""Export, import and deleting everything.

The JSON export is lossless and stable: records are listed in the order they
were made and refer to each other by position (`toy-1`), not by database id,
so export -> import into an empty database -> export gives the same document.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session as DbSession

from easein.domain.errors import Conflict, InvalidInput
from easein.domain.sessions import check_session
from easein.services import goals, sealed_notes
from easein.services.app import App
from easein.services.profile import Profile, create_person
from easein.services.state import rebuild_state
from easein.store.codec import Context, HeldKeyCodec, add_all_sealed, add_sealed
from easein.store.models import (
    AcknowledgementRow,
    ConditionRow,
    GoalRow,
    Person,
    PlanRow,
    SessionRow,
    ToyRow,
)
from easein.store.records import (
    NOTES_CONTEXT,
    session_from_parts,
    session_from_row,
    toy_from_row,
)

FORMAT = "easein-export"
VERSION = 1


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _rows(db: DbSession, model: Any, person_id: int) -> list[Any]:
    return list(db.scalars(select(model).where(model.person_id == person_id).order_by(model.id)))


def _held(profile: Profile, rows: list[Any]) -> HeldKeyCodec | None:
    """The codec of the person's notes; refused if some are sealed and it is not at hand:
    an export without them would look complete and lose them on the way back."""
    held = sealed_notes.notes_codec(profile.data_key)
    if held is None and any(row.private is not None for row in rows):
        raise Conflict(
            "your notes open only with your password: sign in again, then export",
            field="notes",
            code="notes_locked",
        )
    return held


def export_document(app: App, profile: Profile) -> dict[str, Any]:
    """Return everything of this person as one JSON-ready document."""
    with app.db.reading() as db:
        person = db.get(Person, profile.person_id)
        assert person is not None
        ctx = app.codec
        session_rows = _rows(db, SessionRow, person.id)
        goal_rows = _rows(db, GoalRow, person.id)
        held = _held(profile, [*session_rows, *goal_rows])
        toys = _rows(db, ToyRow, person.id)
        refs = {row.id: f"toy-{n}" for n, row in enumerate(toys, start=1)}
        doc: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "profile": {
                "timezone": person.timezone,
                "units": person.units,
                "created_at": _iso(person.created_at),
                "adult_confirmed_at": _iso(person.adult_confirmed_at),
            },
            "toys": [
                {
                    "ref": refs[row.id],
                    "created_at": _iso(row.created_at),
                    "retired_at": _iso(row.retired_at),
                    **ctx.decode(row.payload, Context("toys", person.id, row.id)),
                }
                for row in toys
            ],
            "sessions": [],
            "conditions": [
                {
                    "since": _iso(row.since),
                    "cleared_at": _iso(row.cleared_at),
                    **ctx.decode(row.payload, Context("conditions", person.id, row.id)),
                }
                for row in _rows(db, ConditionRow, person.id)
            ],
            "acknowledgements": [
                {
                    "kind": row.kind,
                    "at": _iso(row.at),
                    **ctx.decode(row.payload, Context("acknowledgements", person.id, row.id)),
                }
                for row in _rows(db, AcknowledgementRow, person.id)
            ],
            "plans": [
                {
                    "created_at": _iso(row.created_at),
                    **ctx.decode(row.payload, Context("plans", person.id, row.id)),
                }
                for row in _rows(db, PlanRow, person.id)
            ],
            "goal": next(
                (
                    {
                        "set_at": _iso(row.set_at),
                        **goals.goal_payload(goals.goal_from_row(row, app, profile.data_key)),
                    }
                    for row in goal_rows
                ),
                None,
            ),
        }
        for row in session_rows:
            data = ctx.decode(row.payload, Context("sessions", person.id, row.id))
            if row.private is not None and held is not None:
                data.update(held.decode(row.private, Context(NOTES_CONTEXT, person.id, row.id)))
            data["items"] = [refs[i] for i in data["items"]]
            data["reached"] = refs[data["reached"]]
            doc["sessions"].append(
                {
                    "kind": row.kind,
                    "started_at": _iso(row.started_at),
                    "duration_s": row.duration_s,
                    "recorded_at": _iso(row.recorded_at),
                    **data,
                }
            )
    return doc


CSV_COLUMNS = (
    "id", "started_at", "kind", "duration_min", "items", "reached", "reached_mm", "pain",
    "sharp", "comfort", "pleasure", "bleeding", "colour", "outcome", "lube", "relubed",
    "warm_up", "breath_phase", "sensations", "orgasm", "mess", "notes",
)  # fmt: skip


def export_sessions_csv(app: App, profile: Profile) -> str:
    """Return the sessions as CSV for spreadsheets (times in the person's time zone)."""
    with app.db.reading() as db:
        toys = [toy_from_row(r, app.codec) for r in _rows(db, ToyRow, profile.person_id)]
        rows = _rows(db, SessionRow, profile.person_id)
        held = _held(profile, rows)
        sessions = [session_from_row(r, app.codec, held) for r in rows]
    names = {t.id: t.name for t in toys}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    tz = profile.tz

    def cell(value: object) -> object:
        return "" if value is None else value

    for s in sorted(sessions, key=lambda s: (s.started_at, s.id)):
        writer.writerow(
            [
                s.id,
                s.started_at.astimezone(tz).isoformat(timespec="minutes"),
                s.kind.value,
                round(s.duration.total_seconds() / 60, 1),
                ";".join(names.get(i, "?") for i in s.item_ids),
                names.get(s.reached_item_id, "?"),
                s.reached_mm,
                s.pain,
                s.sharp,
                cell(s.comfort),
                cell(s.pleasure),
                s.bleeding.value,
                cell(s.colour.value if s.colour else None),
                s.outcome.value,
                s.lube,
                cell(s.relubed),
                cell(s.warm_up),
                cell(s.breath_phase.value if s.breath_phase else None),
                ";".join(sorted(x.value for x in s.sensations)),
                cell(s.orgasm),
                cell(s.mess),
                s.notes,
            ]
        )
    return out.getvalue()


def has_records(db: DbSession, person_id: int) -> bool:
    for model in (ToyRow, SessionRow, ConditionRow, AcknowledgementRow, PlanRow, GoalRow):
        if db.scalar(select(model.id).where(model.person_id == person_id).limit(1)) is not None:
            return True
    return False


def import_document(app: App, raw: Any, *, person_id: int | None = None) -> Profile:
    """Load an export into this database (or this person), holding no records yet.

    All or nothing. Without `person_id` (local mode) the first person is used,
    or created from the document's profile.
    """
    from easein.services.import_schema import parse_document

    doc = parse_document(raw)
    with app.db.writing() as db:
        if person_id is None:
            person = db.scalars(select(Person).order_by(Person.id).limit(1)).first()
        else:
            person = db.get(Person, person_id)
        if person is not None and has_records(db, person.id):
            raise Conflict(
                "this database already holds records; import needs an empty one "
                "(use another --db, or `easein delete-everything` first)",
                field="file",
            )
        if person is None:
            person = create_person(
                db, app, adult=True, timezone=doc.profile.timezone, units=doc.profile.units
            )
        person.timezone = doc.profile.timezone
        person.units = doc.profile.units
        person.created_at = doc.profile.created_at
        person.adult_confirmed_at = doc.profile.adult_confirmed_at
        pid = person.id
        codec = app.codec
        ids: dict[str, int] = {}
        for toy in doc.toys:
            row = ToyRow(person_id=pid, created_at=toy.created_at, retired_at=toy.retired_at)
            add_sealed(db, row, codec, toy.payload(), "toys", pid)
            ids[toy.ref] = row.id
        sessions: list[tuple[Any, dict[str, Any]]] = []
        for n, s in enumerate(doc.sessions):
            data = s.payload(ids)
            try:
                check_session(
                    session_from_parts(0, s.kind, s.started_at, s.duration_s, s.recorded_at, data),
                    now=app.now(),
                )
            except InvalidInput as error:
                raise InvalidInput(
                    f"import: sessions.{n}: {error.message}", field=f"sessions.{n}.{error.field}"
                ) from None
            row = SessionRow(
                person_id=pid,
                kind=s.kind,
                started_at=s.started_at,
                duration_s=s.duration_s,
                recorded_at=s.recorded_at,
            )
            sessions.append((row, data))
        add_all_sealed(db, sessions, codec, "sessions", pid)
        conditions = [
            (ConditionRow(person_id=pid, since=c.since, cleared_at=c.cleared_at), c.payload())
            for c in doc.conditions
        ]
        add_all_sealed(db, conditions, codec, "conditions", pid)
        acknowledgements = [
            (AcknowledgementRow(person_id=pid, kind=a.kind, at=a.at), a.payload())
            for a in doc.acknowledgements
        ]
        add_all_sealed(db, acknowledgements, codec, "acknowledgements", pid)
        plans = [(PlanRow(person_id=pid, created_at=p.created_at), p.payload()) for p in doc.plans]
        add_all_sealed(db, plans, codec, "plans", pid)
        if doc.goal is not None:
            goal = GoalRow(person_id=pid, set_at=doc.goal.set_at)
            add_sealed(db, goal, codec, doc.goal.payload(), "goals", pid)
        db.flush()
        profile = Profile(pid, person.timezone, doc.profile.units_enum)
        rebuild_state(db, app, profile)
    return profile


def import_for(app: App, profile: Profile, raw: Any) -> Profile:
    """Load an export into this person's account, which must hold no records yet."""
    return import_document(app, raw, person_id=profile.person_id)


def delete_everything(app: App, profile: Profile, *, confirmed: bool) -> None:
    """Delete the profile and every record of it; on SQLite, also scrub freed pages."""
    if not confirmed:
        raise InvalidInput(
            "nothing deleted: confirm by typing DELETE (or pass --yes)",
            field="confirm",
            code="confirmation_required",
        )
    with app.db.writing() as db:
        db.execute(delete(Person).where(Person.id == profile.person_id))
    if app.db.is_sqlite:
        # Deleted rows linger in free pages and the WAL until overwritten.
        raw = app.db.engine.raw_connection()
        try:
            raw.execute("VACUUM")  # the driver connection is in autocommit mode
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()
