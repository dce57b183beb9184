"""Logging sessions, conditions and clearances; the status and the history."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from easein.domain import rules
from easein.domain.errors import Conflict, InvalidInput, NotFound
from easein.domain.ladder import Ladder, build_ladder
from easein.domain.progression import Recommendation, recommend
from easein.domain.safety import Condition, ConditionKind, Pause, SafetyState, evaluate
from easein.domain.sessions import Session, SessionKind, check_session, check_start
from easein.domain.toys import Toy, check_usable
from easein.domain.training import TrainingState
from easein.services import sealed_notes
from easein.services.app import App
from easein.services.profile import Profile
from easein.services.state import (
    MEDICAL_CLEARANCE,
    add_session_to_state,
    current_state,
    rebuild_state,
    stored_state,
)
from easein.services.toys import find_toy, load_toys
from easein.store.codec import add_sealed
from easein.store.models import AcknowledgementRow, ConditionRow, SessionRow, StopAndTalkRow
from easein.store.records import condition_from_row, session_from_row, session_payload


def log_session(
    app: App, profile: Profile, draft: Session, item_refs: list[str] | list[int]
) -> Session:
    """Store a session whose items are named by `item_refs`; the largest counts as reached.

    Every item must be usable anally (rule `toy.base_required`); all checks run
    before anything is written, and the write is one transaction.
    """
    if not item_refs:
        raise InvalidInput("name at least one item", field="item", code="required")
    with app.db.writing() as db:
        toys = load_toys(db, app, profile.person_id)
        items: list[Toy] = []
        for ref in item_refs:
            toy = check_usable(find_toy(toys, ref))
            if toy not in items:
                items.append(toy)
        reached = max(items, key=lambda t: t.diameter_mm)
        session = check_session(
            replace(
                draft,
                started_at=check_start(draft.started_at).astimezone(UTC),
                item_ids=tuple(t.id for t in items),
                reached_item_id=reached.id,
                reached_mm=reached.diameter_mm,
                recorded_at=app.now(),
            ),
            now=app.now(),
        )
        row = SessionRow(
            person_id=profile.person_id,
            kind=session.kind.value,
            started_at=session.started_at,
            duration_s=int(session.duration.total_seconds()),
            recorded_at=app.now(),
        )
        held = sealed_notes.notes_codec(profile.data_key)
        payload = session_payload(session, with_notes=held is None)
        add_sealed(db, row, app.codec, payload, "sessions", profile.person_id)
        if held is not None and profile.data_key is not None:
            sealed_notes.seal_notes(row, session.notes, held)
            sealed_notes.share_new(db, profile.person_id, profile.data_key, row.id, session.notes)
        session = replace(session, id=row.id)
        add_session_to_state(db, app, profile, session)
        return session


def parse_condition_kind(text: str) -> ConditionKind:
    aliases = {"hemorrhoids": "haemorrhoids", "diarrhea": "diarrhoea"}
    key = text.strip().lower()
    try:
        return ConditionKind(aliases.get(key, key))
    except ValueError:
        allowed = ", ".join(k.value for k in ConditionKind)
        raise InvalidInput(
            f"unknown condition {text!r}: use one of {allowed}", field="condition"
        ) from None


def load_conditions(db: DbSession, app: App, person_id: int) -> list[Condition]:
    rows = db.scalars(
        select(ConditionRow).where(ConditionRow.person_id == person_id).order_by(ConditionRow.id)
    )
    return [condition_from_row(r, app.codec) for r in rows]


def set_condition(app: App, profile: Profile, kind: ConditionKind, note: str = "") -> Condition:
    """Record a condition that pauses training until it is cleared."""
    if len(note) > 1000:
        raise InvalidInput("note must be at most 1000 characters", field="note")
    with app.db.writing() as db:
        for c in load_conditions(db, app, profile.person_id):
            if c.kind is kind and c.cleared_at is None:
                raise Conflict(
                    f"{kind.value} is already set (since {c.since:%Y-%m-%d}); "
                    "clear it when it is better",
                    field="condition",
                )
        row = ConditionRow(
            person_id=profile.person_id,
            since=app.now(),
        )
        data = {"kind": kind.value, "note": note.strip()}
        add_sealed(db, row, app.codec, data, "conditions", profile.person_id)
        return condition_from_row(row, app.codec)


def clear_condition(app: App, profile: Profile, kind: ConditionKind) -> Condition:
    """Mark the active condition of this kind as better."""
    with app.db.writing() as db:
        for c in load_conditions(db, app, profile.person_id):
            if c.kind is kind and c.cleared_at is None:
                row = db.get(ConditionRow, c.id)
                assert row is not None
                row.cleared_at = app.now()
                return replace(c, cleared_at=row.cleared_at)
    raise NotFound(f"{kind.value} is not set", field="condition")


def list_conditions(app: App, profile: Profile, *, active_only: bool = False) -> list[Condition]:
    with app.db.reading() as db:
        found = load_conditions(db, app, profile.person_id)
    now = app.now()
    return [c for c in found if not active_only or c.active_at(now)]


def clear_medical_hold(
    app: App, profile: Profile, *, confirmed: bool, statement: str
) -> SafetyState:
    """Record that the trainee saw a doctor or is otherwise sure; lifts a medical hold."""
    if not confirmed:
        raise InvalidInput(
            "a medical hold lifts only with your explicit confirmation",
            field="confirm",
            code="confirmation_required",
        )
    with app.db.writing() as db:
        row = AcknowledgementRow(person_id=profile.person_id, kind=MEDICAL_CLEARANCE, at=app.now())
        data = {"statement": statement}
        add_sealed(db, row, app.codec, data, "acknowledgements", profile.person_id)
        state = rebuild_state(db, app, profile)[0]
        conditions = load_conditions(db, app, profile.person_id)
        pauses = open_stops(db, profile.person_id)
    # The hold lifts; an open stop and talk still pauses (the same state as status()).
    return evaluate(state, conditions, app.now(), profile.tz, pauses=pauses)


@dataclass(frozen=True)
class Status:
    safety: SafetyState
    recommendation: Recommendation
    ladder: Ladder
    training: TrainingState


def open_stops(db: DbSession, person_id: int) -> tuple[Pause, ...]:
    """Return the open "stop and talk"s of the person as trainee, as pauses of their training.

    Their rows carry the trainee's `person_id`, so calling or resuming one bumps the
    trainee's revision and the memoised status inputs are made again.
    """
    called = db.scalars(
        select(StopAndTalkRow.called_at)
        .where(StopAndTalkRow.person_id == person_id, StopAndTalkRow.resumed_at.is_(None))
        .order_by(StopAndTalkRow.called_at)
    )
    message = "Stop and talk: training and every directive are paused until you resume"
    return tuple(Pause(rules.STOP_AND_TALK, message, at) for at in called)


def _status_inputs(
    app: App, profile: Profile
) -> tuple[TrainingState, tuple[Condition, ...], Ladder, tuple[Pause, ...]]:
    """Return what status derives from the data: the fold, conditions, ladder, open stops."""
    with app.db.reading() as db:  # one read transaction for everything status needs
        stored = stored_state(db, app, profile)
        conditions = tuple(load_conditions(db, app, profile.person_id))
        toys = load_toys(db, app, profile.person_id)
        pauses = open_stops(db, profile.person_id)
    training = stored if stored is not None else current_state(app, profile)
    return training, conditions, build_ladder(toys, training.earned_mm, app.policy), pauses


def status(app: App, profile: Profile) -> Status:
    """Return the safety state, the recommendation and the ladder at this moment.

    What comes from the data is reused while the person's data is unchanged
    (services.memo); the rules run on every call, at this moment. An open "stop
    and talk" pauses training like a condition (rule `directive.stop_and_talk`).
    """
    training, conditions, ladder, pauses = app.memo.get(
        "status", profile.person_id, profile.version, lambda: _status_inputs(app, profile)
    )
    safety = evaluate(training, conditions, app.now(), profile.tz, pauses=pauses)
    rec = recommend(training, safety, ladder, app.policy, profile.tz, profile.units)
    return Status(safety, rec, ladder, training)


def history(
    app: App,
    profile: Profile,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    kind: SessionKind | None = None,
    limit: int | None = None,
) -> list[Session]:
    """Return sessions, newest first, filtered by start time [since, until) and kind."""
    if since and until and until <= since:
        raise InvalidInput(
            "the end (to) must be after the start (from)", field="to", code="out_of_range"
        )
    query = select(SessionRow).where(SessionRow.person_id == profile.person_id)
    if since:
        query = query.where(SessionRow.started_at >= since)
    if until:
        query = query.where(SessionRow.started_at < until)
    if kind:
        query = query.where(SessionRow.kind == kind.value)
    query = query.order_by(SessionRow.started_at.desc(), SessionRow.id.desc())
    if limit:
        query = query.limit(limit)
    held = sealed_notes.notes_codec(profile.data_key)
    with app.db.reading() as db:
        return [session_from_row(r, app.codec, held) for r in db.scalars(query)]


def last_session(app: App, profile: Profile) -> Session | None:
    """Return the latest session by start time (reused while the data is unchanged)."""

    def load() -> Session | None:
        found = history(app, profile, limit=1)
        return found[0] if found else None

    # Made with the notes or without (locked), as this caller may read them.
    name = "last_session" if profile.data_key is None else "last_session+notes"
    return app.memo.get(name, profile.person_id, profile.version, load)


def get_session(app: App, profile: Profile, session_id: int) -> Session:
    """Return one of this person's sessions; another person's does not exist."""
    with app.db.reading() as db:
        row = db.get(SessionRow, session_id)
        if row is None or row.person_id != profile.person_id:
            raise NotFound("no such session", field="session_id")
        return session_from_row(row, app.codec, sealed_notes.notes_codec(profile.data_key))


def item_names(app: App, profile: Profile) -> dict[int, Toy]:
    with app.db.reading() as db:
        return {t.id: t for t in load_toys(db, app, profile.person_id)}


def default_start(app: App, duration: timedelta) -> datetime:
    """Return when a session logged now without --at started: now minus its duration."""
    return app.now() - duration
