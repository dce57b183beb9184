"""Settings' Notifications section with plain form posts (no JavaScript): add a channel,
test it for real on loopback, change quiet hours and wording, remove it; CSRF required."""

from __future__ import annotations

from tests.notify.receiver import receiving
from tests.web.helpers import field_errors, sign_up_in, signed_up

SECRET = "web-secret-topic-77aa"


def test_channels_and_settings_with_plain_forms(live_server):
    client, csrf = signed_up(live_server.url)
    page = client.get("/settings").text
    assert 'id="notifications-title"' in page and "No channels yet." in page

    with receiving(live_server.clock) as receiver:
        url = receiver.url(f"me?token={SECRET}")
        refused = client.post("/settings/notifications/channels", data={"url": url})
        assert refused.status_code == 403  # no CSRF token
        added = client.post(
            "/settings/notifications/channels",
            data={"csrf_token": csrf, "url": url, "label": "my phone"},
            follow_redirects=True,
        )
        assert added.status_code == 200 and "Channel added." in added.text
        assert "my phone" in added.text and SECRET not in added.text
        channel_id = client.get("/api/v1/notification-channels").json()[0]["id"]
        tested = client.post(
            f"/settings/notifications/channels/{channel_id}/test",
            data={"csrf_token": csrf},
            follow_redirects=True,
        )
        assert "Test message sent" in tested.text
        assert len(receiver.arrivals) == 1

    bad = client.post(
        "/settings/notifications/channels", data={"csrf_token": csrf, "url": "nosuchservice://x/y"}
    )
    assert bad.status_code == 422 and any("Apprise" in e for e in field_errors(bad.text))

    saved = client.post(
        "/settings/notifications/prefs",
        data={
            "csrf_token": csrf,
            "lead_minutes": "30",
            "quiet_start": "22:00",
            "quiet_end": "07:00",
            "wording": "explicit",
        },
        follow_redirects=True,
    )
    assert saved.status_code == 200
    assert client.get("/api/v1/notification-settings").json() == {
        "lead_minutes": 30,
        "quiet_start": "22:00",
        "quiet_end": "07:00",
        "explicit": True,
    }
    half = client.post(
        "/settings/notifications/prefs",
        data={
            "csrf_token": csrf,
            "lead_minutes": "30",
            "quiet_start": "22:00",
            "quiet_end": "",
            "wording": "neutral",
        },
    )
    assert half.status_code == 422

    removed = client.post(
        f"/settings/notifications/channels/{channel_id}/remove",
        data={"csrf_token": csrf},
        follow_redirects=True,
    )
    assert "Channel removed." in removed.text and "No channels yet." in removed.text


def test_add_and_test_a_channel_in_a_browser(browser, phone, live_server):
    from tests.web.conftest import AXE, screenshot
    from tests.web.test_accessibility import RUN_AXE

    page = phone
    sign_up_in(page, "robin")
    with receiving(live_server.clock) as receiver:
        page.goto("/settings")
        section = page.locator("section[aria-labelledby=notifications-title]")
        section.locator("#channel-url").fill(receiver.url("robin"))
        section.locator("#channel-label").fill("my phone")
        section.locator("button:has-text('Add channel')").click()
        page.wait_for_url("**/settings?saved=channel-added*")
        page.locator("button[aria-label='Send a test to my phone']").click()
        page.wait_for_url("**/settings?saved=test-sent*")
        assert len(receiver.arrivals) == 1
    assert "my phone" in page.content() and "json://" not in page.content()
    screenshot(page, "18-settings-notifications")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    assert page.evaluate(RUN_AXE) == []
