"""The private calendar feed as iCalendar: plans, directives, and the breaks with nothing to do.

Pure apart from the icalendar library: the plans, the partner's directives, the
periods when safety kept the trainee from training, the time zone and `now` go
in; bytes come out.

- One VEVENT per plan: DTSTART on the first occurrence in the person's zone
  (TZID, with a VTIMEZONE), DURATION, the plan's own RRULE, and UNTIL once it
  has ended. Calendar apps expand the rule on the local wall clock, as EaseIn's
  schedule engine does, so 21:00 stays 21:00 across DST changes.
- A planned occurrence inside a rest, a pause or a medical hold is not to do:
  it is an EXDATE of its plan, and the break is one event of its own.
- A pause or a medical hold has no known end. Its occurrences are excluded up
  to PAUSE_HORIZON after `now`, and one "Pause" event runs to there; each fetch
  moves the horizon on, and once the pause is cleared the occurrences after it
  come back. Excluding them for ever would empty the calendar for good if the
  app stopped fetching; a fortnight is what a person looks ahead.
- One VEVENT per directive with a window, alike: DTSTART at the window's start
  on its first occurrence, DURATION the directive's, its RRULE, EXDATEs in the
  breaks (a directive is suspended while safety holds the trainee back, which is
  what the breaks are), and UNTIL just before the instant it was ended. A
  directive without a window is "any time of the day": no moment to show.
- Discretion: the time, the duration and neutral words by default; the plan's
  name and kind (a directive's kind) only with `explicit`. Notes, items, sizes
  and medical detail never.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vRecur

from easein.domain.adherence import Interval
from easein.domain.directives import Directive, DirectiveKind
from easein.domain.schedule import MAX_INTERVAL, Plan, localise, occurrences, require_aware
from easein.domain.sessions import SessionKind

PAUSE_HORIZON = timedelta(days=14)
PRODID = "-//EaseIn//Calendar feed//EN"
NAME = "EaseIn"  # what the app calls itself everywhere: neutral
REFRESH = timedelta(hours=1)

KIND_LABELS = {
    SessionKind.STRETCH: "Stretch session",
    SessionKind.WEAR: "Wear session",
    SessionKind.PARTNERED: "Partnered session",
}

DIRECTIVE_LABELS = {
    DirectiveKind.STRETCH: "a stretch session",
    DirectiveKind.WEAR: "long wear",
    DirectiveKind.ITEM: "a session with the chosen item",
    DirectiveKind.NEXT_RUNG: "a session at the next size",
}


@dataclass(frozen=True)
class Break:
    """Time with nothing to do: rests, pauses and holds that overlap, merged. Aware UTC."""

    start: datetime
    end: datetime  # for an open pause: the horizon, not a known end
    open_ended: bool
    rest: bool  # only safety rests (a pause or a hold in it makes it a pause)


def breaks(
    excused: Iterable[Interval], now: datetime, horizon: timedelta = PAUSE_HORIZON
) -> list[Break]:
    """Return the excused periods as breaks, oldest first; open ones end at `now + horizon`."""
    require_aware(now, "now")
    limit = now + horizon
    spans = sorted(
        (
            Break(i.start, i.end if i.end is not None else limit, i.end is None, i.reason == "rest")
            for i in excused
        ),
        key=lambda b: b.start,
    )
    merged: list[Break] = []
    for span in spans:
        if span.end <= span.start:
            continue
        if merged and span.start <= merged[-1].end:
            last = merged[-1]
            merged[-1] = Break(
                last.start,
                max(last.end, span.end),
                last.open_ended or span.open_ended,
                last.rest and span.rest,
            )
        else:
            merged.append(span)
    return merged


def _wall(instant: datetime, plan: Plan, tz: ZoneInfo) -> datetime:
    """Return the occurrence at `instant` as the rule names it: its local day at the plan's time.

    In a spring-forward gap EaseIn moves 02:30 to 03:30; the recurrence instance
    (and so its EXDATE) is still called 02:30, which calendar apps resolve alike.
    """
    return datetime.combine(instant.astimezone(tz).date(), plan.at, tzinfo=tz)


def first_occurrence(plan: Plan, tz: ZoneInfo) -> datetime | None:
    """Return the plan's first occurrence (UTC), or None if it ended before one."""
    start = localise(datetime.combine(plan.starts_on, time.min), tz)
    # Within the first week for nearly every plan; a WEEKLY rule skipping weeks
    # may first match INTERVAL weeks later.
    for days in (8, 7 * (MAX_INTERVAL + 1) + 1):
        found = occurrences(plan, tz, start, start + timedelta(days=days))
        if found:
            return found[0]
    return None


def _until(plan: Plan, tz: ZoneInfo) -> datetime | None:
    """Return the last second of the plan's last local day, in UTC (RFC 5545 wants UTC)."""
    if plan.ended_on is None:
        return None
    next_day = localise(datetime.combine(plan.ended_on + timedelta(days=1), time.min), tz)
    return next_day - timedelta(seconds=1)


def routine(at: time) -> str:
    """Return the neutral title of a plan at local time `at`: "Evening routine"."""
    if 5 <= at.hour < 12:
        return "Morning routine"
    if 12 <= at.hour < 17:
        return "Afternoon routine"
    if 17 <= at.hour < 22:
        return "Evening routine"
    return "Night routine"


