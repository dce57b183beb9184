"""The calendar feed over real HTTP: managing it under /api/v1, fetching it with its token only."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from icalendar import Calendar

from tests.api.conftest import Clients, User, openapi_document, schema_problems

DOC = openapi_document()
MARKER = "ZZ-SECRET-MARKER"


def call(user: User, method: str, expect: int, **kwargs: Any) -> Any:
    """Send `method /api/v1/calendar-feed`, check the status and the documented shape."""
    response = user.request(method, "calendar-feed", **kwargs)
    assert response.status_code == expect, (method, response.status_code, response.text)
    assert schema_problems(DOC, method, "/api/v1/calendar-feed", response) == []
    return response.json() if response.content else None


def fetch(url: str) -> httpx.Response:
    """Fetch the feed as a calendar app does: no cookie, no token but the one in the URL."""
    return httpx.get(url, timeout=30)


def test_create_fetch_regenerate_and_revoke(owner: User, live_server):
    assert call(owner, "GET", 200) == {
        "exists": False, "explicit": None, "created_at": None, "last_fetched_at": None,
    }  # fmt: skip
    made = call(owner, "POST", 201, json={})
    url = made["url"]
    assert url.startswith(f"{live_server.url}/calendar/") and url.endswith(".ics")
    assert made["explicit"] is False

    feed = fetch(url)
    assert feed.status_code == 200
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    assert "no-store" in feed.headers["cache-control"]
    assert "private" in feed.headers["cache-control"]
    assert Calendar.from_ical(feed.content)["PRODID"] == "-//EaseIn//Calendar feed//EN"
    assert httpx.head(url, timeout=30).status_code == 200

    status = call(owner, "GET", 200)
    assert status["exists"] is True and status["explicit"] is False
    assert url.rsplit("/", 1)[1].removesuffix(".ics") not in str(status)  # never the token

    again = call(owner, "POST", 201, json={"explicit": True})
    assert again["url"] != url
    assert fetch(url).status_code == 404  # the old address stopped working
    assert fetch(again["url"]).status_code == 200
    assert call(owner, "GET", 200)["explicit"] is True

    assert call(owner, "DELETE", 204) is None
    assert fetch(again["url"]).status_code == 404
    assert call(owner, "DELETE", 404)["detail"] == "there is no calendar feed to revoke"
    assert call(owner, "GET", 200)["exists"] is False


def test_unknown_and_revoked_addresses_look_the_same(owner: User, live_server):
    url = call(owner, "POST", 201, json={})["url"]
    call(owner, "DELETE", 204)
    unknown = url.rsplit("/", 1)[0] + "/" + "A" * 43 + ".ics"
    answers = [fetch(u) for u in (url, unknown, f"{live_server.url}/calendar/x.ics")]
    assert {r.status_code for r in answers} == {404}
    assert len({r.content for r in answers}) == 1
    assert all("no-store" in r.headers["cache-control"] for r in answers)


def test_a_calendar_token_is_no_bearer_token_and_no_session_cookie(
    clients: Clients, owner: User, live_server
):
    token = call(owner, "POST", 201, json={})["url"].rsplit("/", 1)[1].removesuffix(".ics")
    as_bearer = httpx.get(
        f"{live_server.url}/api/v1/profile", headers={"Authorization": f"Bearer {token}"}
    )
    assert as_bearer.status_code == 401
    as_cookie = httpx.get(f"{live_server.url}/api/v1/profile", cookies={"easein_session": token})
    assert as_cookie.status_code == 401
    page = httpx.get(f"{live_server.url}/settings", cookies={"easein_session": token})
    assert page.status_code == 303 and page.headers["location"].startswith("/login")


def test_the_feed_names_plans_only_when_explicit_and_never_holds_notes(owner: User):
    toy = owner.ok(
        "POST", "toys", 201,
        json={"name": f"{MARKER} plug", "kind": "plug", "diameter_mm": 20.0, "base": "flared"},
    )  # fmt: skip
    owner.ok(
        "POST", "sessions", 201,
        json={"duration_min": 15, "item_ids": [toy["id"]], "pain": 1, "notes": f"{MARKER} n"},
    )  # fmt: skip
    owner.ok(
        "POST", "plans", 201,
        json={"name": f"{MARKER} plan", "schedule": "every night", "at": "21:30",
              "duration_min": 20},
    )  # fmt: skip
    neutral = fetch(call(owner, "POST", 201, json={"explicit": False})["url"]).text
    assert MARKER not in neutral
    assert "Evening routine" in neutral
    explicit = fetch(call(owner, "POST", 201, json={"explicit": True})["url"]).text
    assert f"Stretch session: {MARKER} plan" in explicit
    assert f"{MARKER} n" not in explicit and f"{MARKER} plug" not in explicit


def test_the_management_routes_need_a_sign_in_and_work_with_a_token(
    anonymous: User, owner_token: User
):
    for method in ("GET", "POST", "DELETE"):
        response = anonymous.request(method, "calendar-feed", json={})
        assert response.status_code == 401
    made = call(owner_token, "POST", 201, json={"explicit": True})
    assert fetch(made["url"]).status_code == 200


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"explicit": "yes"}, ["body", "explicit"]),
        ({"explicit": 1}, ["body", "explicit"]),
        ({"neutral": True}, ["body", "neutral"]),
    ],
)
def test_bad_input_is_a_422_and_makes_no_feed(owner: User, body, loc):
    detail = call(owner, "POST", 422, json=body)["detail"]
    assert detail[0]["loc"] == loc
    assert call(owner, "GET", 200)["exists"] is False


def test_one_persons_feed_is_not_anothers(owner: User, stranger: User):
    url = call(owner, "POST", 201, json={})["url"]
    assert call(stranger, "GET", 200)["exists"] is False
    call(stranger, "DELETE", 404)
    assert fetch(url).status_code == 200
