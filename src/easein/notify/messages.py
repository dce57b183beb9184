"""The words of every notification: neutral by default, explicit only on opt-in.

Pure: values in, text out. No text ever carries a note, a size or a medical
detail; the partner reads what every sharing level allows (a stop and talk, a
check-in's result), nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from easein.domain.directives import Directive, DirectiveKind
from easein.domain.schedule import Plan
from easein.notify.ical import DIRECTIVE_LABELS, KIND_LABELS, routine

LATE_AFTER = timedelta(minutes=5)  # sent later than this after due: say the original time
DEFAULT_LEAD = timedelta(minutes=15)
MAX_LEAD_MINUTES = 24 * 60


@dataclass(frozen=True)
class Prefs:
    """A person's choices: how long before, quiet hours (local, naive times), wording."""

    lead: timedelta = DEFAULT_LEAD
    quiet_start: time | None = None
    quiet_end: time | None = None
    explicit: bool = False

    @property
    def has_quiet_hours(self) -> bool:
        return (
            self.quiet_start is not None
            and self.quiet_end is not None
            and self.quiet_start != self.quiet_end
        )


@dataclass(frozen=True)
class Message:
    title: str
    body: str  # sent on time
    late_body: str  # sent late: names the time it was meant for


@dataclass(frozen=True)
class StopEvent:
    """A stop and talk, as told to the member who did not call it."""

    id: int
    called_at: datetime


@dataclass(frozen=True)
class CheckInEvent:
    """A check-in (its row id), as told to the partner: the result only, never the note."""

    id: int
    at: datetime
    result: str  # done | partly | skipped
    directive_kind: DirectiveKind


def _clock(moment: datetime, tz: ZoneInfo) -> str:
    return f"{moment.astimezone(tz):%H:%M}"


def _minutes(lead: timedelta) -> str:
    minutes = int(lead.total_seconds()) // 60
    if minutes % 60 == 0 and minutes >= 60:
        hours = minutes // 60
        return f"{hours} hour" if hours == 1 else f"{hours} hours"
    return f"{minutes} minutes" if minutes != 1 else "1 minute"


def plan_message(plan: Plan, at: datetime, tz: ZoneInfo, prefs: Prefs) -> Message:
    clock = _clock(at, tz)
    name = f"{KIND_LABELS[plan.kind]}: {plan.name}" if prefs.explicit else routine(plan.at)
    return Message(
        name,
        f"{name} in {_minutes(prefs.lead)} ({clock})",
        f"{name}, planned for {clock}",
    )


def directive_message(directive: Directive, at: datetime, tz: ZoneInfo, prefs: Prefs) -> Message:
    assert directive.window is not None
    clock = _clock(at, tz)
    if prefs.explicit:
        title = "Directive"
        what = f"Directive: {DIRECTIVE_LABELS[directive.kind]}, from {clock}"
    else:
        title = routine(directive.window.start)
        what = f"{title} from {clock}"
    return Message(title, f"{what} (in {_minutes(prefs.lead)})", f"{what}: planned for {clock}")


def rest_over_message(end: datetime, tz: ZoneInfo, prefs: Prefs) -> Message:
    text = (
        "Your training rest is over: you can train again"
        if prefs.explicit
        else "You can train again"
    )
    return Message("EaseIn", text, f"{text} (since {_clock(end, tz)})")


def stop_message(stop: StopEvent, tz: ZoneInfo, prefs: Prefs) -> Message:
    text = (
        "Stop and talk: your partner paused training and every directive. Talk first."
        if prefs.explicit
        else "Your partner asked to stop and talk."
    )
    return Message("EaseIn", text, f"{text} (at {_clock(stop.called_at, tz)})")


CHECK_IN_WORDS = {"done": "done", "partly": "partly done", "skipped": "skipped"}


def check_in_message(check: CheckInEvent, tz: ZoneInfo, prefs: Prefs) -> Message:
    result = CHECK_IN_WORDS.get(check.result, check.result)
    if prefs.explicit:
        text = f"Check-in on {DIRECTIVE_LABELS[check.directive_kind]}: {result}"
    else:
        text = f"Your partner checked in: {result}"
    return Message("EaseIn", text, f"{text} (at {_clock(check.at, tz)})")


def wear_timer_message(up_at: datetime, planned: timedelta, tz: ZoneInfo, prefs: Prefs) -> Message:
    """The long-wear timer passed its planned time: a gentle nudge, never a command."""
    text = (
        f"Your wear timer is up ({_minutes(planned)}): take it out when you are ready"
        if prefs.explicit
        else "Your timer is up"
    )
    return Message("EaseIn", text, f"{text} (since {_clock(up_at, tz)})")


def channel_test_message() -> Message:
    text = "Test from EaseIn: notifications reach you here."
    return Message("EaseIn", text, text)


def text_at(message: Message, natural_at: datetime, now: datetime) -> str:
    """Return the body to send at `now`: the late wording once LATE_AFTER has passed since
    `natural_at` (when it would have been sent without quiet hours)."""
    return message.late_body if now - natural_at > LATE_AFTER else message.body
