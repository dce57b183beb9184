"""Password rules at sign-up and password change (API and forms), the re-hash at sign-in,
and sign-in refusals that do not tell an unknown name from a wrong password.
"""

from __future__ import annotations

import uuid

import httpx
import pytest
from argon2 import extract_parameters
from sqlalchemy import text

from easein.settings import Settings
from easein.store.db import make_engine
from tests.api.conftest import API, PASSWORD, Clients
from tests.conftest import fast_hashing, serving
from tests.web.helpers import field_errors, signed_up


def register(client: httpx.Client, username: str, password: str) -> httpx.Response:
    body = {"username": username, "password": password, "adult": True}
    return client.post(f"{API}/accounts", json=body)


def login(client: httpx.Client, username: str, password: str) -> httpx.Response:
    return client.post(f"{API}/auth/login", json={"username": username, "password": password})


# --- the rules, over HTTP ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "password"),
    [
        ("string_too_short", "seven c"),  # the schema's own check comes first
        ("string_too_long", "x" * 257),
        ("password_blank", " " * 12),
        ("password_common", "iloveyou"),
        ("password_common", "Password1"),  # compared without case
        ("password_common", "QWERTYUIOP "),
        ("password_is_username", "{name}"),
        ("password_is_username", "{NAME}"),
    ],
)
def test_sign_up_refuses_a_password_breaking_a_rule_with_a_422_naming_it(
    shared_clients: Clients, rule, password
):
    client = shared_clients.anonymous().client
    name = f"pw-{uuid.uuid4().hex[:8]}"
    password = password.format(name=name, NAME=name.upper())
    refused = register(client, name, password)
    assert refused.status_code == 422, refused.text
    (problem,) = refused.json()["detail"]
    assert problem["loc"] == ["body", "password"]
    assert problem["type"] == rule
    assert login(client, name, password).status_code in (401, 422)  # nothing was made


@pytest.mark.parametrize("password", ["8 chars!", "w" * 64, "a long passphrase " * 14])
def test_long_passphrases_and_no_composition_rules(shared_clients: Clients, password):
    client = shared_clients.anonymous().client
    name = f"pw-{uuid.uuid4().hex[:8]}"
    assert register(client, name, password).status_code == 201
    assert login(client, name, password).status_code == 200


def test_a_new_password_follows_the_same_rules(shared_clients: Clients):
    alice = shared_clients.sign_up()
    for new, rule in [("Football", "password_common"), (alice.username, "password_is_username")]:
        refused = alice.post(
            "account/password", json={"current_password": PASSWORD, "new_password": new}
        )
        assert refused.status_code == 422, refused.text
        (problem,) = refused.json()["detail"]
        assert (problem["loc"], problem["type"]) == (["body", "new_password"], rule)
    assert login(shared_clients.anonymous().client, str(alice.username), PASSWORD).is_success


def test_the_forms_show_the_rule_next_to_the_field(live_server):
    with httpx.Client(base_url=live_server.url) as client:
        form = {"username": "robin", "password": "Sunshine1", "adult": "yes", "timezone": "UTC"}
        refused = client.post("/signup", data=form)
        assert refused.status_code == 422
        assert "most common passwords" in field_errors(refused.text)[0]
    client, csrf = signed_up(live_server.url, "alice-smith")
    for new, message in [
        ("Alice-Smith", "new_password: must not be your username"),
        ("baseball", "new_password: this is one of the most common passwords"),
    ]:
        change = {"csrf_token": csrf, "current_password": PASSWORD, "new_password": new}
        refused = client.post("/settings/password", data=change)
        assert refused.status_code == 422
        assert field_errors(refused.text)[0].startswith(message), field_errors(refused.text)
    client.close()


# --- re-hash at sign-in -----------------------------------------------------------------------


def stored_hash(database_url: str, username: str) -> str:
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            query = text("SELECT password_hash FROM accounts WHERE username = :name")
            return str(conn.execute(query, {"name": username}).scalar_one())
    finally:
        engine.dispose()


def test_a_hash_with_other_parameters_is_redone_at_the_next_sign_in(database_url, clock):
    """The cost went up (new settings): the next right password re-hashes; a wrong one does not."""
    cheap_server = serving(fast_hashing(Settings(database_url=database_url)), clock)
    with cheap_server as old, httpx.Client(base_url=old.url) as client:
        assert register(client, "alice", PASSWORD).status_code == 201
    cheap = stored_hash(database_url, "alice")
    assert extract_parameters(cheap).memory_cost == 64

    stronger = Settings(
        database_url=database_url,
        argon2_time_cost=2,
        argon2_memory_kib=19456,  # OWASP's minimum: fast enough for a test
        argon2_parallelism=1,
    )
    with serving(stronger, clock) as new, httpx.Client(base_url=new.url) as client:
        assert login(client, "alice", "not the password").status_code == 401
        assert stored_hash(database_url, "alice") == cheap  # no re-hash without the password
        assert login(client, "alice", PASSWORD).status_code == 200
        redone = stored_hash(database_url, "alice")
        params = extract_parameters(redone)
        assert (params.time_cost, params.memory_cost, params.parallelism) == (2, 19456, 1)
        assert login(client, "alice", PASSWORD).status_code == 200  # and it verifies
        assert stored_hash(database_url, "alice") == redone  # once: same parameters now


