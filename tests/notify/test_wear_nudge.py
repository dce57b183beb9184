"""The long-wear timer's one "your timer is up" nudge, delivered for real through Apprise's
json:// to a loopback endpoint, with the injected clock moved step by step (nothing sleeps).

The clock starts on Monday 2 March 2026 at 20:00 UTC, 21:00 in Berlin.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select

from easein.domain.errors import Conflict
from easein.domain.sessions import Session, SessionKind
from easein.services import notify_plan, outbox, training, wear_timers
from easein.services.app import App
from easein.services.notify_channels import add_channel, set_prefs
from easein.services.profile import Profile
from easein.store.notify_models import OutboxRow
from easein.store.wear_models import WearTimerRow
from tests.conftest import FakeClock
from tests.notify.receiver import Receiver, receiving
from tests.notify.test_delivery import spotting, walk
from tests.services.together_helpers import fresh, pair, person

START = datetime(2026, 3, 2, 20, 0, tzinfo=UTC)


@pytest.fixture
def receiver(clock):
    with receiving(clock) as made:
        yield made


def wearing(app: App, who: Profile, minutes: int | None = 60) -> wear_timers.RunningTimer:
    return wear_timers.start(
        app, fresh(app, who), items=[], planned_minutes=minutes, checkin_minutes=30
    )


def outbox_rows(app: App) -> list[tuple[str, str]]:
    with app.db.reading() as db:
        return [tuple(r) for r in db.execute(select(OutboxRow.key, OutboxRow.status))]


def test_one_nudge_arrives_when_the_planned_time_is_up(app, clock: FakeClock, receiver: Receiver):
    alice = person(app)
    add_channel(app, alice.person_id, receiver.url("alice"))
    timer = wearing(app, alice, 60)

    walk(app, clock, START + timedelta(hours=3), step=timedelta(minutes=5))

    got = receiver.to("alice")
    assert [(a.at, a.title, a.message) for a in got] == [
        (START + timedelta(hours=1), "EaseIn", "Your timer is up")
    ]
    assert outbox_rows(app) == [(f"wear:{timer.id}", "sent")]
    with app.db.reading() as db:
        row = db.get(WearTimerRow, timer.id)
        assert row is not None
        assert (row.nudged_at, row.ended_at) == (START + timedelta(hours=1), None)
    assert wear_timers.running(app, alice.person_id) == timer  # the nudge does not stop it


def test_no_nudge_when_the_timer_was_stopped_first(app, clock: FakeClock, receiver: Receiver):
    alice = person(app)
    add_channel(app, alice.person_id, receiver.url("alice"))
    timer = wearing(app, alice, 60)
    walk(app, clock, START + timedelta(minutes=50), step=timedelta(minutes=5))

    assert wear_timers.stop(app, alice.person_id) == timer
    walk(app, clock, START + timedelta(hours=3), step=timedelta(minutes=5))

    assert receiver.to("alice") == []
    assert outbox_rows(app) == []
    assert wear_timers.running(app, alice.person_id) is None


def test_a_nudge_planned_but_not_yet_sent_is_skipped_when_the_timer_stops(
    app, clock: FakeClock, receiver: Receiver
):
    alice = person(app)
    add_channel(app, alice.person_id, receiver.url("alice"))
    timer = wearing(app, alice, 60)
    clock.now = START + timedelta(hours=1)
    assert notify_plan.plan(app) == 1  # planned (a worker died before delivering, say)
    clock.advance(minutes=2)

    wear_timers.stop(app, alice.person_id, timer.id)
    walk(app, clock, START + timedelta(hours=3), step=timedelta(minutes=5))

    assert receiver.to("alice") == []
    assert outbox_rows(app) == [(f"wear:{timer.id}", "skipped")]


def test_logging_that_wear_elsewhere_ends_the_timer_and_its_nudge(
    app, clock: FakeClock, receiver: Receiver
):
    """Logged through the service the API and the CLI use, not the timer's own Stop."""
    couple = pair(app)
    alice = couple.trainee
    add_channel(app, alice.person_id, receiver.url("alice"))
    wearing(app, alice, 60)
    clock.now = START + timedelta(minutes=40)
    worn = timedelta(minutes=40)
    draft = Session(0, SessionKind.WEAR, START, worn, (), 0, 0.0, pain=0)
    training.log_session(app, fresh(app, alice), draft, [couple.items["p20"]])

    walk(app, clock, START + timedelta(hours=3), step=timedelta(minutes=5))

    assert receiver.to("alice") == []
    assert wear_timers.running(app, alice.person_id) is None


