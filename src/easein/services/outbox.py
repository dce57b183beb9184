"""The notification outbox: claim what is due, send it, record how it went.

One pass (`run_once`) plans (`services.notify_plan`), then delivers:

- Delivering claims due rows in short write transactions (PostgreSQL: FOR UPDATE
  SKIP LOCKED, so workers never take the same row; SQLite: BEGIN IMMEDIATE
  serialises the claims), sends outside any transaction, then marks the row sent,
  or failed with a backoff (failed for good after MAX_ATTEMPTS). A push subscription
  its push service reports gone (404, 410) is not retried: its channel is removed, and
  with it everything still waiting to go there.
- A reminder is checked again just before sending: if its occurrence is over, or
  the trainee may not train now, it is skipped, never sent.
- A row left "sending" for longer than LEASE (a worker died mid-send) is claimed
  again: after such a crash a notification may arrive twice, never not at all.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, or_, select, update

from easein.notify.deliver import SubscriptionGone
from easein.notify.messages import Message, text_at
from easein.notify.reminders import TRAINING, Kind, Skip
from easein.services import training, wear_timers
from easein.services.app import App
from easein.services.notify_channels import channel_url, drop_gone, send_checked
from easein.services.notify_plan import (
    FAILED,
    PENDING,
    SENDING,
    SENT,
    SKIPPED,
    outbox_context,
    plan,
)
from easein.services.together.records import profile_of
from easein.store.notify_models import NotificationChannelRow, OutboxRow

log = logging.getLogger("easein.notify")

MAX_ATTEMPTS = 5
FIRST_BACKOFF = timedelta(minutes=1)  # doubled after each failure: 1, 2, 4, 8 minutes
LEASE = timedelta(minutes=10)
CLAIM_BATCH = 10
# Finished rows are kept this long, far beyond LOOKBACK: while a row exists its key
# cannot be planned again, so a row must outlive the window a pass looks back over.
KEEP = timedelta(days=30)


@dataclass(frozen=True)
class PassResult:
    planned: int = 0
    sent: int = 0
    failed: int = 0
    skipped: int = 0


# --- delivering ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Claimed:
    id: int
    person_id: int
    channel_id: int
    kind: Kind
    key: str
    due_at: datetime
    expires_at: datetime | None
    attempts: int
    payload: bytes


def _due(now: datetime) -> ColumnElement[bool]:
    return or_(
        and_(OutboxRow.status == PENDING, OutboxRow.next_attempt_at <= now),
        and_(OutboxRow.status == SENDING, OutboxRow.claimed_at <= now - LEASE),
    )


def claim(app: App, now: datetime, limit: int = CLAIM_BATCH) -> list[Claimed]:
    """Take up to `limit` due rows for this worker: no other worker gets them."""
    due = _due(now)
    # A read first: an idle pass takes no write lock (SQLite has one for the whole file).
    with app.db.reading() as db:
        if db.scalar(select(OutboxRow.id).where(due).limit(1)) is None:
            return []
    with app.db.writing() as db:
        rows = list(
            db.execute(
                select(
                    OutboxRow.id,
                    OutboxRow.person_id,
                    OutboxRow.channel_id,
                    OutboxRow.kind,
                    OutboxRow.key,
                    OutboxRow.due_at,
                    OutboxRow.expires_at,
                    OutboxRow.attempts,
                    OutboxRow.payload,
                )
                .where(due)
                .order_by(OutboxRow.next_attempt_at, OutboxRow.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        )
        if not rows:
            return []
        db.execute(
            update(OutboxRow)
            .where(OutboxRow.id.in_([r.id for r in rows]))
            .values(status=SENDING, claimed_at=now, attempts=OutboxRow.attempts + 1)
        )
    return [
        Claimed(
            r.id,
            r.person_id,
            r.channel_id,
            Kind(r.kind),
            r.key,
            r.due_at,
            r.expires_at,
            r.attempts + 1,
            r.payload,
        )
        for r in rows
    ]


def _finish(app: App, row_id: int, **values: Any) -> None:
    with app.db.writing() as db:
        db.execute(update(OutboxRow).where(OutboxRow.id == row_id).values(**values))


def _still_applies(app: App, item: Claimed, now: datetime) -> Skip | None:
    if item.kind is Kind.WEAR_TIMER:
        timer_id = int(item.key.removeprefix("wear:"))
        return None if wear_timers.nudge_applies(app, item.person_id, timer_id) else Skip.ENDED
    if item.kind not in TRAINING:
        return None
    if item.expires_at is not None and now >= item.expires_at:
        return Skip.PAST
    with app.db.reading() as db:
        profile = profile_of(db, item.person_id)
    if not training.status(app, profile).safety.may_train:
        return Skip.NOT_READY
    return None


def _deliver_one(app: App, item: Claimed) -> str:
    now = app.now()
    skip = _still_applies(app, item, now)
    if skip is not None:
        _finish(app, item.id, status=SKIPPED, sent_at=now)
        return SKIPPED
    data = app.codec.decode(item.payload, outbox_context(item.person_id, item.id))
    message = Message(data["title"], data["body"], data["late_body"])
    with app.db.reading() as db:
        channel = db.get(NotificationChannelRow, item.channel_id)
        url = channel_url(channel, app) if channel is not None else None
    try:
        # Late is judged from when it would have gone without quiet hours: a stop and talk
        # held back overnight still says when it was called.
        natural = datetime.fromisoformat(data.get("natural_at") or item.due_at.isoformat())
        body = text_at(message, natural, now)
        ok = url is not None and send_checked(app, url, message.title, body)
    except SubscriptionGone:
        log.info("push subscription of channel %s is gone: channel removed", item.channel_id)
        drop_gone(app, item.channel_id)  # this row goes with it (ON DELETE CASCADE)
        return FAILED
    except Exception:  # a plugin's bug is a failed attempt, not a dead worker
        log.exception("sending notification %s failed", item.id)
        ok = False
    if ok:
        _finish(app, item.id, status=SENT, sent_at=app.now())
        return SENT
    if item.attempts >= MAX_ATTEMPTS or url is None:
        _finish(app, item.id, status=FAILED)
        return FAILED
    backoff = FIRST_BACKOFF * 2 ** (item.attempts - 1)
    _finish(app, item.id, status=PENDING, next_attempt_at=now + backoff)
    return FAILED


def deliver_due(app: App) -> PassResult:
    """Send everything due now, claim by claim, until nothing is left for this worker."""
    counts: dict[str, int] = defaultdict(int)
    # A failed row waits for its backoff (a minute at least), so the loop ends.
    while batch := claim(app, app.now(), CLAIM_BATCH):
        for item in batch:
            counts[_deliver_one(app, item)] += 1
    return PassResult(0, counts[SENT], counts[FAILED], counts[SKIPPED])


def prune(app: App) -> None:
    """Delete finished rows older than KEEP."""
    cutoff = app.now() - KEEP
    old = and_(OutboxRow.status.in_((SENT, FAILED, SKIPPED)), OutboxRow.due_at < cutoff)
    with app.db.reading() as db:
        if db.scalar(select(OutboxRow.id).where(old).limit(1)) is None:
            return
    with app.db.writing() as db:
        db.execute(delete(OutboxRow).where(old))


def run_once(app: App) -> PassResult:
    """One pass: plan what is due, deliver it, and forget what finished long ago."""
    planned = plan(app)
    done = deliver_due(app)
    prune(app)
    return PassResult(planned, done.sent, done.failed, done.skipped)
