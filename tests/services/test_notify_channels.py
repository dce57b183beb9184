"""Channels: refused when Apprise cannot use them, and, where the settings say so, when they
point at a loopback or private address (at creation and again before every send)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest

from easein.domain.errors import InvalidInput, NotFound
from easein.domain.sessions import SessionKind
from easein.services import outbox, plans
from easein.services.app import open_app
from easein.services.notify_channels import add_channel, list_channels, remove_channel, send_test
from tests.notify.receiver import receiving
from tests.services.together_helpers import person


@pytest.fixture
def public_only(settings, clock):
    made = open_app(replace(settings, notify_allow_private_hosts=False), clock=clock)
    yield made
    made.close()


@pytest.mark.parametrize(
    "url", ["json://127.0.0.1:9/x", "json://10.1.2.3/x", "gotify://192.168.1.5/token",
            "json://[::1]/x", "json://169.254.169.254/latest"]
)  # fmt: skip
def test_private_addresses_are_refused_when_the_server_says_so(public_only, url):
    who = person(public_only)
    with pytest.raises(InvalidInput) as refused:
        add_channel(public_only, who.person_id, url)
    assert refused.value.field == "url" and refused.value.code == "private_host"
    assert list_channels(public_only, who.person_id) == []


def test_a_public_address_is_accepted(public_only):
    who = person(public_only)
    made = add_channel(public_only, who.person_id, "json://93.184.216.34/hook")
    assert made.host == "93.184.216.34"


def test_a_channel_added_while_allowed_is_not_sent_to_once_disallowed(app, public_only, clock):
    with receiving(clock) as receiver:
        who = person(app)
        plans.add_plan(app, who, name="nightly", kind=SessionKind.WEAR, schedule="daily",
                       at=time(21, 30), duration=timedelta(hours=1))  # fmt: skip
        channel = add_channel(app, who.person_id, receiver.url("me"))
        assert send_test(public_only, who.person_id, channel.id) is False
        clock.now = datetime(2026, 3, 2, 20, 15, tzinfo=UTC)
        done = outbox.run_once(public_only)
        assert (done.sent, done.failed) == (0, 1)
        assert receiver.arrivals == []


def test_another_persons_channel_cannot_be_used_or_removed(app):
    alice, bob = person(app), person(app)
    made = add_channel(app, alice.person_id, "ntfy://ntfy.sh/alice-secret")
    with pytest.raises(NotFound):
        send_test(app, bob.person_id, made.id)
    with pytest.raises(NotFound):
        remove_channel(app, bob.person_id, made.id)
    assert [c.id for c in list_channels(app, alice.person_id)] == [made.id]
