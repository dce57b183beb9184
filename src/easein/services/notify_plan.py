"""Planning notifications: what is due for each person with a channel, into the outbox once.

A pass asks `notify.reminders` what is due for each person with a channel and
inserts one row per (person, channel, kind, key) with ON CONFLICT DO NOTHING:
however many workers plan at once, a notification is planned once. Only what is
due by now is planned, so a change of plan or of safety state before then is
simply seen by a later pass. Delivering is `services.outbox`.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session as DbSession

from easein.domain.excused import excused_intervals
from easein.domain.stop_and_talk import stop_intervals
from easein.notify.messages import CheckInEvent, StopEvent
from easein.notify.reminders import LOOKBACK, Due, partner_events, reminders, rest_over
from easein.services import training, wear_timers
from easein.services.app import App
from easein.services.notify_channels import load_prefs
from easein.services.plans import load_plans
from easein.services.profile import Profile
from easein.services.state import clearance_times, current_summary
from easein.services.together.records import (
    active_pairings,
    current_directives,
    directive_of,
    profile_of,
    revisions_of,
    stop_from_row,
)
from easein.store.codec import Context
from easein.store.models import StopAndTalkRow
from easein.store.notify_models import NotificationChannelRow, OutboxRow
from easein.store.together_models import CheckInRow, DirectiveRow

log = logging.getLogger("easein.notify")

# An outbox row's status: planned, claimed by a worker, and how it ended.
PENDING, SENDING, SENT, FAILED, SKIPPED = "pending", "sending", "sent", "failed", "skipped"


def outbox_context(person_id: int, row_id: int) -> Context:
    return Context("notification_outbox", person_id, row_id)


def due_for(app: App, person_id: int, since: datetime, now: datetime) -> list[Due]:
    """Return what is due for one person from `since` to `now` (skipped ones included)."""
    with app.db.reading() as db:
        profile: Profile = profile_of(db, person_id)
        prefs = load_prefs(db, person_id)
        plans = load_plans(db, app, person_id)
        conditions = training.load_conditions(db, app, person_id)
        clearances = clearance_times(db, person_id)
        pairings = active_pairings(db, app, person_id)
        as_trainee = [p.id for p in pairings if p.trainee_id == person_id]
        as_partner = [p.id for p in pairings if p.partner_id == person_id]
        directives = current_directives(db, app, as_trainee, person_id)
        stop_rows = list(
            db.scalars(
                select(StopAndTalkRow).where(
                    StopAndTalkRow.pairing_id.in_([p.id for p in pairings]),
                    StopAndTalkRow.called_at >= since,
                )
            )
        )
        checks = list(
            db.execute(
                select(CheckInRow, DirectiveRow)
                .join(DirectiveRow, DirectiveRow.id == CheckInRow.directive_id)
                .where(DirectiveRow.pairing_id.in_(as_partner), CheckInRow.at >= since)
            )
        )
        check_kinds = revisions_of(db, sorted({d.id for _, d in checks}))
        check_events = [
            CheckInEvent(
                c.id, c.at, c.result, directive_of(d, check_kinds[d.id][-1], app, d.person_id).kind
            )
            for c, d in checks
        ]
        wear = wear_timers.nudges_due(
            db, person_id, tz=profile.tz, prefs=prefs, since=since, now=now
        )
        own_stops = list(
            db.scalars(
                select(StopAndTalkRow).where(
                    StopAndTalkRow.person_id == person_id,
                    or_(StopAndTalkRow.resumed_at.is_(None), StopAndTalkRow.resumed_at >= since),
                )
            )
        )
    summary = current_summary(app, profile)  # may rebuild (a write): outside the read
    may_train = training.status(app, profile).safety.may_train
    excused = excused_intervals(summary, clearances, conditions)
    excused += stop_intervals(stop_from_row(r) for r in own_stops)
    tz = profile.tz
    found = reminders(
        plans, directives, excused, may_train=may_train, tz=tz, prefs=prefs, since=since, now=now
    )
    found += rest_over(
        [end for _, end in summary.rests],
        excused,
        may_train=may_train,
        tz=tz,
        prefs=prefs,
        since=since,
        now=now,
    )
    stops = [StopEvent(r.id, r.called_at) for r in stop_rows if r.called_by != person_id]
    found += partner_events(stops, check_events, tz=tz, prefs=prefs, since=since, now=now)
    return found + wear


def _insert(db: DbSession, app: App, rows: list[dict[str, Any]]) -> int:
    """Insert outbox rows, leaving out any already planned (the unique key); return how many.

    Each message is sealed once its row has an id (the id is part of what it is bound to).
    """
    if not rows:
        return 0
    if db.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        statement: Any = pg_insert(OutboxRow).on_conflict_do_nothing()
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        statement = sqlite_insert(OutboxRow).on_conflict_do_nothing()
    done = 0
    for row in rows:  # one at a time: RETURNING tells what was new (rowcount may be -1)
        columns = {k: v for k, v in row.items() if k != "message"}
        new = db.execute(statement.values(**columns, payload=b"").returning(OutboxRow.id)).all()
        for (row_id,) in new:
            sealed = app.codec.encode(row["message"], outbox_context(row["person_id"], row_id))
            db.execute(update(OutboxRow).where(OutboxRow.id == row_id).values(payload=sealed))
        done += len(new)
    return done


def _row_of(app: App, due: Due, person_id: int, channel_id: int, now: datetime) -> dict[str, Any]:
    message = {
        "title": due.message.title,
        "body": due.message.body,
        "late_body": due.message.late_body,
        "natural_at": due.natural_at.isoformat(),
    }
    if due.skip is not None:
        message["skip"] = due.skip.value
    return {
        "person_id": person_id,
        "channel_id": channel_id,
        "kind": due.kind.value,
        "key": due.key,
        "planned_for": due.planned_for,
        "due_at": due.due_at,
        "expires_at": due.expires_at,
        "status": SKIPPED if due.skip is not None else PENDING,
        "attempts": 0,
        "next_attempt_at": due.due_at,
        "claimed_at": None,
        "sent_at": now if due.skip is not None else None,
        "message": message,  # sealed by _insert, once the row has its id
    }


def plan(app: App) -> int:
    """Plan what is due now for every person with a channel; return how many rows are new."""
    now = app.now()
    with app.db.reading() as db:
        channels = list(
            db.execute(
                select(
                    NotificationChannelRow.id,
                    NotificationChannelRow.person_id,
                    NotificationChannelRow.created_at,
                )
            )
        )
    by_person: dict[int, list[tuple[int, datetime]]] = defaultdict(list)
    for channel_id, person_id, created_at in channels:
        by_person[person_id].append((channel_id, created_at))
    planned = 0
    for person_id, mine in sorted(by_person.items()):
        # Nothing from before the first channel: a new channel does not replay the past.
        since = max(now - LOOKBACK, min(created for _, created in mine))
        try:
            found = due_for(app, person_id, since, now)
        except Exception:  # one person's bad data never stops everyone's reminders
            log.exception("planning notifications for person %s failed", person_id)
            continue
        rows = [
            _row_of(app, due, person_id, channel_id, now)
            for due in found
            for channel_id, created in mine
            if due.natural_at >= created
        ]
        if rows:
            with app.db.writing() as db:
                planned += _insert(db, app, rows)
                placed = [d for d in found if any(d.natural_at >= c for _, c in mine)]
                wear_timers.mark_nudged(db, placed, now)
    return planned
