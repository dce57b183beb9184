"""What to notify, and when: pure rules over plans, directives, rests and partner events.

Nothing here reads the clock or the database: the service passes `now`, the
person's time zone, their preferences and what it read; this returns the
notifications that are due by `now`, each with a stable key so that a store
can plan it exactly once.

- A reminder comes `lead` before a planned session, or before the window of a
  partner's directive (a directive without a window is "any time of the day":
  it has no moment to remind of, so it gets none).
- Safety first: a reminder to train is never due while the trainee may not
  train (rest, pause, stop and talk, medical hold). An occurrence inside an
  excused period is skipped for good; one that is merely not allowed *now* is
  left for a later pass (the state may lift before the occurrence).
- "You can train again" when a rest ends and nothing else holds training back.
- To the other member of a pairing: a stop and talk, and (to the partner) each
  check-in, in words that carry no medical detail at any sharing level.
- Quiet hours (local, may cross midnight): a reminder that falls in them is
  dropped (after the quiet hours its moment has passed); any other notification
  waits for the end of the quiet hours.
- A notification sent more than LATE_AFTER after it was due says the time it
  was meant for ("planned for 21:00"); a reminder whose occurrence is over
  (`expires_at`) no longer applies and is not sent.
- A long-wear timer that passes its planned time gets one nudge, if it is still
  running (not stopped, and that wear not logged): see `wear_nudges`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from easein.domain.adherence import Interval
from easein.domain.directives import Directive
from easein.domain.schedule import Plan, localise, occurrences, require_aware
from easein.notify.ical import directive_plan
from easein.notify.messages import (
    CheckInEvent,
    Message,
    Prefs,
    StopEvent,
    check_in_message,
    directive_message,
    plan_message,
    rest_over_message,
    stop_message,
    wear_timer_message,
)

LOOKBACK = timedelta(days=1)  # how far back a pass looks for what it missed while down


class Kind(StrEnum):
    PLAN = "plan"  # before a planned session
    DIRECTIVE = "directive"  # before a directive's window
    REST_OVER = "rest_over"  # a rest ended: you can train again
    STOP_AND_TALK = "stop_and_talk"  # to the other member of the pairing
    CHECK_IN = "check_in"  # to the partner
    WEAR_TIMER = "wear_timer"  # a running wear timer passed its planned time


# Reminders to train: never sent while the trainee may not train; dropped in quiet hours.
TRAINING = frozenset({Kind.PLAN, Kind.DIRECTIVE})


class Skip(StrEnum):
    EXCUSED = "excused"  # inside a rest, a pause or a medical hold
    QUIET_HOURS = "quiet_hours"
    PAST = "past"  # the occurrence is over: a reminder no longer applies
    NOT_READY = "not_ready"  # the trainee may not train at sending time
    ENDED = "ended"  # the wear timer was stopped before its nudge went out


@dataclass(frozen=True)
class Due:
    """One notification for one person, due by `now` (or skipped, with why)."""

    kind: Kind
    key: str  # unique per person and kind: what it is about
    planned_for: datetime  # the instant the text is about (the occurrence, the event)
    natural_at: datetime  # when it would be sent without quiet hours
    due_at: datetime  # when to send it
    expires_at: datetime | None  # after this it no longer applies
    message: Message
    skip: Skip | None = None


def in_quiet_hours(moment: datetime, tz: ZoneInfo, prefs: Prefs) -> bool:
    """Return whether `moment` falls in the person's quiet hours (local wall clock)."""
    if not prefs.has_quiet_hours:
        return False
    assert prefs.quiet_start is not None
    assert prefs.quiet_end is not None
    local = moment.astimezone(tz).time().replace(tzinfo=None)
    start, end = prefs.quiet_start, prefs.quiet_end
    if start < end:
        return start <= local < end
    return local >= start or local < end  # across midnight: 22:00-07:00


