"""`easein notify ...` and `easein worker --once`: channels from the command line, a real
delivery to a loopback endpoint, and bad input that exits 2 with nothing written."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.cli.conftest import Cli
from tests.cli.test_bad_input import assert_refused
from tests.conftest import FakeClock
from tests.notify.receiver import receiving

SECRET = "cli-secret-topic-41f2"


@pytest.fixture
def person(cli: Cli) -> Cli:
    assert cli("init", "--adult", "--timezone", "Europe/Berlin", "--units", "mm").code == 0
    return cli


def test_add_list_test_remove(person: Cli, clock: FakeClock):
    with receiving(clock) as receiver:
        added = person("notify", "add", receiver.url(SECRET), "--label", "phone", "--json")
        assert added.code == 0, added.err
        channel = added.json()
        assert channel["service"] == "JSON" and channel["label"] == "phone"
        listed = person("notify", "list")
        assert listed.code == 0 and f"{channel['id']}  JSON (127.0.0.1)  phone" in listed.out
        assert SECRET not in listed.out + added.out
        sent = person("notify", "test", str(channel["id"]))
        assert sent.code == 0 and "sent" in sent.out
        assert len(receiver.arrivals) == 1
    assert person("notify", "remove", str(channel["id"])).code == 0
    assert person("notify", "list", "--json").json() == []


def test_a_test_that_does_not_arrive_exits_1(person: Cli):
    made = person("notify", "add", "json://127.0.0.1:9/x", "--json").json()
    result = person("notify", "test", str(made["id"]))
    assert result.code == 1 and "did not go through" in result.err


def test_settings_show_and_change(person: Cli):
    shown = person("notify", "settings", "--json").json()
    assert shown == {"lead_minutes": 15, "quiet": None, "explicit": False}
    changed = person(
        "notify", "settings", "--lead", "30", "--quiet", "22:00-07:00", "--explicit", "--json"
    ).json()
    assert changed == {"lead_minutes": 30, "quiet": "22:00-07:00", "explicit": True}
    cleared = person("notify", "settings", "--no-quiet", "--neutral", "--json").json()
    assert cleared == {"lead_minutes": 30, "quiet": None, "explicit": False}


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("notify", "add", "nosuchservice://host/x"), ("url", "Apprise")),
        (("notify", "add", "not a url"), ("url",)),
        (("notify", "remove", "999"), ("channel",)),
        (("notify", "remove", "abc"), ("abc",)),
        (("notify", "test", "999"), ("channel",)),
        (("notify", "settings", "--lead", "-5"), ("lead_minutes",)),
        (("notify", "settings", "--quiet", "22:00"), ("quiet",)),
        (("notify", "settings", "--quiet", "22:00-25:00"), ("quiet",)),
        (("notify", "settings", "--quiet", "22:00-07:00", "--no-quiet"), ("quiet",)),
        (("worker", "--interval", "1"), ("interval",)),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(person: Cli, args, says):
    assert_refused(person(*args), *says)
    assert person("notify", "list", "--json").json() == []


def test_worker_once_sends_what_is_due(person: Cli, clock: FakeClock):
    with receiving(clock) as receiver:
        person(
            "plan",
            "add",
            "nightly",
            "--kind",
            "wear",
            "--schedule",
            "every night",
            "--at",
            "21:30",
            "--duration",
            "1h",
        )
        person("notify", "add", receiver.url("me"))
        clock.now = datetime(2026, 3, 2, 20, 15, tzinfo=UTC)
        first = person("worker", "--once", "--json")
        again = person("worker", "--once", "--json")
    assert first.code == 0, first.err
    assert first.json() == {"planned": 1, "sent": 1, "failed": 0, "skipped": 0}
    assert again.json() == {"planned": 0, "sent": 0, "failed": 0, "skipped": 0}
    assert [a.message for a in receiver.arrivals] == ["Evening routine in 15 minutes (21:30)"]
