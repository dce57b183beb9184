"""Accounts and sign-in sessions over real HTTP: register, sign in and out, passwords,
sign-ins, personal access tokens, deletion, throttling and expiry.

The injected clock (`live_server.clock`) moves time; nothing sleeps.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import inspect, text

from easein.store.db import make_engine
from tests.api.conftest import API, PASSWORD, Clients, User

NEW_PASSWORD = "another long passphrase"


def register(client: httpx.Client, **body: Any) -> httpx.Response:
    payload = {"username": "alice", "password": PASSWORD, "adult": True, **body}
    return client.post(f"{API}/accounts", json={k: v for k, v in payload.items() if v is not ...})


def login(client: httpx.Client, username: str, password: str) -> httpx.Response:
    return client.post(f"{API}/auth/login", json={"username": username, "password": password})


def session_cookie(response: httpx.Response) -> dict[str, str]:
    """The attributes of the session cookie set by `response` (names lower-cased)."""
    for header in response.headers.get_list("set-cookie"):
        name, _, rest = header.partition("=")
        if name.strip() == "easein_session":
            value, *attributes = rest.split(";")
            parsed = {"value": value.strip()}
            for attribute in attributes:
                key, _, val = attribute.strip().partition("=")
                parsed[key.lower()] = val
            return parsed
    raise AssertionError(f"no session cookie in {response.headers.get_list('set-cookie')}")


def with_cookie(base_url: str, token: str) -> httpx.Client:
    return httpx.Client(base_url=base_url, cookies={"easein_session": token})


def loc(response: httpx.Response) -> list[Any]:
    assert response.status_code == 422, (response.status_code, response.text)
    return response.json()["detail"][0]["loc"]


# --- registration ----------------------------------------------------------------------------


@pytest.fixture
def newcomer(shared_clients: Clients) -> tuple[httpx.Client, str]:
    """Someone not signed in, and a name nobody has, on the module's server."""
    return shared_clients.anonymous().client, f"new-{uuid.uuid4().hex[:10]}"


@pytest.mark.parametrize("adult", [False, ..., "yes", 1, None])
def test_registration_needs_the_adult_confirmation(newcomer, adult):
    client, name = newcomer
    refused = register(client, username=name, adult=adult)
    assert refused.status_code == 422, refused.text
    assert refused.json()["detail"][0]["loc"] == ["body", "adult"]
    assert login(client, name, PASSWORD).status_code == 401  # nothing was made


def test_an_adult_registers_and_is_signed_in(anonymous: User):
    made = register(anonymous.client, username="Alice", timezone="Europe/Berlin", units="in")
    assert made.status_code == 201, made.text
    assert made.json()["username"] == "alice"
    assert len(made.json()["csrf_token"]) >= 32
    assert session_cookie(made)["value"]
    assert anonymous.ok("GET", "profile") == {
        "username": "alice",
        "timezone": "Europe/Berlin",
        "units": "in",
    }
    csrf = {"X-CSRF-Token": made.json()["csrf_token"]}
    changed = anonymous.ok("PATCH", "profile", json={"timezone": "America/New_York"}, headers=csrf)
    assert changed == {"username": "alice", "timezone": "America/New_York", "units": "in"}
    assert anonymous.ok("GET", "profile") == changed


@pytest.mark.parametrize("same", ["alice", "ALICE", " alice "])
def test_a_taken_username_is_a_conflict(clients: Clients, same):
    clients.sign_up("alice")
    again = register(clients.anonymous().client, username=same)
    assert again.status_code == 409, again.text
    assert "taken" in again.json()["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"password": "short"}, "password"),
        ({"password": ""}, "password"),
        ({"password": 12345678}, "password"),
        ({"username": "ab"}, "username"),
        ({"username": "has space"}, "username"),
        ({"username": "slash/es"}, "username"),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"units": "furlong"}, "units"),
        ({"extra": True}, "extra"),
    ],
)
def test_bad_registrations_are_422_naming_the_field(newcomer, body, field):
    client, name = newcomer
    refused = register(client, **{"username": name, **body})
    assert loc(refused) == ["body", field]
    assert login(client, body.get("username", name), PASSWORD).status_code == 401


