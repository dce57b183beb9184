"""The private calendar feed: create, regenerate, revoke, and build it for its URL's token.

A feed is a sign-in row of kind "calendar" (auth_sessions: only the token's
SHA-256 is stored), at most one per account. Its `name` keeps the wording the
person chose ("calendar:neutral" or "calendar:explicit"). Its token opens the
feed and nothing else: `accounts.authenticate` is only ever asked for the
kinds "browser" and "token", and this module only ever for "calendar".

The feed holds the person's plans and, while they are the trainee of an active
pairing, its directives (current revision; ended ones up to their end). A stop
and talk pauses training like a pause does, as for reminders.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session as DbSession

from easein.domain.errors import InvalidInput, NotFound
from easein.domain.excused import excused_intervals
from easein.domain.stats import Summary
from easein.domain.stop_and_talk import stop_intervals
from easein.domain.units import Units
from easein.notify.ical import build_feed
from easein.services.accounts import token_hash
from easein.services.app import App
from easein.services.plans import load_plans
from easein.services.profile import Profile
from easein.services.state import clearance_times, current_summary, policy_key
from easein.services.together.records import (
    active_pairings,
    all_stops_of_trainee,
    current_directives,
)
from easein.services.training import load_conditions
from easein.store.account_models import AccountRow, AuthSessionRow
from easein.store.codec import Context
from easein.store.models import Person, TrainingStateRow

CALENDAR = "calendar"
NEUTRAL = "calendar:neutral"
EXPLICIT = "calendar:explicit"
TOUCH_EVERY = timedelta(hours=1)  # how stale "last fetched" may get: not a write per fetch
MAX_TOKEN = 100  # longer than any token made here: refused before the database is asked


class NoAccount(InvalidInput):
    code = "no_account"


@dataclass(frozen=True)
class FeedStatus:
    """Whether the account has a feed, its wording, and when an app last fetched it."""

    exists: bool
    explicit: bool | None = None
    created_at: datetime | None = None
    last_fetched_at: datetime | None = None


def feed_path(token: str) -> str:
    """Return the feed's path on the server (outside /api/v1: no sign-in, the token is it)."""
    return f"/calendar/{token}.ics"


def account_of(app: App, profile: Profile) -> int:
    """Return the account of the person (the CLI's local profile), or say there is none."""
    with app.db.reading() as db:
        found = db.scalar(select(AccountRow.id).where(AccountRow.person_id == profile.person_id))
    if found is None:
        raise NoAccount(
            "this profile has no account, and a calendar feed needs one: sign up in the web "
            "app first (easein serve), then create the feed under Settings",
            field="account",
        )
    return found


def _row(db: DbSession, account_id: int) -> AuthSessionRow | None:
    query = select(AuthSessionRow).where(
        AuthSessionRow.account_id == account_id, AuthSessionRow.kind == CALENDAR
    )
    return db.scalars(query.order_by(AuthSessionRow.id)).first()


def _status(row: AuthSessionRow | None) -> FeedStatus:
    if row is None:
        return FeedStatus(False)
    fetched = row.last_seen_at if row.last_seen_at > row.created_at else None
    return FeedStatus(True, row.name == EXPLICIT, row.created_at, fetched)


def create_feed(app: App, account_id: int, *, explicit: bool = False) -> tuple[str, FeedStatus]:
    """Return a new feed token (shown once) and its status; an earlier feed stops working.

    The old row goes and the new one comes in one transaction. The account row
    is locked first (PostgreSQL; SQLite's writes are serial anyway), so two
    regenerations at once still leave exactly one feed.
    """
    token = secrets.token_urlsafe(32)  # 256 bits
    now = app.now()
    with app.db.writing() as db:
        locked = db.scalar(
            select(AccountRow.id).where(AccountRow.id == account_id).with_for_update()
        )
        if locked is None:
            raise NotFound("no such account", field="account")
        db.execute(
            delete(AuthSessionRow).where(
                AuthSessionRow.account_id == account_id, AuthSessionRow.kind == CALENDAR
            )
        )
        row = AuthSessionRow(
            account_id=account_id,
            kind=CALENDAR,
            name=EXPLICIT if explicit else NEUTRAL,
            token_hash=token_hash(token),
            created_at=now,
            last_seen_at=now,
            expires_at=None,  # until revoked or regenerated
        )
        db.add(row)
        db.flush()
        return token, _status(row)


def feed_status(app: App, account_id: int) -> FeedStatus:
    """Return whether the account has a feed and its wording (never the token)."""
    with app.db.reading() as db:
        return _status(_row(db, account_id))


def revoke_feed(app: App, account_id: int) -> None:
    """Delete the account's feed: its URL answers 404 from now on."""
    with app.db.writing() as db:
        done = db.execute(
            delete(AuthSessionRow).where(
                AuthSessionRow.account_id == account_id, AuthSessionRow.kind == CALENDAR
            )
        )
        if not getattr(done, "rowcount", 0):
            raise NotFound("there is no calendar feed to revoke", field="calendar")


def _stored_summary(db: DbSession, app: App, profile: Profile) -> Summary | None:
    """Return the statistics summary as stored, or None if missing or made under other rules."""
    row = db.get(TrainingStateRow, profile.person_id)
    if row is None or row.summary is None or row.policy_key != policy_key(app, profile):
        return None
    return Summary.from_payload(
        app.codec.decode(
            row.summary,
            Context("training_states.summary", profile.person_id, profile.person_id),
        )
    )


_FEED = (
    select(AuthSessionRow.id, AuthSessionRow.name, AuthSessionRow.last_seen_at, Person)
    .join(AccountRow, AccountRow.id == AuthSessionRow.account_id)
    .join(Person, Person.id == AccountRow.person_id)
)


def _unknown() -> NotFound:
    # The same answer for a token never made, revoked, or replaced.
    return NotFound("no such calendar", field="token")


def feed_for_token(app: App, token: str) -> bytes:
    """Return the iCalendar feed a token opens, or NotFound; one read transaction.

    Only when the stored summary is missing or stale (new thresholds, a new time
    zone) is it rebuilt first, as statistics do.
    """
    if not token or len(token) > MAX_TOKEN:
        raise _unknown()
    digest = token_hash(token)
    with app.db.reading() as db:
        found = db.execute(
            _FEED.where(AuthSessionRow.token_hash == digest, AuthSessionRow.kind == CALENDAR)
        ).first()
        if found is None:
            raise _unknown()
        feed_id, wording, last_seen, person = found
        profile = Profile(
            person.id, person.timezone, Units(person.units), person.revision, person.created_at
        )
        plans = load_plans(db, app, profile.person_id)
        conditions = load_conditions(db, app, profile.person_id)
        clearances = clearance_times(db, profile.person_id)
        summary = _stored_summary(db, app, profile)
        as_trainee = [
            p.id for p in active_pairings(db, app, person.id) if p.trainee_id == person.id
        ]
        directives = current_directives(db, app, as_trainee, person.id, include_ended=True)
        stops = all_stops_of_trainee(db, person.id)
    if summary is None:
        summary = current_summary(app, profile)
    now = app.now()
    if now - last_seen > TOUCH_EVERY:
        with app.db.writing() as db:
            row = db.get(AuthSessionRow, feed_id)
            if row is not None:
                row.last_seen_at = now
    excused = excused_intervals(summary, clearances, conditions) + stop_intervals(stops)
    return build_feed(
        plans, excused, profile.tz, now, explicit=wording == EXPLICIT, directives=directives
    )
