"""The recovery key over real HTTP: shown once at sign-up, resets a forgotten password.

A wrong key and an unknown name get the same refusal and count toward the same limit
as wrong passwords; a malformed key or new password gets a 422 naming the field and the
rule, and then nothing changes. The injected clock moves time; nothing sleeps.
"""

from __future__ import annotations

import hashlib
import re

import pytest
from sqlalchemy import text

from easein.store.custody import format_recovery_key
from easein.store.db import make_engine
from tests.api.conftest import API, PASSWORD, Clients, User

NEW_PASSWORD = "another long passphrase"
SHAPE = re.compile(r"^([0-9A-Z]{4}-){13}[0-9A-Z]{4}$")


def recover(clients: Clients, username: str, key: str, new_password: str = NEW_PASSWORD):
    return clients.anonymous().client.post(
        f"{API}/account/recover",
        json={"username": username, "recovery_key": key, "new_password": new_password},
    )


def login(clients: Clients, username: str, password: str) -> int:
    return (
        clients.anonymous()
        .client.post(f"{API}/auth/login", json={"username": username, "password": password})
        .status_code
    )


def stored(database_url: str, sql: str) -> list[tuple]:
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql))]
    finally:
        engine.dispose()


def test_sign_up_shows_a_recovery_key_once_and_keeps_only_a_hash(clients, database_url):
    alice = clients.sign_up("alice")
    key = alice.data["recovery_key"]
    assert SHAPE.match(key), key
    ((kept,),) = stored(database_url, "SELECT recovery_key_hash FROM accounts")
    assert len(kept) == 64 and key not in kept
    assert kept not in (hashlib.sha256(key.encode()).hexdigest(),)
    # Not in any other answer either: signing in or the profile does not show it again.
    again = clients.sign_in(alice)
    assert (
        "recovery_key"
        not in again.client.post(
            f"{API}/auth/login", json={"username": "alice", "password": PASSWORD}
        ).json()
    )
    assert key not in alice.get("profile").text


def test_the_recovery_key_sets_a_new_password_and_ends_every_sign_in(clients: Clients):
    alice = clients.sign_up("alice")
    laptop, script = clients.sign_in(alice), clients.bearer(alice)
    done = recover(clients, "alice", alice.data["recovery_key"])
    assert done.status_code == 200, done.text
    following = done.json()["recovery_key"]
    assert SHAPE.match(following) and following != alice.data["recovery_key"]
    assert login(clients, "alice", NEW_PASSWORD) == 200
    assert login(clients, "alice", PASSWORD) == 401
    for ended in (alice, laptop, script):
        assert ended.get("profile").status_code == 401
    # The key is used up; the next one works.
    assert (
        recover(clients, "alice", alice.data["recovery_key"], "yet another passphrase").status_code
        == 401
    )
    assert recover(clients, "alice", following, "yet another passphrase").status_code == 200
    assert login(clients, "alice", "yet another passphrase") == 200


def test_a_recovery_key_typed_carelessly_still_works(clients: Clients):
    alice = clients.sign_up("alice")
    careless = " ".join(alice.data["recovery_key"].lower().split("-"))
    careless = careless.replace("0", "o").replace("1", "l")
    assert recover(clients, "Alice ", careless).status_code == 200
    assert login(clients, "alice", NEW_PASSWORD) == 200


def test_a_wrong_key_and_an_unknown_name_get_the_same_refusal(clients: Clients):
    alice = clients.sign_up("alice")
    wrong = format_recovery_key(bytes(32))
    refusals = [
        recover(clients, "alice", wrong),
        recover(clients, "nobody-here", wrong),
        recover(clients, "nobody-here", alice.data["recovery_key"]),
    ]
    assert {r.status_code for r in refusals} == {401}
    assert len({r.content for r in refusals}) == 1
    assert refusals[0].json()["detail"] == "wrong username or recovery key"
    assert login(clients, "alice", PASSWORD) == 200  # nothing changed


def test_wrong_keys_count_toward_the_limit_on_the_name(clients: Clients, live_server):
    alice = clients.sign_up("alice")
    wrong = format_recovery_key(bytes(32))
    for _ in range(5):
        assert recover(clients, "alice", wrong).status_code == 401
    assert recover(clients, "alice", alice.data["recovery_key"]).status_code == 429
    assert login(clients, "alice", PASSWORD) == 429  # the same per-name limit
    live_server.clock.advance(minutes=16)
    assert recover(clients, "alice", alice.data["recovery_key"]).status_code == 200


@pytest.mark.parametrize(
    ("key", "new_password", "field", "rule"),
    [
        ("ABCD-EFGH", NEW_PASSWORD, "recovery_key", "recovery_key_malformed"),
        ("U" * 56, NEW_PASSWORD, "recovery_key", "recovery_key_malformed"),
        ("typo", NEW_PASSWORD, "recovery_key", "recovery_key_malformed"),
        (None, "password", "new_password", "password_common"),
        (None, "alice", "new_password", "string_too_short"),
        (None, "x" * 257, "new_password", "string_too_long"),
    ],
    ids=["too short", "not base32", "a typo", "common password", "short", "long"],
)
def test_bad_input_names_the_field_and_rule_and_changes_nothing(
    clients: Clients, key, new_password, field, rule
):
    alice = clients.sign_up("alice")
    real = alice.data["recovery_key"]
    if key == "typo":  # one symbol changed: the checksum tells it from a wrong key
        key = ("0" if real[0] != "0" else "1") + real[1:]
    refused = recover(clients, "alice", key or real, new_password)
    assert refused.status_code == 422, refused.text
    (problem,) = refused.json()["detail"]
    assert problem["loc"][-1] == field and problem["type"] == rule, problem
    assert login(clients, "alice", PASSWORD) == 200
    assert recover(clients, "alice", real).status_code == 200  # the key still works


def test_a_new_recovery_key_needs_the_password_and_ends_the_old_one(clients: Clients):
    alice = clients.sign_up("alice")
    refused = alice.post("account/recovery-key", json={"password": "not my password"})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"][-1] == "password"
    made = alice.ok("POST", "account/recovery-key", 201, json={"password": PASSWORD})
    assert SHAPE.match(made["recovery_key"]) and made["recovery_key"] != alice.data["recovery_key"]
    assert recover(clients, "alice", alice.data["recovery_key"]).status_code == 401
    assert recover(clients, "alice", made["recovery_key"]).status_code == 200


def test_an_account_without_a_recovery_key_cannot_be_reset(clients: Clients, database_url):
    alice = clients.sign_up("alice")
    engine = make_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE accounts SET recovery_key_hash = NULL"))
    finally:
        engine.dispose()
    assert recover(clients, "alice", alice.data["recovery_key"]).status_code == 401
    assert login(clients, "alice", PASSWORD) == 200


def test_another_persons_key_does_not_reset_my_password(clients: Clients):
    clients.sign_up("alice")
    bob: User = clients.sign_up("bob")
    assert recover(clients, "alice", bob.data["recovery_key"]).status_code == 401
    assert login(clients, "alice", PASSWORD) == 200