def test_every_stored_password_hash_is_argon2id_with_the_chosen_parameters(database_url, clock):
    """Through every way a hash is written (sign-up on the API and the form, a password
    change, a decoy PIN), each stored hash is Argon2id v19 with the settings' parameters."""
    chosen = Settings(
        database_url=database_url, argon2_time_cost=2, argon2_memory_kib=19456, argon2_parallelism=1
    )
    with serving(chosen, clock) as server:
        made = Clients(server.url)
        try:
            alice = made.sign_up("alice")
            made.sign_up("bob")
            anew = PASSWORD + " anew"
            change = {"current_password": PASSWORD, "new_password": anew}
            alice.ok("POST", "account/password", 204, json=change)
            alice.ok("PUT", "account/decoy", 204, json={"password": anew, "pin": "482913"})
        finally:
            made.close()
        browser, _ = signed_up(server.url, "carol")
        browser.close()
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            hashes = [str(h) for (h,) in conn.execute(text("SELECT password_hash FROM accounts"))]
    finally:
        engine.dispose()
    assert len(hashes) == 4  # alice, bob, carol and alice's decoy profile
    for stored in hashes:
        assert stored.startswith("$argon2id$v=19$"), stored[:16]
        params = extract_parameters(stored)
        assert (params.time_cost, params.memory_cost, params.parallelism) == (2, 19456, 1)


# --- unknown names and wrong passwords look the same ---------------------------------------


def test_throttled_unknown_and_known_names_look_the_same(live_server, clients: Clients):
    clients.sign_up("alice")
    client = clients.anonymous().client
    for name in ("alice", "nobody"):
        for _ in range(live_server.settings.login_max_failures):
            assert login(client, name, "guessing").status_code == 401
    known, unknown = login(client, "alice", "guessing"), login(client, "nobody", "guessing")
    assert known.status_code == unknown.status_code == 429
    assert known.content == unknown.content
    drop = {"date", "content-length"}
    assert {k: v for k, v in known.headers.items() if k not in drop} == {
        k: v for k, v in unknown.headers.items() if k not in drop
    }


def test_the_login_form_answers_an_unknown_name_as_a_wrong_password(live_server):
    client, _ = signed_up(live_server.url, "alice")
    client.close()
    with httpx.Client(base_url=live_server.url) as browser:
        wrong = browser.post("/login", data={"username": "alice", "password": "not it at all"})
        unknown = browser.post("/login", data={"username": "nobody", "password": "not it at all"})
    assert wrong.status_code == unknown.status_code == 422
    assert field_errors(wrong.text) == field_errors(unknown.text) == ["wrong username or password"]
    # The page keeps the name typed; apart from it, the two pages are the same.
    assert wrong.text.replace("alice", "NAME") == unknown.text.replace("nobody", "NAME")
    assert "set-cookie" not in wrong.headers and "set-cookie" not in unknown.headers


# --- Unicode: one password however its letters were composed -------------------------------

COMPOSED = "caf\u00e9 au lait du matin"  # é as one code point (NFC, NFKC)
DECOMPOSED = "cafe\u0301 au lait du matin"  # e and a combining acute accent (NFD)


def test_a_password_signs_in_however_its_accents_were_composed(live_server, clients: Clients):
    assert register(clients.anonymous().client, "alice", DECOMPOSED).status_code == 201
    client = clients.anonymous().client
    assert login(client, "alice", COMPOSED).status_code == 200
    assert login(client, "alice", DECOMPOSED).status_code == 200
    assert login(client, "alice", "cafe au lait du matin").status_code == 401  # not stripped


def test_a_hash_of_a_password_as_typed_is_redone_in_normal_form(database_url, live_server, clients):
    """A hash made before normalising holds the decomposed form: it still signs in, and
    that sign-in redoes the hash, after which either form works."""
    from argon2 import PasswordHasher, Type
    from argon2.exceptions import VerifyMismatchError

    clients.sign_up("alice")
    plain = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1, type=Type.ID)
    engine = make_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text("UPDATE accounts SET password_hash = :h WHERE username = 'alice'"),
                {"h": plain.hash(DECOMPOSED)},
            )
    finally:
        engine.dispose()
    client = clients.anonymous().client
    assert login(client, "alice", "not the password").status_code == 401
    assert login(client, "alice", DECOMPOSED).status_code == 200
    redone = stored_hash(database_url, "alice")
    assert plain.verify(redone, COMPOSED)
    with pytest.raises(VerifyMismatchError):
        plain.verify(redone, DECOMPOSED)
    assert login(client, "alice", COMPOSED).status_code == 200
    assert stored_hash(database_url, "alice") == redone
