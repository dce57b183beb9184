"""Reminders and partner notifications, delivered for real through Apprise's json:// to a
loopback endpoint, with the injected clock moved step by step (nothing sleeps).

The clock starts on Monday 2 March 2026 at 20:00 UTC, 21:00 in Berlin.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select

from easein.domain.sessions import Bleeding, BloodColour, Session, SessionKind
from easein.services import outbox, plans
from easein.services.app import App, open_app
from easein.services.notify_channels import add_channel, set_prefs
from easein.services.profile import Profile
from easein.services.together import stop
from easein.store.notify_models import OutboxRow
from tests.conftest import FakeClock
from tests.notify.receiver import Receiver, receiving
from tests.services.together_helpers import fresh, pair, person

STEP = timedelta(minutes=15)


def walk(app: App, clock: FakeClock, until: datetime, step: timedelta = STEP) -> None:
    """Run one worker pass at every step of the clock up to `until`."""
    while clock.now < until:
        clock.now = min(clock.now + step, until)
        outbox.run_once(app)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def evening_plan(app: App, who: Profile) -> None:
    """A wear plan every night at 21:30 Berlin time (20:30 UTC) for an hour."""
    plans.add_plan(
        app,
        fresh(app, who),
        name="nightly",
        kind=SessionKind.WEAR,
        schedule="every night",
        at=time(21, 30),
        duration=timedelta(hours=1),
    )


@pytest.fixture
def receiver(clock):
    with receiving(clock) as made:
        yield made


def test_one_neutral_reminder_per_planned_night_on_time(app, clock, receiver: Receiver):
    alice = person(app)
    evening_plan(app, alice)
    add_channel(app, alice.person_id, receiver.url("alice"))

    walk(app, clock, at(5, 12))

    got = receiver.to("alice")
    assert [a.at for a in got] == [at(2, 20, 15), at(3, 20, 15), at(4, 20, 15)]
    assert {a.message for a in got} == {"Evening routine in 15 minutes (21:30)"}
    assert {a.title for a in got} == {"Evening routine"}


def test_explicit_wording_only_when_chosen(app, clock, receiver: Receiver):
    alice = person(app)
    evening_plan(app, alice)
    add_channel(app, alice.person_id, receiver.url("alice"))
    set_prefs(app, alice.person_id, explicit=True, lead_minutes=30)

    walk(app, clock, at(2, 21), step=timedelta(minutes=1))

    [got] = receiver.to("alice")
    assert got.at == at(2, 20, 1)  # due 20:00, when the channel was added
    assert got.message == "Wear session: nightly in 30 minutes (21:30)"


def spotting(app: App, who: Profile, toy_id: int) -> None:
    from easein.services import training

    duration = timedelta(minutes=15)
    draft = Session(
        id=0,
        kind=SessionKind.STRETCH,
        started_at=app.now() - duration,
        duration=duration,
        item_ids=(),
        reached_item_id=0,
        reached_mm=0.0,
        pain=2,
        bleeding=Bleeding.SPOTTING,
        colour=BloodColour.BRIGHT,
    )
    training.log_session(app, fresh(app, who), replace(draft), [toy_id])


def test_no_reminder_during_a_rest_then_you_can_train_again(app, clock, receiver: Receiver):
    couple = pair(app)
    alice = couple.trainee
    evening_plan(app, alice)
    add_channel(app, alice.person_id, receiver.url("alice"))
    spotting(app, alice, couple.items["p20"])  # ends 20:00 on the 2nd: rest to 20:00 on the 5th

    walk(app, clock, at(6, 12))

    got = receiver.to("alice")
    assert [(a.at, a.message) for a in got] == [
        (at(5, 20, 0), "You can train again"),
        (at(5, 20, 15), "Evening routine in 15 minutes (21:30)"),
    ]
    with app.db.reading() as db:
        skipped = db.scalars(select(OutboxRow.key).where(OutboxRow.status == "skipped")).all()
    assert len(skipped) == 3  # the nights of the 2nd, 3rd and 4th, skipped for the rest


def test_the_partner_gets_stop_and_talk_once_and_the_trainee_no_reminder(
    app, clock, receiver: Receiver
):
    couple = pair(app)
    evening_plan(app, couple.trainee)
    add_channel(app, couple.trainee.person_id, receiver.url("trainee"))
    add_channel(app, couple.partner.person_id, receiver.url("partner"))
    called = stop.call_stop_and_talk(app, couple.trainee.person_id, couple.pairing_id)
    assert called.tell == couple.partner.person_id
    outbox.run_once(app)
    walk(app, clock, at(3, 12))

    got = receiver.to("partner")
    assert [(a.at, a.message) for a in got] == [
        (at(2, 20, 0), "Your partner asked to stop and talk.")
    ]
    assert receiver.to("trainee") == []  # paused: nothing reminds them to train


def test_quiet_hours_drop_reminders_and_delay_the_rest(app, clock, receiver: Receiver):
    couple = pair(app)
    evening_plan(app, couple.trainee)
    add_channel(app, couple.trainee.person_id, receiver.url("trainee"))
    add_channel(app, couple.partner.person_id, receiver.url("partner"))
    # Berlin 21:00-07:00 is 20:00-06:00 UTC in March
    for who in (couple.trainee, couple.partner):
        set_prefs(app, who.person_id, quiet_start=time(21), quiet_end=time(7))
    walk(app, clock, at(2, 22))
    stop.call_stop_and_talk(app, couple.trainee.person_id, couple.pairing_id)  # 23:00 Berlin

    walk(app, clock, at(3, 12))

    assert receiver.to("trainee") == []  # the 21:15 reminder fell in quiet hours
    [got] = receiver.to("partner")
    assert got.at == at(3, 6, 0)
    assert got.message == "Your partner asked to stop and talk. (at 23:00)"


def test_a_reminder_missed_while_down_is_sent_late_or_skipped(app, clock, receiver: Receiver):
    alice = person(app)
    evening_plan(app, alice)
    add_channel(app, alice.person_id, receiver.url("alice"))

    clock.now = at(2, 20, 50)  # down from 20:00 to 20:50: the session (20:30-21:30) is on
    outbox.run_once(app)
    clock.now = at(3, 21, 40)  # down until after the next night's session ended
    outbox.run_once(app)
    clock.now = at(4, 12)
    walk(app, clock, at(4, 21))

    got = receiver.to("alice")
    assert [(a.at, a.message) for a in got] == [
        (at(2, 20, 50), "Evening routine, planned for 21:30"),
        (at(4, 20, 15), "Evening routine in 15 minutes (21:30)"),
    ]
    with app.db.reading() as db:
        status = dict(db.execute(select(OutboxRow.key, OutboxRow.status)).tuples().all())
    assert status["plan:1:20260303T203000Z"] == "skipped"


def test_a_failed_send_is_retried_after_a_backoff(app, clock, receiver: Receiver):
    alice = person(app)
    evening_plan(app, alice)
    add_channel(app, alice.person_id, receiver.url("alice"))
    receiver.fail_next = 1

    walk(app, clock, at(2, 21), step=timedelta(minutes=1))

    [got] = receiver.to("alice")
    assert got.at == at(2, 20, 16)  # failed at 20:15, retried a minute later
    with app.db.reading() as db:
        assert db.scalar(select(OutboxRow.attempts)) == 2


def test_several_workers_send_each_notification_exactly_once(
    settings, clock, receiver, monkeypatch
):
    """Two workers, each with its own engine (as two processes would have), plan and send
    at the same moment, one row per claim so that they interleave: every reminder arrives
    exactly once, and both workers did part of the sending."""
    monkeypatch.setattr(outbox, "CLAIM_BATCH", 1)
    first = open_app(settings, clock=clock)
    second = open_app(settings, clock=clock)
    results: dict[int, list[outbox.PassResult]] = {0: [], 1: []}
    errors: list[BaseException] = []

    def work(index: int, app: App) -> None:
        try:
            results[index].append(outbox.run_once(app))
        except BaseException as error:  # reported below
            errors.append(error)

    try:
        names = []
        for n in range(6):
            who = person(first)
            evening_plan(first, who)
            for channel in ("phone", "mail"):
                names.append(f"p{n}-{channel}")
                add_channel(first, who.person_id, receiver.url(names[-1]))
        receiver.delay = 0.05
        clock.now = at(2, 20, 15)
        for _ in range(3):  # the same moment, three times over: still once each
            threads = [
                threading.Thread(target=work, args=(i, a)) for i, a in enumerate((first, second))
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=60)
        assert errors == []
        assert sorted(a.path.strip("/") for a in receiver.arrivals) == sorted(names)
        sent = [sum(r.sent for r in results[i]) for i in (0, 1)]
        assert sum(sent) == len(names)
        assert min(sent) > 0, sent
    finally:
        first.close()
        second.close()


def test_two_worker_processes_running_once_send_each_notification_once(settings, receiver):
    """`easein worker --once` in two processes at the same time, on the real clock: four
    stop-and-talks, each told to its partner once."""
    import subprocess
    import sys

    real = open_app(settings)  # the real clock: the processes have no other
    try:
        names = []
        for n in range(4):
            couple = pair(real)
            names.append(f"proc-{n}")
            add_channel(real, couple.partner.person_id, receiver.url(names[-1]))
            stop.call_stop_and_talk(real, couple.trainee.person_id, couple.pairing_id)
    finally:
        real.close()
    receiver.delay = 0.05
    command = [sys.executable, "-m", "easein", "--db", settings.database_url, "worker", "--once"]
    workers = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [w.communicate(timeout=120) for w in workers]
    assert [w.returncode for w in workers] == [0, 0], outputs
    assert sorted(a.path.strip("/") for a in receiver.arrivals) == sorted(names)
    assert {a.message for a in receiver.arrivals} == {"Your partner asked to stop and talk."}


def test_a_directive_window_is_reminded_and_the_partner_gets_the_check_in(
    app, clock, receiver: Receiver
):
    from datetime import date

    from easein.domain.compliance import CheckInResult
    from easein.domain.directives import DirectiveKind, DirectiveSpec, Window
    from easein.services.together import checkins, directives

    couple = pair(app)
    add_channel(app, couple.trainee.person_id, receiver.url("trainee"))
    add_channel(app, couple.partner.person_id, receiver.url("partner"))
    spec = DirectiveSpec(
        DirectiveKind.WEAR,
        timedelta(hours=1),
        "every night",
        date(2026, 3, 1),
        Window(time(21, 30), time(23, 0)),
        "the blue one, plenty of lube",
    )
    made = directives.create_directive(app, couple.partner.person_id, couple.pairing_id, spec)

    walk(app, clock, at(2, 21))
    checkins.check_in(
        app,
        couple.trainee.person_id,
        couple.pairing_id,
        made.directive.id,
        day=date(2026, 3, 2),
        result=CheckInResult.DONE,
        note="felt fine, no blood",
    )
    outbox.run_once(app)
    walk(app, clock, at(3, 12))

    assert [(a.at, a.message) for a in receiver.to("trainee")] == [
        (at(2, 20, 15), "Evening routine from 21:30 (in 15 minutes)")
    ]
    assert [(a.at, a.message) for a in receiver.to("partner")] == [
        (at(2, 21, 0), "Your partner checked in: done")
    ]
    everything = " ".join(a.message + a.title for a in receiver.arrivals)
    assert "lube" not in everything and "blood" not in everything


def test_finished_rows_are_pruned_after_30_days_and_everything_goes_with_the_person(
    app, clock, receiver: Receiver
):
    from sqlalchemy import delete, func

    from easein.store.models import Person
    from easein.store.notify_models import NotificationChannelRow, NotificationPrefsRow

    alice = person(app)
    evening_plan(app, alice)
    add_channel(app, alice.person_id, receiver.url("alice"))
    set_prefs(app, alice.person_id, explicit=True)
    clock.now = at(2, 20, 15)
    outbox.run_once(app)
    first = "plan:1:20260302T203000Z"
    with app.db.reading() as db:
        assert db.scalar(select(OutboxRow.status).where(OutboxRow.key == first)) == "sent"

    clock.now += timedelta(days=31)
    outbox.prune(app)
    with app.db.reading() as db:
        assert db.scalar(select(OutboxRow.id).where(OutboxRow.key == first)) is None

    outbox.run_once(app)  # plans the new day's reminder
    with app.db.writing() as db:
        db.execute(delete(Person).where(Person.id == alice.person_id))
    with app.db.reading() as db:
        for table in (OutboxRow, NotificationChannelRow, NotificationPrefsRow):
            assert db.scalar(select(func.count()).select_from(table)) == 0