def quiet_hours_end(moment: datetime, tz: ZoneInfo, prefs: Prefs) -> datetime:
    """Return the first end of quiet hours after `moment` (aware UTC)."""
    assert prefs.quiet_end is not None
    day: date = moment.astimezone(tz).date()
    for offset in range(3):
        # On the local wall clock, so 07:00 stays 07:00 across DST changes.
        candidate = localise(datetime.combine(day + timedelta(days=offset), prefs.quiet_end), tz)
        if candidate > moment:
            return candidate
    raise AssertionError("a quiet-hours end is always within two days")  # pragma: no cover


def _stamp(moment: datetime) -> str:
    return f"{moment:%Y%m%dT%H%M%SZ}"


def _placed(
    kind: Kind,
    key: str,
    planned_for: datetime,
    natural: datetime,
    expires: datetime | None,
    message: Message,
    tz: ZoneInfo,
    prefs: Prefs,
    now: datetime,
) -> Due | None:
    """Return the notification placed around quiet hours, or None if not due by `now` yet."""
    due_at, skip = natural, None
    if in_quiet_hours(natural, tz, prefs):
        if kind in TRAINING:
            skip = Skip.QUIET_HOURS
        else:
            due_at = quiet_hours_end(natural, tz, prefs)
    if skip is None and expires is not None and now >= expires:
        skip = Skip.PAST
    if skip is None and due_at > now:
        return None
    return Due(kind, key, planned_for, natural, due_at, expires, message, skip)


def _excused(at: datetime, excused: Sequence[Interval]) -> bool:
    return any(i.covers(at) for i in excused)


def reminders(
    plans: Sequence[Plan],
    directives: Sequence[Directive],
    excused: Sequence[Interval],
    *,
    may_train: bool,
    tz: ZoneInfo,
    prefs: Prefs,
    since: datetime,
    now: datetime,
) -> list[Due]:
    """Return the reminders due from `since` to `now`, for the plans and directives' windows."""
    require_aware(now, "now")
    require_aware(since, "since")
    found: list[Due] = []
    start, end = since + prefs.lead, now + prefs.lead + timedelta(seconds=1)
    slots: list[tuple[Kind, str, datetime, datetime, Message]] = []
    for plan in plans:
        for at in occurrences(plan, tz, start, end):
            slots.append(
                (
                    Kind.PLAN,
                    f"plan:{plan.id}:{_stamp(at)}",
                    at,
                    at + plan.duration,
                    plan_message(plan, at, tz, prefs),
                )
            )
    for directive in directives:
        if directive.window is None:
            continue
        for at in occurrences(directive_plan(directive), tz, start, end):
            if directive.ended_at is not None and at >= directive.ended_at:
                continue
            slots.append(
                (
                    Kind.DIRECTIVE,
                    f"directive:{directive.id}:{_stamp(at)}",
                    at,
                    at + directive.window.length,
                    directive_message(directive, at, tz, prefs),
                )
            )
    for kind, key, at, expires, message in slots:
        natural = at - prefs.lead
        if _excused(at, excused):
            found.append(Due(kind, key, at, natural, natural, expires, message, Skip.EXCUSED))
            continue
        placed = _placed(kind, key, at, natural, expires, message, tz, prefs, now)
        if placed is None:
            continue
        if placed.skip is None and not may_train:
            continue  # not now; a later pass sends it late, or finds it past
        found.append(placed)
    return found


def rest_over(
    rest_ends: Iterable[datetime],
    excused: Sequence[Interval],
    *,
    may_train: bool,
    tz: ZoneInfo,
    prefs: Prefs,
    since: datetime,
    now: datetime,
) -> list[Due]:
    """Return "you can train again" for rests that ended in [`since`, `now`], if training may
    resume (not inside another rest, a pause or a hold)."""
    if not may_train:
        return []
    found = []
    for end in sorted(set(rest_ends)):
        if not since <= end <= now or _excused(end, excused):
            continue
        placed = _placed(
            Kind.REST_OVER,
            f"rest:{_stamp(end)}",
            end,
            end,
            None,
            rest_over_message(end, tz, prefs),
            tz,
            prefs,
            now,
        )
        if placed is not None:
            found.append(placed)
    return found


