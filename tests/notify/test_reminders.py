"""The pure rules of what to notify and when (no database, no clock)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from easein.domain.adherence import Interval
from easein.domain.schedule import Plan
from easein.domain.sessions import SessionKind
from easein.notify.messages import Prefs, StopEvent, text_at
from easein.notify.reminders import (
    Kind,
    Skip,
    in_quiet_hours,
    partner_events,
    quiet_hours_end,
    reminders,
    rest_over,
)

BERLIN = ZoneInfo("Europe/Berlin")
NIGHT = Prefs(quiet_start=time(22), quiet_end=time(7))
PLAN = Plan(
    1, "nightly", SessionKind.WEAR, "FREQ=DAILY", date(2026, 3, 1), time(21, 30), timedelta(hours=1)
)


def berlin(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=BERLIN).astimezone(UTC)


@pytest.mark.parametrize(
    ("moment", "quiet"),
    [
        (berlin(2, 21, 59), False),
        (berlin(2, 22, 0), True),
        (berlin(3, 3, 0), True),
        (berlin(3, 6, 59), True),
        (berlin(3, 7, 0), False),
        (berlin(3, 12, 0), False),
    ],
)
def test_quiet_hours_across_midnight(moment, quiet):
    assert in_quiet_hours(moment, BERLIN, NIGHT) is quiet


def test_no_quiet_hours_when_unset_or_empty():
    assert not in_quiet_hours(berlin(2, 23), BERLIN, Prefs())
    assert not in_quiet_hours(berlin(2, 23), BERLIN, Prefs(quiet_start=time(7), quiet_end=time(7)))


def test_quiet_hours_end_on_the_local_clock_across_the_spring_change():
    # Berlin moves to summer time on 29 March 2026: 07:00 stays 07:00 local
    assert quiet_hours_end(berlin(28, 23), BERLIN, NIGHT) == berlin(29, 7)
    assert quiet_hours_end(berlin(29, 2, 30), BERLIN, NIGHT) == datetime(2026, 3, 29, 5, tzinfo=UTC)


def test_a_reminder_is_due_lead_minutes_before_and_only_then():
    now = berlin(2, 21, 15)
    [due] = reminders(
        [PLAN],
        [],
        [],
        may_train=True,
        tz=BERLIN,
        prefs=Prefs(),
        since=now - timedelta(minutes=1),
        now=now,
    )
    assert (due.kind, due.key, due.due_at, due.skip) == (
        Kind.PLAN,
        "plan:1:20260302T203000Z",
        now,
        None,
    )
    assert due.message.body == "Evening routine in 15 minutes (21:30)"
    assert (
        reminders(
            [PLAN],
            [],
            [],
            may_train=True,
            tz=BERLIN,
            prefs=Prefs(),
            since=now - timedelta(minutes=1),
            now=now - timedelta(seconds=1),
        )
        == []
    )


def test_an_excused_occurrence_is_skipped_and_a_not_ready_one_waits():
    now = berlin(2, 21, 15)
    rest = Interval(berlin(1, 12), berlin(4, 12), "rest")
    [skipped] = reminders(
        [PLAN],
        [],
        [rest],
        may_train=False,
        tz=BERLIN,
        prefs=Prefs(),
        since=now - timedelta(hours=1),
        now=now,
    )
    assert skipped.skip is Skip.EXCUSED
    assert (
        reminders(
            [PLAN],
            [],
            [],
            may_train=False,
            tz=BERLIN,
            prefs=Prefs(),
            since=now - timedelta(hours=1),
            now=now,
        )
        == []
    )


def test_a_reminder_in_quiet_hours_is_dropped_and_an_event_waits():
    late = Plan(
        2, "late", SessionKind.WEAR, "FREQ=DAILY", date(2026, 3, 1), time(23, 0), timedelta(hours=1)
    )
    now = berlin(2, 22, 45)
    [due] = reminders(
        [late],
        [],
        [],
        may_train=True,
        tz=BERLIN,
        prefs=NIGHT,
        since=now - timedelta(hours=1),
        now=now,
    )
    assert due.skip is Skip.QUIET_HOURS
    stop = StopEvent(7, berlin(2, 23))
    assert (
        partner_events(
            [stop], [], tz=BERLIN, prefs=NIGHT, since=berlin(2, 22), now=berlin(3, 6, 59)
        )
        == []
    )
    [told] = partner_events(
        [stop], [], tz=BERLIN, prefs=NIGHT, since=berlin(2, 22), now=berlin(3, 7)
    )
    assert told.due_at == berlin(3, 7)
    assert text_at(told.message, told.natural_at, berlin(3, 7)).endswith("(at 23:00)")


def test_you_can_train_again_only_when_nothing_else_holds_training_back():
    end = berlin(5, 21)
    kwargs = {"tz": BERLIN, "prefs": Prefs(), "since": berlin(5, 12), "now": berlin(5, 22)}
    [due] = rest_over([end], [], may_train=True, **kwargs)
    assert due.message.body == "You can train again"
    assert rest_over([end], [], may_train=False, **kwargs) == []
    pause = Interval(berlin(5, 20), None, "paused: haemorrhoids")
    assert rest_over([end], [pause], may_train=True, **kwargs) == []


def test_explicit_wording_names_the_plan_neutral_never_does():
    now = berlin(2, 21, 15)
    since = now - timedelta(minutes=1)
    [neutral] = reminders(
        [PLAN], [], [], may_train=True, tz=BERLIN, prefs=Prefs(), since=since, now=now
    )
    [explicit] = reminders(
        [PLAN], [], [], may_train=True, tz=BERLIN, prefs=Prefs(explicit=True), since=since, now=now
    )
    assert "nightly" not in neutral.message.body and "Wear" not in neutral.message.body
    assert explicit.message.body == "Wear session: nightly in 15 minutes (21:30)"
