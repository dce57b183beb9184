"""Optional auto-delete: entries older than N days go, for the people who chose it.

Run by `easein purge --scheduled` (cron). Sessions that started before the cut-off,
conditions cleared before it and directive check-ins made before it are deleted,
then the training state is replayed from what is left, so the earned size history
older than N days goes too (the ladder starts again from what the kept sessions
earn: the cautious direction).

Safety first: a session that the current safety state cites (the bleeding behind a
medical hold, the spotting behind a rest) is kept however old it is, and an active
condition is never deleted, so deleting old entries never lifts a hold, a rest or a
pause.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm import Session as DbSession

from easein.domain.errors import InvalidInput
from easein.domain.units import Units
from easein.services.app import App
from easein.services.profile import Profile
from easein.store.account_models import AutoDeleteRow
from easein.store.models import ConditionRow, Person, SessionRow
from easein.store.together_models import CheckInRow, CommentRow

DAYS = (7, 3650)


@dataclass(frozen=True)
class Purged:
    """What was (or would be) deleted for one person."""

    sessions: int = 0
    conditions: int = 0
    check_ins: int = 0

    @property
    def total(self) -> int:
        return self.sessions + self.conditions + self.check_ins


def check_days(days: int | None) -> int | None:
    low, high = DAYS
    if days is not None and not low <= days <= high:
        raise InvalidInput(
            f"older_than_days: {low}-{high} days, or empty for never", field="older_than_days"
        )
    return days


def setting(app: App, person_id: int) -> int | None:
    """Return after how many days this person's entries are deleted, or None (never)."""
    with app.db.reading() as db:
        row = db.get(AutoDeleteRow, person_id)
        return None if row is None else row.older_than_days


def set_setting(app: App, person_id: int, days: int | None) -> int | None:
    """Turn auto-delete on after `days` days, or off with None."""
    check_days(days)
    with app.db.writing() as db:
        row = db.get(AutoDeleteRow, person_id)
        if days is None:
            if row is not None:
                db.delete(row)
            return None
        if row is None:
            row = AutoDeleteRow(person_id=person_id, older_than_days=days, updated_at=app.now())
            db.add(row)
        row.older_than_days, row.updated_at = days, app.now()
    return days


def _profile(db: DbSession, person_id: int) -> Profile:
    person = db.get(Person, person_id)
    assert person is not None
    return Profile(
        person.id, person.timezone, Units(person.units), person.revision, person.created_at
    )


def _cited_sessions(app: App, profile: Profile) -> set[int]:
    """Return the sessions the current safety state rests on: they must stay."""
    from easein.services.training import status

    reasons = status(app, profile).safety.reasons
    return {r.session_id for r in reasons if r.session_id is not None}


def _doomed(person_id: int, cutoff: datetime, keep: set[int]) -> tuple[Select[Any], ...]:
    """Return the ids to delete: sessions, conditions, check-ins (as three queries)."""
    sessions = select(SessionRow.id).where(
        SessionRow.person_id == person_id, SessionRow.started_at < cutoff
    )
    if keep:
        sessions = sessions.where(SessionRow.id.not_in(sorted(keep)))
    conditions = select(ConditionRow.id).where(
        ConditionRow.person_id == person_id,
        ConditionRow.cleared_at.is_not(None),
        ConditionRow.cleared_at < cutoff,
    )
    check_ins = select(CheckInRow.id).where(
        CheckInRow.person_id == person_id, CheckInRow.at < cutoff
    )
    return sessions, conditions, check_ins


def preview(app: App, profile: Profile, days: int) -> Purged:
    """Return what auto-delete after `days` days would delete now (for Settings)."""
    keep = _cited_sessions(app, profile)
    cutoff = app.now() - timedelta(days=check_days(days) or 0)
    with app.db.reading() as db:
        queries = _doomed(profile.person_id, cutoff, keep)
        return Purged(*(
            int(db.scalar(select(func.count()).select_from(q.subquery())) or 0)
            for q in queries
        ))  # fmt: skip


def purge_person(app: App, person_id: int, days: int) -> Purged:
    """Delete this person's entries older than `days` days; replay their training state."""
    from easein.services.state import rebuild_state

    with app.db.reading() as db:
        profile = _profile(db, person_id)
    keep = _cited_sessions(app, profile)
    cutoff = app.now() - timedelta(days=days)
    with app.db.writing() as db:
        sessions, conditions, check_ins = _doomed(person_id, cutoff, keep)
        session_ids = list(db.scalars(sessions))
        condition_ids = list(db.scalars(conditions))
        check_in_ids = list(db.scalars(check_ins))
        if check_in_ids:
            db.execute(delete(CheckInRow).where(CheckInRow.id.in_(check_in_ids)))
        if session_ids:
            db.execute(
                delete(CommentRow).where(
                    CommentRow.target == "session", CommentRow.target_id.in_(session_ids)
                )
            )
            db.execute(delete(SessionRow).where(SessionRow.id.in_(session_ids)))
        if condition_ids:
            db.execute(delete(ConditionRow).where(ConditionRow.id.in_(condition_ids)))
        done = Purged(len(session_ids), len(condition_ids), len(check_in_ids))
        if done.total:
            rebuild_state(db, app, profile)  # also bumps the person's revision (caches)
    return done


def purge_due(app: App) -> dict[int, Purged]:
    """Run auto-delete for everyone who turned it on; return what went, by person."""
    with app.db.reading() as db:
        chosen = list(db.execute(select(AutoDeleteRow.person_id, AutoDeleteRow.older_than_days)))
    return {person_id: purge_person(app, person_id, days) for person_id, days in chosen}
