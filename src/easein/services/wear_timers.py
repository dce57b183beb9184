"""The long-wear timer on the server: start, find the running one, stop; its one nudge.

A person has at most one running timer. Starting records the start on the
server's clock and the wear time the person planned; stopping (or logging that
wear, from any device, the API or the CLI) ends it. The rule of when the nudge is
due is `notify.reminders.wear_nudges`; planning it into the outbox is
`services.notify_plan`, which calls `nudges_due` and `mark_nudged` here.

Rows are written with Core statements (no ORM flush): a timer changes nothing the
trainee's status shows, so people.revision does not move.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session as DbSession

from easein.domain.errors import Conflict, InvalidInput
from easein.domain.sessions import SessionKind
from easein.domain.toys import check_usable
from easein.notify.messages import Prefs
from easein.notify.reminders import (
    Due,
    Kind,
    LoggedWear,
    WearTimer,
    timer_running,
    wear_key,
    wear_nudges,
)
from easein.services import training
from easein.services.app import App
from easein.services.profile import Profile
from easein.services.toys import find_toy, load_toys
from easein.store.codec import Context
from easein.store.models import SessionRow
from easein.store.notify_models import OutboxRow
from easein.store.wear_models import WearTimerRow

MAX_MINUTES = 24 * 60  # as long as a logged session may be
MAX_ITEMS = 20
# The outbox row statuses (services.notify_plan), repeated to keep this module's imports
# one way: notify_plan imports this module.
_PENDING, _SKIPPED = "pending", "skipped"


@dataclass(frozen=True)
class RunningTimer:
    """A running wear timer, as the person sees it."""

    id: int
    started_at: datetime
    planned: timedelta | None  # None: no set time
    items: tuple[int, ...]
    checkin_minutes: int  # 0: no check-ins

    @property
    def up_at(self) -> datetime | None:
        return None if self.planned is None else self.started_at + self.planned


def worn_minutes(worn: timedelta) -> int:
    """Whole minutes of a wear, at least 1: what the log is filled in with."""
    return max(1, round(worn.total_seconds() / 60))


def _context(person_id: int, timer_id: int) -> Context:
    return Context("wear_timers", person_id, timer_id)


def _check_minutes(value: int | None, field: str, *, zero_ok: bool) -> None:
    if value is None or (zero_ok and value == 0):
        return
    if not 1 <= value <= MAX_MINUTES:
        raise InvalidInput(
            f"{field} must be between 1 and {MAX_MINUTES} minutes", field=field, code="out_of_range"
        )


def _running_row(db: DbSession, person_id: int, timer_id: int | None = None) -> WearTimerRow | None:
    query = select(WearTimerRow).where(
        WearTimerRow.person_id == person_id, WearTimerRow.ended_at.is_(None)
    )
    if timer_id is not None:
        query = query.where(WearTimerRow.id == timer_id)
    return db.scalars(query.order_by(WearTimerRow.started_at.desc()).limit(1)).first()


def _rule_value(row: WearTimerRow) -> WearTimer:
    planned = None if row.planned_minutes is None else timedelta(minutes=row.planned_minutes)
    return WearTimer(row.id, row.started_at, planned, row.ended_at, row.nudged_at)


def _logged_wear(db: DbSession, person_id: int, since: datetime) -> list[LoggedWear]:
    """Return the wear sessions logged from `since` on (columns only: no payload decoded)."""
    rows = db.execute(
        select(SessionRow.started_at, SessionRow.duration_s, SessionRow.recorded_at).where(
            SessionRow.person_id == person_id,
            SessionRow.kind == SessionKind.WEAR.value,
            SessionRow.recorded_at >= since,
        )
    )
    return [LoggedWear(s, s + timedelta(seconds=d), r) for s, d, r in rows]


def _end(db: DbSession, person_id: int, timer_id: int, now: datetime) -> None:
    """End the timer and skip its nudge if still waiting in the outbox (one transaction).

    A nudge a worker already took stays taken: it may still arrive, once.
    """
    db.execute(
        update(WearTimerRow)
        .where(WearTimerRow.id == timer_id, WearTimerRow.ended_at.is_(None))
        .values(ended_at=now)
    )
    db.execute(
        update(OutboxRow)
        .where(
            OutboxRow.person_id == person_id,
            OutboxRow.kind == Kind.WEAR_TIMER.value,
            OutboxRow.key == wear_key(timer_id),
            OutboxRow.status == _PENDING,
        )
        .values(status=_SKIPPED, sent_at=now)
    )


def _view(app: App, row: WearTimerRow) -> RunningTimer:
    data = app.codec.decode(row.payload, _context(row.person_id, row.id))
    planned = None if row.planned_minutes is None else timedelta(minutes=row.planned_minutes)
    return RunningTimer(
        row.id,
        row.started_at,
        planned,
        tuple(int(i) for i in data.get("items", [])),
        int(data.get("checkin", 0)),
    )


def running(app: App, person_id: int) -> RunningTimer | None:
    """Return the person's running timer, or None.

    A timer whose wear was logged meanwhile (another device, the API, the CLI) is
    ended here, so that it neither shows nor nudges.
    """
    now = app.now()
    with app.db.reading() as db:
        row = _running_row(db, person_id)
        if row is None:
            return None
        view = _view(app, row)
        logged = _logged_wear(db, person_id, row.started_at)
        still = timer_running(_rule_value(row), logged, now)
    if still:
        return view
    with app.db.writing() as db:
        _end(db, person_id, view.id, now)
    return None


def start(
    app: App,
    profile: Profile,
    *,
    items: Sequence[int],
    planned_minutes: int | None,
    checkin_minutes: int,
    refuse_running: bool = False,
) -> RunningTimer:
    """Start a timer now (the server's clock), or return the one already running (a form
    sent twice); with `refuse_running`, a running one is a Conflict instead.

    Refused while the trainee may not train (rest, pause, stop and talk, medical hold):
    long wear is training too.
    """
    person_id = profile.person_id
    _check_minutes(planned_minutes, "planned", zero_ok=False)
    _check_minutes(checkin_minutes, "checkin", zero_ok=True)
    if len(items) > MAX_ITEMS:
        raise InvalidInput(f"at most {MAX_ITEMS} items", field="item", code="out_of_range")
    with app.db.reading() as db:
        toys = load_toys(db, app, person_id)
    # Each item is the person's own and may be worn (rule toy.base_required): a timer is
    # not started for an item the log would refuse.
    worn = tuple(dict.fromkeys(check_usable(find_toy(toys, int(i))).id for i in items))
    safety = training.status(app, profile).safety
    if not safety.may_train:
        reasons = "; ".join(r.message for r in safety.reasons)
        raise Conflict(
            f"a wear timer starts only while training is allowed ({reasons or safety.state})",
            field="item",
            code="not_ready",
        )
    already = running(app, person_id)
    if already is not None and refuse_running:
        raise Conflict(
            "a wear timer is already running: stop it first", field="wear_timer", code="running"
        )
    if already is not None:
        return already
    now = app.now()
    data = {"items": list(worn), "checkin": checkin_minutes}
    with app.db.writing() as db:
        timer_id = db.execute(
            insert(WearTimerRow)
            .values(
                person_id=person_id,
                started_at=now,
                planned_minutes=planned_minutes,
                ended_at=None,
                nudged_at=None,
                payload=b"",  # sealed below: the sealing binds the row's id
            )
            .returning(WearTimerRow.id)
        ).scalar_one()
        db.execute(
            update(WearTimerRow)
            .where(WearTimerRow.id == timer_id)
            .values(payload=app.codec.encode(data, _context(person_id, timer_id)))
        )
    planned = None if planned_minutes is None else timedelta(minutes=planned_minutes)
    return RunningTimer(timer_id, now, planned, worn, checkin_minutes)


def stop(app: App, person_id: int, timer_id: int | None = None) -> RunningTimer | None:
    """End the person's running timer (that one, if `timer_id` is given); return it, or None
    if none was running. Its nudge, if still waiting, is never sent."""
    now = app.now()
    with app.db.writing() as db:
        row = _running_row(db, person_id, timer_id)
        if row is None:
            return None
        view = _view(app, row)
        _end(db, person_id, row.id, now)
    return view


# --- for the notification planner (services.notify_plan) ---------------------------------


def nudges_due(
    db: DbSession,
    person_id: int,
    *,
    tz: ZoneInfo,
    prefs: Prefs,
    since: datetime,
    now: datetime,
) -> list[Due]:
    """Return the nudges due for the person's running timers (read inside `db`)."""
    rows = list(
        db.scalars(
            select(WearTimerRow).where(
                WearTimerRow.person_id == person_id,
                WearTimerRow.ended_at.is_(None),
                WearTimerRow.nudged_at.is_(None),
                WearTimerRow.planned_minutes.is_not(None),
            )
        )
    )
    if not rows:
        return []
    logged = _logged_wear(db, person_id, min(r.started_at for r in rows))
    timers = [_rule_value(r) for r in rows]
    return wear_nudges(timers, logged, tz=tz, prefs=prefs, since=since, now=now)


def mark_nudged(db: DbSession, found: Sequence[Due], now: datetime) -> None:
    """Record that these timers' nudges are in the outbox: no later pass plans them again."""
    ids = [int(d.key.split(":", 1)[1]) for d in found if d.kind is Kind.WEAR_TIMER]
    if ids:
        db.execute(
            update(WearTimerRow)
            .where(WearTimerRow.id.in_(ids), WearTimerRow.nudged_at.is_(None))
            .values(nudged_at=now)
        )


def nudge_applies(app: App, person_id: int, timer_id: int) -> bool:
    """Whether a timer's nudge should still go out: the timer runs and its wear was not
    logged meanwhile (checked again just before sending, like every reminder)."""
    now = app.now()
    with app.db.reading() as db:
        row = _running_row(db, person_id, timer_id)
        if row is None:
            return False
        logged = _logged_wear(db, person_id, row.started_at)
        return timer_running(_rule_value(row), logged, now)
