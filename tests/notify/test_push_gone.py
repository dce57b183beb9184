"""A push subscription its push service reports gone (404, 410) is removed and never tried
again; any other failure is retried as before. Real HTTP on loopback: the local push
service of test_web_push answers what each test tells it to."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from easein.services import notify_channels as service
from easein.services.notify_plan import SENT
from easein.store.notify_models import NotificationChannelRow, OutboxRow
from tests.notify.receiver import receiving
from tests.notify.test_delivery import at, evening_plan, walk
from tests.notify.test_web_push import PushService, push_service
from tests.services.together_helpers import person

MINUTE = timedelta(minutes=1)


@pytest.fixture
def pushed() -> Iterator[PushService]:
    with push_service() as made:
        yield made


@pytest.mark.parametrize("answer", [404, 410])
def test_a_gone_subscription_is_removed_and_never_tried_again(app, clock, pushed, answer):
    alice = person(app)
    evening_plan(app, alice)
    phone = service.subscribe_push(app, alice.person_id, *pushed.subscription("alice"))
    pushed.answer = answer
    with receiving(clock) as receiver:
        other = service.add_channel(app, alice.person_id, receiver.url("alice"), "ntfy")

        walk(app, clock, at(2, 21), step=MINUTE)
        assert pushed.refused == ["/push/alice"]  # knocked once, not after 1, 2, 4, 8 minutes
        assert [c.id for c in service.list_channels(app, alice.person_id)] == [other.id]
        with app.db.reading() as db:
            assert db.get(NotificationChannelRow, phone.id) is None
            waiting = select(OutboxRow).where(OutboxRow.channel_id == phone.id)
            assert list(db.scalars(waiting)) == []

        walk(app, clock, at(4, 21))  # two more nights: nothing goes to the gone subscription
        assert pushed.refused == ["/push/alice"]
        assert len(receiver.to("alice")) == 3  # the other channel is untouched


def test_another_push_failure_is_retried_and_the_subscription_kept(app, clock, pushed):
    alice = person(app)
    evening_plan(app, alice)
    phone = service.subscribe_push(app, alice.person_id, *pushed.subscription("alice"))
    pushed.answer = 500

    walk(app, clock, at(2, 20, 15), step=MINUTE)  # the reminder is due at 20:15
    assert pushed.refused == ["/push/alice"]
    pushed.answer = 201
    walk(app, clock, at(2, 21), step=MINUTE)

    assert [d["title"] for _, _, d in pushed.arrivals] == ["Evening routine"]
    with app.db.reading() as db:
        row = db.scalars(select(OutboxRow).where(OutboxRow.channel_id == phone.id)).one()
        assert (row.status, row.attempts, row.sent_at) == (SENT, 2, at(2, 20, 16))
    assert [c.id for c in service.list_channels(app, alice.person_id)] == [phone.id]


def test_a_test_message_to_a_gone_subscription_fails_and_removes_it(app, pushed):
    alice = person(app)
    phone = service.subscribe_push(app, alice.person_id, *pushed.subscription("alice"))
    pushed.answer = 410

    assert service.send_test(app, alice.person_id, phone.id) is False
    assert service.list_channels(app, alice.person_id) == []


def test_an_unreachable_push_service_is_a_failed_send_not_an_error(app, pushed):
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    alice = person(app)
    _, p256dh, auth = pushed.subscription("alice")
    endpoint = f"http://127.0.0.1:{closed}/push/alice"
    phone = service.subscribe_push(app, alice.person_id, endpoint, p256dh, auth)

    assert service.send_test(app, alice.person_id, phone.id) is False
    assert [c.id for c in service.list_channels(app, alice.person_id)] == [phone.id]