def test_a_password_of_only_spaces_is_refused(newcomer):
    """Twelve spaces pass the length rule but are no password at all."""
    client, name = newcomer
    refused = register(client, username=name, password=" " * 12)
    assert loc(refused) == ["body", "password"]


@pytest.mark.parametrize("timezone", ["America", "Etc"])
def test_a_time_zone_folder_is_a_422_not_a_500(newcomer, timezone):
    """`America` is a directory of the tz database: ZoneInfo raises IsADirectoryError."""
    client, name = newcomer
    refused = register(client, username=name, timezone=timezone)
    assert loc(refused) == ["body", "timezone"]


def test_registering_a_name_with_failed_sign_ins_is_all_or_nothing(live_server, clients):
    """Failed sign-ins for a not-yet-taken name must not leave a half-made account."""
    anonymous = clients.anonymous().client
    for _ in range(live_server.settings.login_max_failures):
        assert login(anonymous, "carol", "guessing").status_code == 401
    made = register(anonymous, username="carol")
    if made.status_code != 201:
        live_server.clock.advance(minutes=live_server.settings.login_window_minutes + 1)
        again = register(clients.anonymous().client, username="carol")
        assert again.status_code == 201, (
            f"the refused registration ({made.status_code}) still created the account: "
            f"{again.status_code} {again.text}"
        )


# --- signing in and out ----------------------------------------------------------------------


def test_login_sets_an_httponly_samestrict_cookie(live_server, clients: Clients):
    clients.sign_up("alice")
    done = login(clients.anonymous().client, "alice", PASSWORD)
    assert done.status_code == 200, done.text
    cookie = session_cookie(done)
    assert "httponly" in cookie
    assert cookie["samesite"].lower() == "strict"
    assert cookie["path"] == "/"
    assert "secure" not in cookie  # served over http here: secure_cookies is off
    assert int(cookie["max-age"]) == live_server.settings.session_max_days * 86400
    assert len(cookie["value"]) >= 22  # at least 128 bits, url-safe base64
    assert done.json()["username"] == "alice"


def test_each_login_gives_a_new_token(clients: Clients):
    alice = clients.sign_up("alice")
    client = clients.anonymous().client
    first = login(client, "Alice", PASSWORD)
    second = login(client, "alice", PASSWORD)
    assert first.status_code == second.status_code == 200
    tokens = {session_cookie(r)["value"] for r in (first, second)}
    assert len(tokens) == 2
    assert first.json()["csrf_token"] != second.json()["csrf_token"]
    assert len(alice.ok("GET", "auth/sessions")) == 3  # sign-up, then two logins


def test_logout_ends_the_session(live_server, clients: Clients):
    alice = clients.sign_up("alice")
    token = alice.client.cookies["easein_session"]
    assert alice.ok("POST", "auth/logout", 204) is None
    with with_cookie(live_server.url, token) as old:
        refused = old.get(f"{API}/profile")
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"].lower().startswith("bearer")
    assert refused.json() == {"detail": "sign in first"}