def _duration(value: timedelta) -> str:
    hours, minutes = divmod(int(value.total_seconds()) // 60, 60)
    if hours and minutes:
        return f"{hours} h {minutes} min"
    return f"{hours} h" if hours else f"{minutes} min"


def directive_plan(directive: Directive) -> Plan:
    """Return the directive's schedule as the engine plans it: its window's start, its duration.

    The occurrences (what reminders and the feed follow) depend on the RRULE,
    the first day and the start of the window only.
    """
    assert directive.window is not None
    kind = SessionKind.WEAR if directive.kind is DirectiveKind.WEAR else SessionKind.STRETCH
    return Plan(
        directive.id,
        "directive",
        kind,
        directive.rrule,
        directive.starts_on,
        directive.window.start,
        directive.duration,
    )


def _recurring(
    uid: str,
    plan: Plan,
    tz: ZoneInfo,
    found: Sequence[Break],
    now: datetime,
    until: datetime | None,
) -> Event | None:
    """Return the event of a recurring schedule with its breaks as EXDATEs, or None if empty."""
    first = first_occurrence(plan, tz)
    if first is None or (until is not None and first > until):
        return None
    event = Event()
    event.add("uid", uid)  # stable: calendar apps update, not duplicate
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", _wall(first, plan, tz))
    event.add("duration", plan.duration)
    rule = vRecur.from_ical(plan.rrule)
    if until is not None:
        rule["UNTIL"] = until
    event.add("rrule", rule)
    excluded = sorted(
        {_wall(at, plan, tz) for b in found for at in occurrences(plan, tz, b.start, b.end)}
    )
    if excluded:
        event.add("exdate", excluded)
    event.add("class", "PRIVATE")
    return event


def _plan_event(
    plan: Plan, tz: ZoneInfo, found: Sequence[Break], now: datetime, explicit: bool
) -> Event | None:
    event = _recurring(f"plan-{plan.id}@easein", plan, tz, found, now, _until(plan, tz))
    if event is None:
        return None
    if explicit:
        label = KIND_LABELS[plan.kind]
        event.add("summary", f"{label}: {plan.name}")
        event.add("description", f"{label}, {_duration(plan.duration)}.")
    else:
        event.add("summary", routine(plan.at))
    return event


def _ended(directive: Directive) -> datetime | None:
    """Return the last whole second (UTC) before the directive was ended: UNTIL is inclusive,
    and an occurrence at the very instant it ended is no longer asked for."""
    if directive.ended_at is None:
        return None
    last = directive.ended_at.astimezone(UTC) - timedelta(microseconds=1)
    return last.replace(microsecond=0)


def _directive_event(
    directive: Directive, tz: ZoneInfo, found: Sequence[Break], now: datetime, explicit: bool
) -> Event | None:
    if directive.window is None:
        return None
    plan = directive_plan(directive)
    uid = f"directive-{directive.id}@easein"
    event = _recurring(uid, plan, tz, found, now, _ended(directive))
    if event is None:
        return None
    if explicit:
        label = DIRECTIVE_LABELS[directive.kind]
        event.add("summary", f"Directive: {label}")
        event.add("description", f"Directive: {label}, {_duration(directive.duration)}.")
    else:
        event.add("summary", f"{routine(directive.window.start)} (agreed)")
    return event


def _when(moment: datetime, tz: ZoneInfo) -> str:
    local = moment.astimezone(tz)
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"


def _break_event(item: Break, tz: ZoneInfo, now: datetime, explicit: bool) -> Event:
    event = Event()
    # Keyed by its start, which stays put while a break grows (a new rest inside
    # it, a pause's moving horizon): the app updates the event in place.
    event.add("uid", f"break-{item.start.astimezone(UTC):%Y%m%dT%H%M%SZ}@easein")
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", item.start.astimezone(tz))
    event.add("dtend", item.end.astimezone(tz))
    if item.rest and not item.open_ended:
        until = _when(item.end, tz)
        summary = f"Training rest until {until}" if explicit else f"Rest until {until}"
        description = (
            "A rest the safety rules set: the planned sessions in it are skipped."
            if explicit
            else "Nothing planned until then."
        )
    else:
        summary = "Training paused" if explicit else "Pause"
        description = (
            "Training is paused until you clear it in EaseIn; the planned sessions are skipped."
            if explicit
            else "Nothing planned for now."
        )
        if item.open_ended:
            description += " No end date yet: this moves on while it lasts."
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")  # a break never makes the person look busy
    event.add("class", "PRIVATE")
    return event


def build_feed(
    plans: Sequence[Plan],
    excused: Iterable[Interval],
    tz: ZoneInfo,
    now: datetime,
    *,
    explicit: bool = False,
    horizon: timedelta = PAUSE_HORIZON,
    directives: Sequence[Directive] = (),
) -> bytes:
    """Return the iCalendar feed of `plans` and `directives`, with the `excused` periods as
    breaks."""
    found = breaks(excused, now, horizon)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", NAME)
    calendar.add("x-wr-calname", NAME)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for plan in plans:
        event = _plan_event(plan, tz, found, now, explicit)
        if event is not None:
            calendar.add_component(event)
    for directive in directives:
        event = _directive_event(directive, tz, found, now, explicit)
        if event is not None:
            calendar.add_component(event)
    for item in found:
        calendar.add_component(_break_event(item, tz, now, explicit))
    # The VTIMEZONE lists each DST change from the first day in the feed to ten
    # years ahead (at least to icalendar's default of 2038).
    days = [p.starts_on for p in plans] + [d.starts_on for d in directives]
    days += [b.start.astimezone(tz).date() for b in found]
    today = now.astimezone(tz).date()
    first = min(days, default=today) - timedelta(days=1)
    last = max(date(2038, 1, 1), date(today.year + 10, 1, 1))
    calendar.add_missing_timezones(first_date=first, last_date=last)
    return bytes(calendar.to_ical())
