"""When a long-wear timer's "your timer is up" nudge is due: the pure rule, table-driven."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from easein.notify.messages import Prefs, text_at
from easein.notify.reminders import (
    Kind,
    LoggedWear,
    WearTimer,
    timer_running,
    wear_nudges,
)

BERLIN = ZoneInfo("Europe/Berlin")
NIGHT = Prefs(quiet_start=time(22), quiet_end=time(7))
START = datetime(2026, 3, 2, 20, 0, tzinfo=UTC)  # 21:00 in Berlin
HOUR = timedelta(hours=1)


def minutes(n: float) -> datetime:
    return START + timedelta(minutes=n)


def timer(**changes) -> WearTimer:
    values = {"id": 7, "started_at": START, "planned": HOUR}
    values.update(changes)
    return WearTimer(**values)


def logged(start_min: float, end_min: float, recorded_min: float) -> LoggedWear:
    return LoggedWear(minutes(start_min), minutes(end_min), minutes(recorded_min))


@pytest.mark.parametrize(
    ("case", "the_timer", "wear", "since", "now", "due"),
    [
        ("not up yet", timer(), [], minutes(0), minutes(59), False),
        ("up exactly now", timer(), [], minutes(0), minutes(60), True),
        ("up and still running", timer(), [], minutes(45), minutes(75), True),
        ("no set time: never", timer(planned=None), [], minutes(0), minutes(600), False),
        (
            "stopped before it was up",
            timer(ended_at=minutes(30)),
            [],
            minutes(0),
            minutes(75),
            False,
        ),
        (
            "stopped after it was up",
            timer(ended_at=minutes(70)),
            [],
            minutes(0),
            minutes(75),
            False,
        ),
        ("already nudged", timer(nudged_at=minutes(60)), [], minutes(0), minutes(75), False),
        ("up before the window", timer(), [], minutes(61), minutes(90), False),
        ("that wear was logged", timer(), [logged(0, 50, 52)], minutes(0), minutes(75), False),
        (
            "logged with minutes rounded",
            timer(),
            [logged(-1, 0.5, 1)],
            minutes(0),
            minutes(75),
            False,
        ),
        (
            "an older wear logged now",
            timer(),
            [logged(-300, -200, 30)],
            minutes(0),
            minutes(75),
            True,
        ),
        ("logged before the timer", timer(), [logged(-30, 10, -1)], minutes(0), minutes(75), True),
    ],
)
def test_a_nudge_is_due_once_a_running_timer_passes_its_planned_time(
    case, the_timer, wear, since, now, due
):
    found = wear_nudges([the_timer], wear, tz=BERLIN, prefs=Prefs(), since=since, now=now)
    assert bool(found) is due, case
    if due:
        [nudge] = found
        assert (nudge.kind, nudge.key, nudge.due_at, nudge.skip) == (
            Kind.WEAR_TIMER,
            "wear:7",
            minutes(60),
            None,
        )
        assert nudge.expires_at is None  # late is still worth saying while it runs


@pytest.mark.parametrize(
    ("ended_at", "wear", "running"),
    [
        (None, [], True),
        (minutes(10), [], False),
        (minutes(100), [], True),  # "ends" after now: not yet
        (None, [logged(0, 30, 31)], False),
        (None, [logged(-120, -60, 5)], True),
    ],
)
def test_a_timer_runs_until_stopped_or_its_wear_is_logged(ended_at, wear, running):
    assert timer_running(timer(ended_at=ended_at), wear, minutes(40)) is running


def test_quiet_hours_do_not_hold_the_nudge_back():
    late = timer(started_at=datetime(2026, 3, 2, 21, 30, tzinfo=UTC))  # 22:30 Berlin
    now = datetime(2026, 3, 2, 22, 30, tzinfo=UTC)  # 23:30 Berlin: quiet
    [nudge] = wear_nudges([late], [], tz=BERLIN, prefs=NIGHT, since=now - HOUR, now=now)
    assert nudge.due_at == now and nudge.skip is None


def test_the_words_are_neutral_unless_chosen_and_say_the_time_when_late():
    [neutral] = wear_nudges([timer()], [], tz=BERLIN, prefs=Prefs(), since=START, now=minutes(60))
    assert (neutral.message.title, neutral.message.body) == ("EaseIn", "Your timer is up")
    assert text_at(neutral.message, neutral.natural_at, minutes(80)) == (
        "Your timer is up (since 22:00)"
    )
    [explicit] = wear_nudges(
        [timer()], [], tz=BERLIN, prefs=Prefs(explicit=True), since=START, now=minutes(60)
    )
    assert "wear" in explicit.message.body and "1 hour" in explicit.message.body
    assert "wear" not in neutral.message.body.lower()


def test_several_timers_each_get_their_own_key():
    timers = [timer(id=1), timer(id=2, planned=2 * HOUR), timer(id=3, planned=None)]
    found = wear_nudges(timers, [], tz=BERLIN, prefs=Prefs(), since=START, now=minutes(125))
    assert [d.key for d in found] == ["wear:1", "wear:2"]
