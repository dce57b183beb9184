"""Check-ins on directives (the trainee) and compliance (both), missed and excused apart.

A check-in's note is sealed under the pairing key when the trainee's sign-in holds their
data key (services.pairing_keys); compliance never needs it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import select

from easein.domain import compliance as rules
from easein.domain.clock import day_start
from easein.domain.compliance import CheckIn, CheckInResult, Compliance, Slot
from easein.domain.errors import InvalidInput
from easein.domain.excused import excused_intervals
from easein.domain.pairing import Role
from easein.domain.sharing import SharingLevel, visible_session_id
from easein.services import pairing_keys, training
from easein.services import state as training_state
from easein.services.app import App
from easein.services.together.records import (
    directive_of,
    directive_row,
    hidden_session_ids,
    member,
    profile_of,
    revisions_of,
    stops_of,
)
from easein.store.codec import Context
from easein.store.models import SessionRow
from easein.store.together_models import CheckInRow, DirectiveRow

MAX_DAYS = 366


def _check_in_of(row: CheckInRow, app: App, key: bytes | None) -> CheckIn:
    """The check-in in `row`; its note opened with the pairing `key` if sealed under it."""
    data = pairing_keys.open_words(
        app, key, row.payload, Context("check_ins", row.person_id, row.id)
    )
    return CheckIn(
        row.directive_id,
        date.fromisoformat(row.day),
        CheckInResult(row.result),
        row.at,
        row.session_id,
        "" if data is None else str(data.get("note", "")),
        note_locked=data is None,
    )


def check_in(
    app: App,
    person_id: int,
    pairing_id: int,
    directive_id: int,
    *,
    day: date,
    result: CheckInResult,
    session_id: int | None = None,
    note: str = "",
    data_key: bytes | None = None,
) -> CheckIn:
    """Check in on the directive's occurrence of local `day` (the trainee only): done, partly
    or skipped, with one of the trainee's own sessions attached if there is one. The latest
    check-in for a day counts; earlier ones are kept. The note is sealed under the pairing
    key with the trainee's `data_key` (services.pairing_keys)."""
    with app.db.writing() as db:
        found = member(db, app, pairing_id, person_id, for_update=True)
        row = directive_row(db, found.pairing, directive_id)
        trainee = profile_of(db, found.pairing.trainee_id)
        current = directive_of(row, revisions_of(db, [row.id])[row.id][-1], app, trainee.person_id)
        made = rules.check_in(
            current,
            found.pairing,
            person_id,
            day,
            result,
            app.now(),
            trainee.tz,
            session_id=session_id,
            note=note,
        )
        if session_id is not None:
            session = db.get(SessionRow, session_id)
            if session is None or session.person_id != trainee.person_id:
                raise InvalidInput("session_id is not one of your sessions", field="session_id")
        check_in = CheckInRow(
            directive_id=row.id,
            person_id=trainee.person_id,
            day=day.isoformat(),
            result=result.value,
            at=made.at,
            session_id=session_id,
        )
        key, _ = pairing_keys.open_for(db, found.row, person_id, data_key, make=True)
        check_in.payload = b""
        db.add(check_in)
        db.flush()  # the id, bound into the sealed payload
        context = Context("check_ins", trainee.person_id, check_in.id)
        check_in.payload = pairing_keys.seal_words(app, key, {"note": made.note}, context)
        return made


def _visible(role: Role, check: CheckIn, level: SharingLevel, hidden: frozenset[int]) -> CheckIn:
    """Return the check-in as `role` sees it: the partner, an attached session only if shared."""
    if role is Role.TRAINEE:
        return check
    shown = visible_session_id(check.session_id, level, hidden)
    return replace(check, session_id=shown)


def list_check_ins(
    app: App, person_id: int, pairing_id: int, directive_id: int, *, data_key: bytes | None = None
) -> list[CheckIn]:
    """Return the directive's check-ins, newest first; the partner sees an attached session
    only if that session is shared. Notes open with the reader's `data_key`."""
    with app.db.reading() as db:
        found = member(db, app, pairing_id, person_id)
        row = directive_row(db, found.pairing, directive_id)
        rows = db.scalars(
            select(CheckInRow)
            .where(CheckInRow.directive_id == row.id)
            .order_by(CheckInRow.at.desc(), CheckInRow.id.desc())
        )
        hidden = hidden_session_ids(db, found.pairing.trainee_id)
        level = found.pairing.sharing
        key, _ = pairing_keys.open_for(db, found.row, person_id, data_key)
        return [_visible(found.role, _check_in_of(r, app, key), level, hidden) for r in rows]


@dataclass(frozen=True)
class ComplianceView:
    """Every occurrence over the period, classified, and the counts (shown to both)."""

    since: datetime
    until: datetime
    totals: Compliance
    slots: list[Slot]


def compliance(app: App, person_id: int, pairing_id: int, *, days: int = 30) -> ComplianceView:
    """Return compliance over the last `days` days (not before the pairing began).

    Excused (a safety period or a stop and talk) is never missed; the partner reads
    only "safety" or "stop_and_talk" as the excuse, and an attached session only if shared.
    """
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput(f"days must be from 1 to {MAX_DAYS}", field="days", code="out_of_range")
    with app.db.reading() as db:
        found = member(db, app, pairing_id, person_id)
        trainee = profile_of(db, found.pairing.trainee_id)
    summary = training_state.current_summary(app, trainee)  # may rebuild: outside the read
    now = app.now()
    with app.db.reading() as db:
        found = member(db, app, pairing_id, person_id)
        pairing = found.pairing
        # from the start of the local day the pairing became active: that day counts
        began = day_start(
            (pairing.activated_at or pairing.created_at).astimezone(trainee.tz).date(), trainee.tz
        )
        start = max(now - timedelta(days=days), began)
        until = min(now, pairing.ended_at) if pairing.ended_at else now
        safety = excused_intervals(
            summary,
            training_state.clearance_times(db, trainee.person_id),
            training.load_conditions(db, app, trainee.person_id),
        )
        stops = stops_of(db, pairing.id)
        rows = list(db.scalars(select(DirectiveRow).where(DirectiveRow.pairing_id == pairing.id)))
        revisions = revisions_of(db, [r.id for r in rows])
        checks = list(
            db.scalars(select(CheckInRow).where(CheckInRow.directive_id.in_([r.id for r in rows])))
        )
        check_ins = [_check_in_of(r, app, None) for r in checks]  # the notes are not needed
        hidden = hidden_session_ids(db, trainee.person_id)
    found_slots: list[Slot] = []
    for row in rows:
        versions = [directive_of(row, r, app, trainee.person_id) for r in revisions[row.id]]
        mine = [c for c in check_ins if c.directive_id == row.id]
        found_slots.extend(rules.slots(versions, mine, safety, stops, trainee.tz, start, until))
    found_slots.sort(key=lambda s: (s.at, s.directive_id))
    if found.role is Role.PARTNER:
        found_slots = [
            Slot(
                s.directive_id,
                s.revision,
                s.at,
                s.day,
                s.outcome,
                s.excuse,
                visible_session_id(s.session_id, pairing.sharing, hidden),
            )
            for s in found_slots
        ]
    return ComplianceView(start, until, rules.summarise(found_slots), found_slots)
