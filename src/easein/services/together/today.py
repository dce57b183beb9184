"""The directives on the trainee's Today: those due today, with their check-ins.

A directive is on Today when one of its occurrences (`domain.schedule` on the
trainee's own clock, with the directive's daily window, exactly as compliance
counts them) is planned for the local today, or ran into today: last night's
22:00-07:00 window, open now at 02:00 or over since 07:00, can still be checked
in on from Today. A directive waiting to be acknowledged is always there: the
trainee's first word on it. Everything else waits for its day.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from easein.domain.clock import day_start

# Compliance's own plan and window of an occurrence, so that Today and compliance always
# agree on which day an occurrence belongs to and when its window ends.
from easein.domain.compliance import CheckInResult, _plan, _span
from easein.domain.directive_status import DirectiveState, DirectiveStatus
from easein.domain.directives import Directive
from easein.domain.schedule import occurrences
from easein.services.app import App
from easein.services.profile import Profile
from easein.services.together.directives import DirectiveView, list_directives
from easein.store.together_models import CheckInRow, PairingRow


@dataclass(frozen=True)
class Occurrence:
    """One occurrence on Today, as of the minute Today was worked out."""

    day: date  # the local day it is planned for: what a check-in names
    starts_at: datetime
    ends_at: datetime  # the window's end (the end of the local day without a window)
    started: bool
    over: bool
    check_in: CheckInResult | None  # the latest check-in for that day, if any


@dataclass(frozen=True)
class TodayDirective:
    """A directive on Today: its status for the trainee and its occurrences there."""

    view: DirectiveView
    occurrences: tuple[Occurrence, ...]  # oldest first: last night's, then today's

    @property
    def directive(self) -> Directive:
        return self.view.directive

    @property
    def status(self) -> DirectiveStatus:
        return self.view.status

    @property
    def message(self) -> str:
        return self.view.message

    @property
    def can_check_in(self) -> tuple[Occurrence, ...]:
        """Return the occurrences a check-in may name now: those that have started."""
        return tuple(o for o in self.occurrences if o.started)

    @property
    def report_on(self) -> Occurrence | None:
        """Return the occurrence a check-in most likely means: the latest started one
        without a check-in, else the latest started one."""
        started = self.can_check_in
        waiting = [o for o in started if o.check_in is None]
        return (waiting or list(started) or [None])[-1]


def on_today(directive: Directive, tz: ZoneInfo, now: datetime) -> tuple[Occurrence, ...]:
    """Return the directive's occurrences that belong on Today at `now` (no check-ins yet).

    Planned for the local today, or planned yesterday with a window that ended after
    today began (a night's window): both can be checked in on.
    """
    today = now.astimezone(tz).date()
    today_starts = day_start(today, tz)
    first, end = day_start(today - timedelta(days=1), tz), day_start(today + timedelta(days=1), tz)
    found = []
    for at in occurrences(_plan(directive), tz, first, end):
        span_end = _span(directive, at, tz)[1]
        day = at.astimezone(tz).date()
        if day == today or span_end > today_starts:
            found.append(Occurrence(day, at, span_end, at <= now, span_end <= now, None))
    return tuple(found)


def today(app: App, profile: Profile) -> list[TodayDirective]:
    """Return the directives due on the person's Today (as trainee, in active pairings).

    Today asks on every visit: the answer is reused within the minute while the person's
    data is unchanged (a pairing's rows, check-ins included, bump both members' revisions).
    """
    now = app.now()
    version = None
    if profile.version is not None:
        version = (*profile.version, now.replace(second=0, microsecond=0))
    return app.memo.get(
        "together_today", profile.person_id, version, lambda: _today(app, profile, now)
    )


def _today(app: App, profile: Profile, now: datetime) -> list[TodayDirective]:
    person_id, tz = profile.person_id, profile.tz
    with app.db.reading() as db:
        ids = list(
            db.scalars(
                select(PairingRow.id).where(
                    PairingRow.trainee_id == person_id,
                    PairingRow.ended_at.is_(None),
                    PairingRow.activated_at.is_not(None),
                )
            )
        )
    views = [v for pid in ids for v in list_directives(app, person_id, pid, include_ended=False)]
    due = {v.directive.id: on_today(v.directive, tz, now) for v in views}
    days = {o.day.isoformat() for found in due.values() for o in found}
    answers: dict[tuple[int, date], CheckInResult] = {}
    if days:
        with app.db.reading() as db:
            rows = db.scalars(
                select(CheckInRow)
                .where(CheckInRow.directive_id.in_(list(due)), CheckInRow.day.in_(sorted(days)))
                .order_by(CheckInRow.at, CheckInRow.id)
            )
            for row in rows:  # the latest for a day counts
                answers[(row.directive_id, date.fromisoformat(row.day))] = CheckInResult(row.result)
    found = []
    for view in views:
        mine = tuple(
            replace(o, check_in=answers.get((view.directive.id, o.day)))
            for o in due[view.directive.id]
        )
        waiting = view.status.state is DirectiveState.AWAITING_ACKNOWLEDGEMENT
        if mine or waiting:
            found.append(TodayDirective(view, mine))
    return found