def partner_events(
    stops: Iterable[StopEvent],
    check_ins: Iterable[CheckInEvent],
    *,
    tz: ZoneInfo,
    prefs: Prefs,
    since: datetime,
    now: datetime,
) -> list[Due]:
    """Return the stop-and-talk and check-in notifications for one member, from [`since`,
    `now`]; quiet hours delay them."""
    found: list[Due] = []
    events: list[tuple[Kind, str, datetime, Message]] = [
        (Kind.STOP_AND_TALK, f"stop:{s.id}", s.called_at, stop_message(s, tz, prefs)) for s in stops
    ] + [
        (Kind.CHECK_IN, f"check_in:{c.id}", c.at, check_in_message(c, tz, prefs)) for c in check_ins
    ]
    for kind, key, at, message in events:
        if not since <= at <= now:
            continue
        placed = _placed(kind, key, at, at, None, message, tz, prefs, now)
        if placed is not None:
            found.append(placed)
    return found


# --- the long-wear timer ------------------------------------------------------------------

# The log form keeps minutes, not seconds: a wear logged from the timer may start or end up
# to this much before the timer's own start and still be that wear.
LOG_SLACK = timedelta(minutes=2)


@dataclass(frozen=True)
class WearTimer:
    """A long-wear timer as the rules see it (aware UTC)."""

    id: int
    started_at: datetime
    planned: timedelta | None  # the wear time chosen; None: no set time, so no nudge
    ended_at: datetime | None = None
    nudged_at: datetime | None = None  # when its nudge was planned

    @property
    def up_at(self) -> datetime | None:
        """Return when the planned time is up, or None without a planned time."""
        return None if self.planned is None else self.started_at + self.planned


@dataclass(frozen=True)
class LoggedWear:
    """A wear session in the log: its start and end, and when it was logged."""

    started_at: datetime
    ended_at: datetime
    recorded_at: datetime


def wear_was_logged(timer: WearTimer, logged: Iterable[LoggedWear]) -> bool:
    """Return whether the wear this timer measures is in the log (from any device, the API
    or the CLI): a wear session logged after the timer started, reaching into its time."""
    return any(
        w.recorded_at >= timer.started_at and w.ended_at >= timer.started_at - LOG_SLACK
        for w in logged
    )


def timer_running(timer: WearTimer, logged: Iterable[LoggedWear], now: datetime) -> bool:
    """Return whether `timer` still runs at `now`: not stopped, and its wear not logged."""
    if timer.ended_at is not None and timer.ended_at <= now:
        return False
    return not wear_was_logged(timer, logged)


def wear_nudges(
    timers: Iterable[WearTimer],
    logged: Sequence[LoggedWear],
    *,
    tz: ZoneInfo,
    prefs: Prefs,
    since: datetime,
    now: datetime,
) -> list[Due]:
    """Return the "your timer is up" nudge of each running timer whose planned time was up
    in [`since`, `now`] and that was not nudged yet.

    Quiet hours do not hold this one back, and neither does the safety state. The
    person set the timer themselves, as an alarm for the end of a wear they chose;
    wearing on past it unawares (asleep, absorbed) is exactly what the guide warns
    about: long wear grows slowly, overnight only once hours awake are comfortable.
    Dropped in quiet hours it would never come, and held until they end it would
    come after the wear it was meant to end. A person in a rest, a pause or a hold
    who still wears is the one who most needs to hear it, and the words ask nothing
    of training. Whoever wants a silent night picks "no set time" for overnight wear.
    """
    require_aware(now, "now")
    require_aware(since, "since")
    found = []
    for timer in timers:
        up = timer.up_at
        if up is None or timer.planned is None or timer.nudged_at is not None:
            continue
        if not since <= up <= now or not timer_running(timer, logged, now):
            continue
        message = wear_timer_message(up, timer.planned, tz, prefs)
        found.append(Due(Kind.WEAR_TIMER, wear_key(timer.id), up, up, up, None, message))
    return found


def wear_key(timer_id: int) -> str:
    """Return the outbox key of a timer's nudge: one per timer, however many passes."""
    return f"wear:{timer_id}"
