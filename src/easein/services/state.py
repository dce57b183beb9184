"""Keeping the folded training state and the statistics summary in step with the log.

Both are updated inside the caller's write transaction: O(1) when a session is
the latest; a full replay when one is logged out of order, when thresholds or
the time zone change, on a clearance, and on import.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from easein.domain.sessions import Session
from easein.domain.training import TrainingState, apply_session, replay
from easein.services.app import App
from easein.services.profile import Profile
from easein.store.codec import Context
from easein.store.models import AcknowledgementRow, SessionRow, TrainingStateRow
from easein.store.records import session_from_row, training_from_payload, training_payload

if TYPE_CHECKING:  # the statistics engine loads only when a summary is made or read:
    from easein.domain.stats import Summary  # `easein status` starts without it

MEDICAL_CLEARANCE = "medical_clearance"


def policy_key(app: App, profile: Profile) -> str:
    """Return what the fold depends on besides the log: thresholds and time zone."""
    values = ",".join(f"{k}={v}" for k, v in sorted(app.policy.as_dict().items()))
    return f"{values};tz={profile.timezone}"


def _context(profile: Profile) -> Context:
    return Context("training_states", profile.person_id, profile.person_id)


def _summary_context(profile: Profile) -> Context:
    return Context("training_states.summary", profile.person_id, profile.person_id)


def _row(
    db: DbSession, app: App, profile: Profile, *, for_update: bool = False
) -> TrainingStateRow | None:
    query = select(TrainingStateRow).where(TrainingStateRow.person_id == profile.person_id)
    if for_update:
        query = query.with_for_update()
    row = db.scalars(query).first()
    if row is None or row.summary is None or row.policy_key != policy_key(app, profile):
        return None
    return row


def stored_state(
    db: DbSession, app: App, profile: Profile, *, for_update: bool = False
) -> TrainingState | None:
    """Return the stored folded state, or None if missing or made under other thresholds."""
    row = _row(db, app, profile, for_update=for_update)
    if row is None:
        return None
    return training_from_payload(app.codec.decode(row.payload, _context(profile)))


def _summary_of(row: TrainingStateRow, app: App, profile: Profile) -> Summary:
    from easein.domain.stats import Summary

    assert row.summary is not None
    return Summary.from_payload(app.codec.decode(row.summary, _summary_context(profile)))


def current_state(app: App, profile: Profile) -> TrainingState:
    """Return the folded state; rebuild and store it first if it is missing or stale."""
    with app.db.reading() as db:
        state = stored_state(db, app, profile)
    if state is not None:
        return state
    with app.db.writing() as db:
        return rebuild_state(db, app, profile)[0]


def current_summary(app: App, profile: Profile) -> Summary:
    """Return the statistics summary; rebuild it first if it is missing or stale."""
    with app.db.reading() as db:
        row = _row(db, app, profile)
        if row is not None:
            return _summary_of(row, app, profile)
    with app.db.writing() as db:
        return rebuild_state(db, app, profile)[1]


def save_state(
    db: DbSession, app: App, profile: Profile, state: TrainingState, summary: Summary
) -> None:
    row = db.get(TrainingStateRow, profile.person_id)
    payload = app.codec.encode(training_payload(state), _context(profile))
    totals = app.codec.encode(summary.to_payload(), _summary_context(profile))
    if row is None:
        row = TrainingStateRow(person_id=profile.person_id)
        db.add(row)
    row.updated_at = app.now()
    row.policy_key = policy_key(app, profile)
    row.payload = payload
    row.summary = totals
    db.flush()


def clearance_times(db: DbSession, person_id: int) -> list[datetime]:
    return list(
        db.scalars(
            select(AcknowledgementRow.at).where(
                AcknowledgementRow.person_id == person_id,
                AcknowledgementRow.kind == MEDICAL_CLEARANCE,
            )
        )
    )


def all_sessions(db: DbSession, app: App, person_id: int) -> list[Session]:
    rows = db.scalars(
        select(SessionRow)
        .where(SessionRow.person_id == person_id)
        .order_by(SessionRow.started_at, SessionRow.id)
    )
    return [session_from_row(row, app.codec) for row in rows]


def rebuild_state(db: DbSession, app: App, profile: Profile) -> tuple[TrainingState, Summary]:
    from easein.domain.stats import Summary, point_of

    """Replay the whole log into a fresh state and summary, and store them."""
    sessions = all_sessions(db, app, profile.person_id)
    state = replay(sessions, clearance_times(db, profile.person_id), app.policy, profile.tz)
    summary = Summary.of((point_of(s) for s in sessions), profile.tz, app.policy)
    save_state(db, app, profile, state, summary)
    return state, summary


def add_session_to_state(
    db: DbSession, app: App, profile: Profile, session: Session
) -> TrainingState:
    """Fold a newly stored session in: O(1) when it is the latest, else a replay."""
    row = _row(db, app, profile, for_update=True)
    if row is None:
        return rebuild_state(db, app, profile)[0]
    state = training_from_payload(app.codec.decode(row.payload, _context(profile)))
    if state.last_session_at is not None and session.started_at < state.last_session_at:
        return rebuild_state(db, app, profile)[0]
    from easein.domain.stats import point_of

    state = apply_session(state, session, app.policy, profile.tz)
    summary = _summary_of(row, app, profile)
    summary.add(point_of(session), profile.tz, app.policy)
    save_state(db, app, profile, state, summary)
    return state
