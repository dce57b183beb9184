"""Settings' Calendar section: make the address (shown once), choose the wording, revoke it.

Plain form posts first (no JavaScript), then the same in a real browser, fetching
the feed from the address the page shows, as a calendar app would.
"""

from __future__ import annotations

import re
from html import unescape

import httpx

from tests.web.conftest import AXE, screenshot
from tests.web.helpers import csrf_of, sign_up_in, signed_up
from tests.web.test_accessibility import RUN_AXE

URL = re.compile(r'<textarea id="calendar-url" readonly[^>]*>([^<]+)</textarea>')


def shown_url(html: str) -> str:
    found = URL.search(html)
    assert found, "the page shows no calendar address"
    return unescape(found[1])


def add_plan(client: httpx.Client, csrf: str) -> None:
    made = client.post(
        "/api/v1/plans",
        json={"name": "ZZ-SECRET plan", "schedule": "every night", "at": "21:00",
              "duration_min": 20},
        headers={"X-CSRF-Token": csrf},
    )  # fmt: skip
    assert made.status_code == 201, made.text


def test_make_choose_and_revoke_the_address_with_plain_forms(live_server):
    client, csrf = signed_up(live_server.url)
    add_plan(client, csrf)
    settings = client.get("/settings").text
    assert "Create a calendar address" in settings and 'id="calendar-url"' not in settings

    assert client.post("/settings/calendar", data={"wording": "neutral"}).status_code == 403
    made = client.post("/settings/calendar", data={"csrf_token": csrf, "wording": "neutral"})
    assert made.status_code == 200
    assert made.headers["cache-control"] == "no-store"
    url = shown_url(made.text)
    assert url.startswith(f"{live_server.url}/calendar/")
    assert f'href="webcal://{live_server.url.removeprefix("http://")}/calendar/' in made.text
    feed = httpx.get(url)
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
    assert "SUMMARY:Evening routine" in feed.text and "ZZ-SECRET" not in feed.text

    again = client.get("/settings").text
    assert 'id="calendar-url"' not in again  # shown once
    assert "neutral titles" in again and "no calendar app has fetched it yet" in again

    explicit = client.post("/settings/calendar", data={"csrf_token": csrf, "wording": "explicit"})
    new_url = shown_url(explicit.text)
    assert httpx.get(url).status_code == 404
    assert "SUMMARY:Stretch session: ZZ-SECRET plan" in httpx.get(new_url).text

    revoked = client.post("/settings/calendar/revoke", data={"csrf_token": csrf})
    assert revoked.status_code == 303 and revoked.headers["location"] == "/settings?saved=calendar"
    assert httpx.get(new_url).status_code == 404
    after = client.get(revoked.headers["location"]).text
    assert "The calendar feed is revoked" in after and "Create a calendar address" in after
    nothing = client.post("/settings/calendar/revoke", data={"csrf_token": csrf})
    assert nothing.status_code == 422 and "no calendar feed to revoke" in nothing.text


def test_make_the_address_in_a_browser_and_fetch_it(browser, phone, live_server):
    page = phone
    sign_up_in(page, "robin")
    csrf = csrf_of(page.content())
    made = page.request.post(
        "/api/v1/plans",
        data={"name": "nightly", "schedule": "every night", "at": "22:30", "duration_min": 60},
        headers={"X-CSRF-Token": csrf},
    )
    assert made.status == 201, made.text()

    page.goto("/settings")
    section = page.locator("section[aria-labelledby=calendar-title]")
    assert section.locator("input[value=neutral]").is_checked()
    section.locator("button:has-text('Create a calendar address')").click()
    page.wait_for_load_state()
    field = page.locator("#calendar-url")
    url = field.input_value()
    assert field.get_attribute("readonly") is not None
    assert field.is_visible() and field.bounding_box()["y"] < 844  # scrolled to the section
    screenshot(page, "17-settings-calendar")
    page.evaluate(AXE.read_text(encoding="utf-8"))  # the address shown: still accessible
    assert page.evaluate(RUN_AXE) == []

    feed = httpx.get(url)
    assert feed.status_code == 200
    assert "SUMMARY:Night routine" in feed.text
    assert "RRULE:FREQ=DAILY" in feed.text and "TZID=Europe/Berlin" in feed.text

    page.goto("/settings")
    assert page.locator("#calendar-url").count() == 0
    page.locator("button:has-text('Revoke the calendar address')").click()
    page.wait_for_url("**/settings?saved=calendar")
    assert httpx.get(url).status_code == 404
