"""The decoy PIN: the username with the PIN signs in to an empty profile that is not yours.

A marker is planted in every kind of record of the real account; the decoy session
then walks every GET route of the API and every page, and the marker (and the real
account's secrets) appear in none of them.
"""

from __future__ import annotations

import uuid

import httpx
import pyotp
import pytest
from sqlalchemy import text

from easein.store.db import make_engine
from tests.api.conftest import API, PASSWORD, Clients, User, openapi_document, readable, seed

PIN = "4812"
PAGES = ["/", "/log", "/toys", "/progress", "/history", "/plans", "/settings", "/more",
         "/together", "/wear", "/guided", "/progress/goal", "/settings/data", "/report",
         "/settings/data/export.json"]  # fmt: skip


def login(base_url: str, username: str, password: str, **extra: str) -> httpx.Response:
    with httpx.Client(base_url=base_url) as client:
        return client.post(
            f"{API}/auth/login", json={"username": username, "password": password, **extra}
        )


def decoy_session(clients: Clients, username: str) -> User:
    client = clients._client(headers={"User-Agent": "decoy browser"})
    done = client.post(f"{API}/auth/login", json={"username": username, "password": PIN})
    assert done.status_code == 200, done.text
    client.headers["X-CSRF-Token"] = done.json()["csrf_token"]
    return User(client, "cookie", username, PIN, done.json()["csrf_token"])


@pytest.fixture
def alice(clients: Clients) -> User:
    user = clients.sign_up("alice")
    seed(user, f"REAL-{uuid.uuid4().hex[:8]}")
    return user


def test_setting_the_pin_needs_the_password_and_digits(live_server, alice):
    assert alice.ok("GET", "account/decoy") == {"enabled": False}
    wrong = alice.request("PUT", "account/decoy", json={"password": "nope", "pin": PIN})
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["loc"] == ["body", "password"]
    for pin in ("12", "12ab", "1234567890123"):
        bad = alice.request("PUT", "account/decoy", json={"password": PASSWORD, "pin": pin})
        assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "pin"], pin
    assert login(live_server.url, "alice", PIN).status_code == 401
    alice.ok("PUT", "account/decoy", 204, json={"password": PASSWORD, "pin": PIN})
    assert alice.ok("GET", "account/decoy") == {"enabled": True}


def test_the_pin_must_not_be_the_password(clients):
    digits = "739182645"
    user = clients.sign_up("digits", password=digits)
    same = user.request("PUT", "account/decoy", json={"password": digits, "pin": digits})
    assert same.status_code == 422 and same.json()["detail"][0]["type"] == "pin_is_password"


def test_the_decoy_is_an_empty_account_that_never_shows_the_real_one(live_server, clients, alice):
    marker = alice.data["marker"]
    alice.ok("PUT", "account/decoy", 204, json={"password": PASSWORD, "pin": PIN})
    before = alice.export()
    decoy = decoy_session(clients, "alice")

    assert decoy.ok("GET", "profile")["username"] == "alice"  # looks like the real name
    assert decoy.ok("GET", "toys") == [] and decoy.ok("GET", "sessions") == []
    assert decoy.ok("GET", "account/decoy") == {"enabled": False}
    assert decoy.ok("GET", "account/totp")["enabled"] is False
    secrets = [marker, alice.data["token"], "!alice"]
    document = openapi_document()
    for path, operations in document["paths"].items():
        if "get" not in operations or "{" in path:
            continue
        response = decoy.get(path)
        assert response.status_code in (200, 404), (path, response.status_code)
        for secret in secrets:
            assert secret not in readable(response), f"{secret!r} in the decoy's {path}"
    for path in PAGES:
        response = decoy.get(path)
        assert response.status_code == 200, path
        for secret in secrets:
            assert secret not in response.text, f"{secret!r} on the decoy's page {path}"
    for name, value in alice.data.items():  # the real ids are not the decoy's
        if name.endswith("_id") and name not in ("sign_in_id", "token_id"):
            kind = {"toy_id": "toys", "session_id": "sessions"}.get(name)
            if kind:
                assert decoy.get(f"{kind}/{value}").status_code == 404

    # what the decoy writes stays in the decoy
    decoy.ok("POST", "toys", 201, json={"name": "decoy plug", "kind": "plug",
                                         "diameter_mm": 18.0, "base": "flared"})  # fmt: skip
    assert alice.export() == before
    assert "decoy plug" not in str(alice.ok("GET", "toys"))
    # the real account's sign-ins list nothing of the decoy's
    assert all(s["name"] != "decoy browser" for s in alice.ok("GET", "auth/sessions"))


def test_a_wrong_pin_is_a_wrong_password_and_the_real_password_still_works(live_server, alice):
    alice.ok("PUT", "account/decoy", 204, json={"password": PASSWORD, "pin": PIN})
    wrong = login(live_server.url, "alice", "4813")
    unknown = login(live_server.url, "nobody", "4813")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.content == unknown.content
    real = login(live_server.url, "alice", PASSWORD)
    assert real.status_code == 200
    assert login(live_server.url, "!alice", "not the pin").status_code == 401


def test_the_decoy_needs_no_second_factor(live_server, clients, alice):
    made = alice.ok("POST", "account/totp", 201, json={"password": PASSWORD})
    first = str(pyotp.TOTP(made["secret"]).at(live_server.clock.now))
    alice.ok("POST", "account/totp/confirm", json={"code": first})
    alice.ok("PUT", "account/decoy", 204, json={"password": PASSWORD, "pin": PIN})
    assert login(live_server.url, "alice", PASSWORD).json()["code"] == "totp_required"
    decoy = decoy_session(clients, "alice")
    assert decoy.ok("GET", "toys") == []


def test_removing_the_pin_or_the_account_removes_the_decoy(live_server, database_url, alice):
    alice.ok("PUT", "account/decoy", 204, json={"password": PASSWORD, "pin": PIN})
    alice.ok("PUT", "account/decoy", 204, json={"password": PASSWORD, "pin": "99887766"})
    assert login(live_server.url, "alice", PIN).status_code == 401  # replaced
    assert login(live_server.url, "alice", "99887766").status_code == 200
    assert people(database_url) == 2
    alice.ok("DELETE", "account/decoy", 204, json={"password": PASSWORD})
    assert login(live_server.url, "alice", "99887766").status_code == 401
    assert people(database_url) == 1
    alice.ok("PUT", "account/decoy", 204, json={"password": PASSWORD, "pin": PIN})
    alice.ok("DELETE", "account", 204, json={"password": PASSWORD})
    assert people(database_url) == 0
    assert login(live_server.url, "alice", PIN).status_code == 401


def people(database_url: str) -> int:
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM people")).scalar_one())
    finally:
        engine.dispose()


def test_the_decoy_pin_in_the_sign_in_form(live_server, alice):
    alice.ok("PUT", "account/decoy", 204, json={"password": PASSWORD, "pin": PIN})
    with httpx.Client(base_url=live_server.url) as browser:
        signed_in = browser.post("/login", data={"username": "alice", "password": PIN})
        assert signed_in.status_code == 303 and signed_in.headers["location"] == "/"
        for path in PAGES:
            page = browser.get(path)
            assert page.status_code == 200, path
            assert alice.data["marker"] not in page.text and "!alice" not in page.text
        settings = browser.get("/settings").text
        assert "A decoy PIN is set" not in settings and "Set a decoy PIN" in settings
