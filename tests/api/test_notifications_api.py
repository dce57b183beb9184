"""Notification channels and settings over real HTTP: a channel's URL is a secret that no
response carries, not even the owner's; bad input is a 422 naming the field."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import User, openapi_document, schema_problems
from tests.notify.receiver import receiving

DOC = openapi_document()
SECRET = "tk_SECRETTOPIC_9f8e7d"


def call(user: User, method: str, path: str, template: str, expect: int, **kw: Any) -> Any:
    response = user.request(method, path, **kw)
    assert response.status_code == expect, (method, path, response.status_code, response.text)
    assert schema_problems(DOC, method, f"/api/v1/{template}", response) == []
    return response.json() if response.content else None


def test_add_list_test_and_remove_a_channel(owner: User, live_server):
    with receiving(live_server.clock) as receiver:
        url = receiver.url(f"phone?token={SECRET}")
        made = call(
            owner,
            "POST",
            "notification-channels",
            "notification-channels",
            201,
            json={"url": url, "label": "my phone"},
        )
        assert made["service"] == "JSON" and made["host"] == "127.0.0.1"
        assert made["label"] == "my phone"
        listed = call(owner, "GET", "notification-channels", "notification-channels", 200)
        assert [c["id"] for c in listed] == [made["id"]]
        for body in (made, listed):
            assert SECRET not in str(body) and str(receiver.port) not in str(body)

        path = f"notification-channels/{made['id']}/test"
        template = "notification-channels/{channel_id}/test"
        assert call(owner, "POST", path, template, 200) == {"delivered": True}
        [arrival] = receiver.arrivals
        assert arrival.message == "Test from EaseIn: notifications reach you here."

    call(
        owner,
        "DELETE",
        f"notification-channels/{made['id']}",
        "notification-channels/{channel_id}",
        204,
    )
    assert call(owner, "GET", "notification-channels", "notification-channels", 200) == []


def test_a_test_to_an_unreachable_channel_says_not_delivered(owner: User):
    made = owner.ok("POST", "notification-channels", 201, json={"url": "json://127.0.0.1:9/x"})
    assert owner.ok("POST", f"notification-channels/{made['id']}/test") == {"delivered": False}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "nosuchservice://host/x"}, "url"),
        ({"url": "not a url"}, "url"),
        ({"url": ""}, "url"),
        ({"url": 42}, "url"),
        ({"url": "json://127.0.0.1/x", "label": "x" * 81}, "label"),
        ({"url": "json://127.0.0.1/x", "extra": 1}, "extra"),
    ],
)
def test_bad_channels_are_refused_naming_the_field(owner: User, body, field):
    response = owner.post("notification-channels", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"][-1] == field
    assert owner.ok("GET", "notification-channels") == []


def test_another_persons_channel_does_not_exist_for_you(owner: User, stranger: User):
    made = owner.ok("POST", "notification-channels", 201, json={"url": f"ntfy://ntfy.sh/{SECRET}"})
    for method, path in [
        ("DELETE", f"notification-channels/{made['id']}"),
        ("POST", f"notification-channels/{made['id']}/test"),
    ]:
        response = stranger.request(method, path)
        assert response.status_code == 404
        assert SECRET not in response.text
    assert stranger.ok("GET", "notification-channels") == []
    assert len(owner.ok("GET", "notification-channels")) == 1


def test_settings_default_neutral_and_change(owner: User):
    path = "notification-settings"
    assert call(owner, "GET", path, path, 200) == {
        "lead_minutes": 15,
        "quiet_start": None,
        "quiet_end": None,
        "explicit": False,
    }
    changed = call(
        owner,
        "PUT",
        path,
        path,
        200,
        json={"lead_minutes": 30, "quiet_start": "22:00", "quiet_end": "07:00"},
    )
    assert changed == {
        "lead_minutes": 30,
        "quiet_start": "22:00",
        "quiet_end": "07:00",
        "explicit": False,
    }
    assert call(owner, "GET", path, path, 200) == changed


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"lead_minutes": -1}, "lead_minutes"),
        ({"lead_minutes": "15"}, "lead_minutes"),
        ({"quiet_start": "25:00", "quiet_end": "07:00"}, "quiet_start"),
        ({"quiet_start": "22:00"}, "quiet_end"),
        ({"quiet_end": "07:00"}, "quiet_start"),
        ({"quiet_start": "22:00", "quiet_end": "22:00"}, "quiet_end"),
        ({"explicit": "yes"}, "explicit"),
    ],
)
def test_bad_settings_are_refused_naming_the_field(owner: User, body, field):
    response = owner.request("PUT", "notification-settings", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"][-1] == field