def test_an_unknown_user_and_a_wrong_password_look_the_same(clients: Clients):
    clients.sign_up("alice")
    client = clients.anonymous().client
    wrong = login(client, "alice", "not the password")
    unknown = login(client, "nobody", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.content == unknown.content
    drop = {"date", "content-length"}
    assert {k: v for k, v in wrong.headers.items() if k not in drop} == {
        k: v for k, v in unknown.headers.items() if k not in drop
    }
    assert "set-cookie" not in wrong.headers


# --- throttling ------------------------------------------------------------------------------


def test_repeated_failures_are_throttled_then_the_window_passes(live_server, clients: Clients):
    settings = live_server.settings
    clients.sign_up("alice")
    bob = clients.sign_up("bob")
    client = clients.anonymous().client
    for _ in range(settings.login_max_failures):
        assert login(client, "alice", "guessing").status_code == 401
    throttled = login(client, "alice", PASSWORD)  # even the right password
    assert throttled.status_code == 429, throttled.text
    assert "too many" in throttled.json()["detail"]
    assert "set-cookie" not in throttled.headers
    assert login(client, "alice", "guessing").status_code == 429
    assert login(client, "ALICE", PASSWORD).status_code == 429  # the same name
    assert login(client, "bob", PASSWORD).status_code == 200  # others are not blocked
    assert bob.ok("GET", "profile")["username"] == "bob"

    live_server.clock.advance(minutes=settings.login_window_minutes - 1)
    assert login(client, "alice", PASSWORD).status_code == 429
    live_server.clock.advance(minutes=2)
    assert login(client, "alice", PASSWORD).status_code == 200


def test_a_successful_login_forgets_earlier_failures(live_server, clients: Clients):
    clients.sign_up("alice")
    client = clients.anonymous().client
    for _ in range(live_server.settings.login_max_failures - 1):
        assert login(client, "alice", "guessing").status_code == 401
    assert login(client, "alice", PASSWORD).status_code == 200
    for _ in range(live_server.settings.login_max_failures - 1):
        assert login(client, "alice", "guessing").status_code == 401
    assert login(client, "alice", PASSWORD).status_code == 200


# --- expiry ----------------------------------------------------------------------------------


def test_a_sign_in_idle_too_long_expires(live_server, clients: Clients):
    alice = clients.sign_up("alice")
    idle = live_server.settings.session_idle_days
    live_server.clock.advance(days=idle - 1)
    assert alice.get("profile").status_code == 200  # use keeps it alive
    live_server.clock.advance(days=idle, minutes=1)
    expired = alice.get("profile")
    assert expired.status_code == 401
    assert "expired" in expired.json()["detail"]
    assert login(alice.client, "alice", PASSWORD).status_code == 200  # signing in again works


def test_a_sign_in_in_use_still_ends_at_its_absolute_expiry(live_server, clients: Clients):
    alice = clients.sign_up("alice")
    settings = live_server.settings
    step = settings.session_idle_days - 1
    used = 0
    while used + step < settings.session_max_days:
        live_server.clock.advance(days=step)
        used += step
        assert alice.get("profile").status_code == 200, used
    live_server.clock.advance(days=settings.session_max_days - used)
    assert alice.get("profile").status_code == 401


# --- password --------------------------------------------------------------------------------


def test_changing_the_password_needs_the_current_one(clients: Clients):
    alice = clients.sign_up("alice")
    refused = alice.post(
        "account/password", json={"current_password": "wrong guess", "new_password": NEW_PASSWORD}
    )
    assert loc(refused) == ["body", "current_password"]
    short = alice.post(
        "account/password", json={"current_password": PASSWORD, "new_password": "short"}
    )
    assert loc(short) == ["body", "new_password"]
    client = clients.anonymous().client
    assert login(client, "alice", PASSWORD).status_code == 200  # unchanged
    assert login(client, "alice", NEW_PASSWORD).status_code == 401


def test_changing_the_password_ends_the_other_sign_ins_and_tokens(live_server, clients: Clients):
    alice = clients.sign_up("alice", agent="phone")
    laptop = clients.sign_in(alice, agent="laptop")
    script = clients.bearer(alice)
    done = alice.post(
        "account/password", json={"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert done.status_code == 204, done.text
    assert laptop.get("profile").status_code == 401
    assert script.get("profile").status_code == 401  # a token made before the change ends
    assert alice.ok("GET", "tokens") == []
    assert alice.get("profile").status_code == 200  # this one goes on
    assert [s["name"] for s in alice.ok("GET", "auth/sessions")] == ["phone"]
    client = clients.anonymous().client
    assert login(client, "alice", PASSWORD).status_code == 401
    assert login(client, "alice", NEW_PASSWORD).status_code == 200


def test_a_token_that_changes_the_password_goes_on_and_the_others_end(clients: Clients):
    alice = clients.sign_up("alice", agent="phone")
    script, other = clients.bearer(alice), clients.bearer(alice)
    done = script.post(
        "account/password", json={"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert done.status_code == 204, done.text
    assert script.get("profile").status_code == 200
    assert other.get("profile").status_code == 401
    assert alice.get("profile").status_code == 401  # the browser sign-in ends too


# --- sign-ins --------------------------------------------------------------------------------


def test_list_and_end_your_other_sign_ins(clients: Clients):
    alice = clients.sign_up("alice", agent="phone")
    laptop = clients.sign_in(alice, agent="laptop")
    listed = alice.ok("GET", "auth/sessions")
    assert [(s["name"], s["current"], s["kind"]) for s in listed] == [
        ("phone", True, "browser"),
        ("laptop", False, "browser"),
    ]
    assert all(s["expires_at"] is not None for s in listed)
    other = listed[1]["id"]
    assert alice.ok("DELETE", f"auth/sessions/{other}", 204) is None
    assert laptop.get("profile").status_code == 401
    assert [s["name"] for s in alice.ok("GET", "auth/sessions")] == ["phone"]
    assert alice.delete(f"auth/sessions/{other}").status_code == 404


def test_another_persons_sign_in_is_not_found(clients: Clients):
    alice = clients.sign_up("alice")
    bob = clients.sign_up("bob")
    bobs = bob.ok("GET", "auth/sessions")[0]["id"]
    refused = alice.delete(f"auth/sessions/{bobs}")
    assert refused.status_code == 404
    assert bob.get("profile").status_code == 200
    assert [s["id"] for s in alice.ok("GET", "auth/sessions")] != [bobs]


@pytest.mark.parametrize("number", [2**31, 2**64], ids=["2**31", "2**64"])
@pytest.mark.parametrize("path", ["auth/sessions/{}", "tokens/{}"])
def test_an_id_too_large_for_the_database_is_not_found(shared_clients: Clients, path, number):
    alice = shared_clients.sign_up()
    refused = alice.delete(path.format(number))
    assert refused.status_code in (404, 422), refused.text


# --- personal access tokens ------------------------------------------------------------------


def test_a_personal_access_token_is_shown_once_used_as_bearer_and_revoked(
    live_server, clients: Clients
):
    alice = clients.sign_up("alice")
    made = alice.post("tokens", json={"name": "  my   script "})
    assert made.status_code == 201, made.text
    body = made.json()
    assert set(body) == {"id", "name", "token"}
    assert body["name"] == "my script"
    assert len(body["token"]) >= 22
    listed = alice.ok("GET", "tokens")
    assert [(t["id"], t["name"], t["kind"]) for t in listed] == [(body["id"], "my script", "token")]
    assert "token" not in listed[0]
    assert body["token"] not in alice.get("tokens").text  # shown once, never again

    with httpx.Client(
        base_url=live_server.url, headers={"Authorization": f"Bearer {body['token']}"}
    ) as script:
        assert script.get(f"{API}/profile").json()["username"] == "alice"
        # a Bearer request needs no CSRF token
        toy = script.post(
            f"{API}/toys",
            json={"name": "small", "kind": "plug", "diameter_mm": 20.0, "base": "flared"},
        )
        assert toy.status_code == 201, toy.text
        assert alice.ok("DELETE", f"tokens/{body['id']}", 204) is None
        revoked = script.get(f"{API}/profile")
        assert revoked.status_code == 401
        assert script.post(f"{API}/toys", json={"name": "x"}).status_code == 401
    assert alice.ok("GET", "tokens") == []
    assert alice.delete(f"tokens/{body['id']}").status_code == 404


def test_tokens_and_sign_ins_are_not_interchangeable(live_server, clients: Clients):
    alice = clients.sign_up("alice")
    cookie = alice.client.cookies["easein_session"]
    token = clients.bearer(alice).token
    with httpx.Client(base_url=live_server.url, headers={"Authorization": f"Bearer {cookie}"}) as c:
        assert c.get(f"{API}/profile").status_code == 401
    with with_cookie(live_server.url, token or "") as c:
        assert c.get(f"{API}/profile").status_code == 401
    with httpx.Client(base_url=live_server.url, headers={"Authorization": "Bearer nope"}) as c:
        assert c.get(f"{API}/profile").status_code == 401


def test_another_persons_token_cannot_be_revoked(clients: Clients):
    alice = clients.sign_up("alice")
    bob = clients.bearer(clients.sign_up("bob"))
    assert alice.delete(f"tokens/{bob.token_id}").status_code == 404
    assert bob.get("profile").status_code == 200


def test_a_cookie_write_needs_the_csrf_token_and_the_same_origin(live_server, clients: Clients):
    alice = clients.sign_up("alice")
    toy = {"name": "small", "kind": "plug", "diameter_mm": 20.0, "base": "flared"}
    without = alice.post("toys", json=toy, headers={"X-CSRF-Token": ""})
    assert without.status_code == 403
    wrong = alice.post("toys", json=toy, headers={"X-CSRF-Token": "0" * 64})
    assert wrong.status_code == 403
    cross = alice.post("toys", json=toy, headers={"Origin": "https://elsewhere.example"})
    assert cross.status_code == 403
    assert alice.ok("GET", "toys") == []
    same = alice.post("toys", json=toy, headers={"Origin": live_server.url})
    assert same.status_code == 201, same.text


# --- deleting the account --------------------------------------------------------------------


def row_counts(database_url: str) -> dict[str, int]:
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            names = inspect(conn).get_table_names()
            return {
                name: conn.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()
                for name in names
                if name
                not in ("alembic_version", "login_failures", "installation_key")  # no person's
            }
    finally:
        engine.dispose()


def test_deleting_the_account_needs_the_password_and_removes_everything(
    live_server, clients: Clients
):
    from tests.api.conftest import seed

    alice = clients.sign_up("alice")
    seed(alice, "ALICE-SECRET")
    script = clients.bearer(alice)
    laptop = clients.sign_in(alice)
    assert any(row_counts(live_server.settings.database_url or "").values())

    refused = alice.request("DELETE", "account", json={"password": "wrong guess"})
    assert loc(refused) == ["body", "password"]
    assert alice.get("profile").status_code == 200

    done = alice.request("DELETE", "account", json={"password": PASSWORD})
    assert done.status_code == 204, done.text
    for who in (alice, script, laptop):
        assert who.get("profile").status_code == 401
    assert login(clients.anonymous().client, "alice", PASSWORD).status_code == 401
    left = row_counts(live_server.settings.database_url or "")
    assert left == dict.fromkeys(left, 0), left

    again = clients.sign_up("alice")  # the name is free again, and the account is empty
    assert again.export()["toys"] == again.export()["sessions"] == []


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("tokens", {"name": "   "}),
        ("toys", {"name": " \t ", "kind": "plug", "diameter_mm": 20.0, "base": "flared"}),
        ("plans", {"name": "  ", "schedule": "nightly", "at": "21:30", "duration_min": 20}),
    ],
    ids=["token", "item", "plan"],
)
def test_a_name_of_only_spaces_is_refused_by_the_schema_itself(clients: Clients, path, body):
    """The schema says so (a pattern), so a client reading it does not send one."""
    alice = clients.sign_up("alice")
    refused = alice.post(path, json=body)
    assert refused.status_code == 422, refused.text
    (problem,) = refused.json()["detail"]
    assert problem["loc"] == ["body", "name"] and problem["type"] == "string_pattern_mismatch"
    assert alice.ok("GET", path) == []  # nothing was made