def test_a_planned_nudge_is_skipped_when_that_wear_is_logged_before_it_goes(
    app, clock: FakeClock, receiver: Receiver
):
    """Already in the outbox (planned, not sent) when the wear is logged through the
    service the API and the CLI use: checked again just before sending, it is skipped."""
    couple = pair(app)
    alice = couple.trainee
    add_channel(app, alice.person_id, receiver.url("alice"))
    timer = wearing(app, alice, 60)
    clock.now = START + timedelta(hours=1)
    assert notify_plan.plan(app) == 1
    clock.advance(minutes=1)
    draft = Session(0, SessionKind.WEAR, START, timedelta(minutes=61), (), 0, 0.0, pain=0)
    training.log_session(app, fresh(app, alice), draft, [couple.items["p20"]])

    walk(app, clock, START + timedelta(hours=3), step=timedelta(minutes=5))

    assert receiver.to("alice") == []
    assert outbox_rows(app) == [(f"wear:{timer.id}", "skipped")]


def test_no_set_time_means_no_nudge(app, clock: FakeClock, receiver: Receiver):
    alice = person(app)
    add_channel(app, alice.person_id, receiver.url("alice"))
    wearing(app, alice, None)
    walk(app, clock, START + timedelta(hours=10), step=timedelta(minutes=30))
    assert receiver.to("alice") == []


def test_quiet_hours_do_not_hold_back_the_nudge(app, clock: FakeClock, receiver: Receiver):
    alice = person(app)
    add_channel(app, alice.person_id, receiver.url("alice"))
    set_prefs(app, alice.person_id, quiet_start=time(21), quiet_end=time(7))  # quiet now
    wearing(app, alice, 30)
    walk(app, clock, START + timedelta(hours=2), step=timedelta(minutes=5))
    [got] = receiver.to("alice")
    assert (got.at, got.message) == (START + timedelta(minutes=30), "Your timer is up")


def test_the_nudge_still_comes_during_a_rest_that_began_while_wearing(
    app, clock: FakeClock, receiver: Receiver
):
    """A rest stops reminders to train, not the word that a wear's planned time is up."""
    couple = pair(app)
    alice = couple.trainee
    add_channel(app, alice.person_id, receiver.url("alice"))
    wearing(app, alice, 60)
    clock.now = START + timedelta(minutes=20)
    spotting(app, alice, couple.items["p20"])  # a stretch session: the wear goes on
    assert not training.status(app, fresh(app, alice)).safety.may_train

    walk(app, clock, START + timedelta(hours=2), step=timedelta(minutes=5))

    assert [a.message for a in receiver.to("alice")] == ["Your timer is up"]


def test_a_timer_does_not_start_while_training_is_not_allowed(app, clock: FakeClock):
    couple = pair(app)
    spotting(app, couple.trainee, couple.items["p20"])
    with pytest.raises(Conflict) as refused:
        wearing(app, couple.trainee, 60)
    assert refused.value.code == "not_ready"
    assert wear_timers.running(app, couple.trainee.person_id) is None


def test_a_nudge_missed_while_down_comes_late_with_its_time(
    app, clock: FakeClock, receiver: Receiver
):
    alice = person(app)
    add_channel(app, alice.person_id, receiver.url("alice"))
    wearing(app, alice, 60)
    clock.now = START + timedelta(minutes=95)  # no worker ran from 20:00 to 21:35 UTC
    outbox.run_once(app)
    walk(app, clock, START + timedelta(hours=3), step=timedelta(minutes=5))
    [got] = receiver.to("alice")
    assert got.message == "Your timer is up (since 22:00)"


def test_one_running_timer_per_person_and_only_its_owner_stops_it(app, clock: FakeClock):
    alice, bob = person(app), person(app)
    first = wearing(app, alice, 60)
    clock.advance(minutes=5)
    assert wearing(app, alice, 120) == first  # already running: the same one
    assert wear_timers.stop(app, bob.person_id, first.id) is None
    assert wear_timers.running(app, alice.person_id) == first
