"""The installed app's push subscription: the public key, then the subscription as a channel
(signed in, with the CSRF token), which a test message then reaches for real on loopback."""

from __future__ import annotations

from tests.notify.test_web_push import push_service
from tests.web.helpers import signed_up


def test_the_app_gets_the_key_and_subscribes_and_the_test_message_arrives(live_server):
    client, csrf = signed_up(live_server.url)
    key = client.get("/settings/notifications/push-key")
    assert key.status_code == 200 and len(key.json()["public_key"]) == 87
    with push_service() as pushed:
        endpoint, p256dh, auth = pushed.subscription("phone")
        data = {"endpoint": endpoint, "p256dh": p256dh, "auth": auth}
        assert client.post("/settings/notifications/push", data=data).status_code == 403
        made = client.post("/settings/notifications/push", data={"csrf_token": csrf, **data})
        assert made.status_code == 201
        assert made.json()["service"] == "Web Push"
        assert endpoint not in made.text and auth not in made.text
        tested = client.post(
            f"/settings/notifications/channels/{made.json()['id']}/test",
            data={"csrf_token": csrf},
            follow_redirects=True,
        )
        assert "Test message sent" in tested.text
        assert [d["title"] for _, _, d in pushed.arrivals] == ["EaseIn"]
    bad = client.post(
        "/settings/notifications/push",
        data={"csrf_token": csrf, "endpoint": "ftp://x/y", "p256dh": p256dh, "auth": auth},
    )
    assert bad.status_code == 422 and "endpoint" in bad.json()["errors"]
