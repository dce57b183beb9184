"""Two-step sign-in (TOTP) over real HTTP: enrol, confirm, sign in, replay, recovery, off.

Codes are made with pyotp from the secret shown at enrolment, at the injected clock's
time (`live_server.clock`): nothing sleeps.
"""

from __future__ import annotations

from typing import Any

import httpx
import pyotp
import pytest
from sqlalchemy import text

from easein.store.db import make_engine
from tests.api.conftest import API, PASSWORD, Clients, User


def login(base_url: str, username: str, password: str, totp: str | None = None) -> httpx.Response:
    body: dict[str, Any] = {"username": username, "password": password}
    if totp is not None:
        body["totp"] = totp
    with httpx.Client(base_url=base_url) as client:
        return client.post(f"{API}/auth/login", json=body)


def code(secret: str, clock) -> str:
    return str(pyotp.TOTP(secret).at(clock.now))


def turned_on(user: User, clock) -> tuple[str, list[str]]:
    """Enrol and confirm; return the secret and the recovery codes."""
    made = user.ok("POST", "account/totp", 201, json={"password": user.password})
    codes = user.ok("POST", "account/totp/confirm", json={"code": code(made["secret"], clock)})
    return made["secret"], codes["recovery_codes"]


@pytest.fixture
def alice(clients: Clients) -> User:
    return clients.sign_up("alice")


def test_enrolment_shows_the_secret_once_and_is_off_until_a_first_code(live_server, alice):
    refused = alice.post("account/totp", json={"password": "not my password"})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "password"]

    made = alice.ok("POST", "account/totp", 201, json={"password": PASSWORD})
    assert len(made["secret"]) == 32
    assert made["otpauth_uri"].startswith("otpauth://totp/EaseIn:alice?")
    assert f"secret={made['secret']}" in made["otpauth_uri"]
    status = alice.ok("GET", "account/totp")
    assert status == {
        "enabled": False,
        "pending": True,
        "enabled_at": None,
        "recovery_codes_left": 0,
    }
    assert login(live_server.url, "alice", PASSWORD).status_code == 200  # not on yet

    wrong = alice.post("account/totp/confirm", json={"code": "000000"})
    assert wrong.status_code == 422
    assert wrong.json()["detail"][0]["type"] == "totp_wrong"
    confirmed = alice.ok(
        "POST", "account/totp/confirm", json={"code": code(made["secret"], live_server.clock)}
    )
    codes = confirmed["recovery_codes"]
    assert len(codes) == 10 == len(set(codes))
    status = alice.ok("GET", "account/totp")
    assert status["enabled"] and not status["pending"] and status["recovery_codes_left"] == 10
    # Never again in an answer: not in the status, the export or a second enrolment.
    for response in (alice.get("account/totp"), alice.get("export"), alice.get("profile")):
        assert made["secret"] not in response.text
    again = alice.post("account/totp", json={"password": PASSWORD})
    assert again.status_code == 409 and made["secret"] not in again.text


def test_signing_in_needs_the_code_after_the_password(live_server, alice):
    secret, _ = turned_on(alice, live_server.clock)
    clock = live_server.clock
    clock.advance(seconds=30)  # the confirming code's step is used up

    wrong_password = login(live_server.url, "alice", "wrong password")
    no_code = login(live_server.url, "alice", PASSWORD)
    wrong_code = login(live_server.url, "alice", PASSWORD, "123456")
    assert wrong_password.status_code == no_code.status_code == wrong_code.status_code == 401
    assert "code" not in wrong_password.json()  # nothing said about a second factor
    assert no_code.json()["code"] == wrong_code.json()["code"] == "totp_required"
    for refused in (wrong_password, no_code, wrong_code):
        assert "set-cookie" not in refused.headers
    # a wrong code with a wrong password says nothing about the code either
    assert "code" not in login(live_server.url, "alice", "wrong", code(secret, clock)).json()

    signed_in = login(live_server.url, "alice", PASSWORD, code(secret, clock))
    assert signed_in.status_code == 200, signed_in.text
    assert signed_in.json()["username"] == "alice"


def test_a_code_is_taken_once_and_its_neighbours_in_time_are_accepted(live_server, alice):
    secret, _ = turned_on(alice, live_server.clock)
    clock = live_server.clock
    totp = pyotp.TOTP(secret)

    def at(offset: int) -> str:
        return str(totp.at(clock.now, counter_offset=offset))

    clock.advance(seconds=30)
    now_code = at(0)
    assert login(live_server.url, "alice", PASSWORD, now_code).status_code == 200
    replay = login(live_server.url, "alice", PASSWORD, now_code)
    assert replay.status_code == 401 and replay.json()["code"] == "totp_required"
    clock.advance(seconds=30)
    # a phone 30 s ahead works; then the current step, now older than the last, does not
    assert login(live_server.url, "alice", PASSWORD, at(1)).status_code == 200
    assert login(live_server.url, "alice", PASSWORD, at(0)).status_code == 401
    clock.advance(seconds=60)
    # a phone 30 s behind works too, once; two steps away is too far
    assert login(live_server.url, "alice", PASSWORD, at(2)).status_code == 401
    assert login(live_server.url, "alice", PASSWORD, at(-1)).status_code == 401  # used (ahead)
    clock.advance(seconds=30)
    assert login(live_server.url, "alice", PASSWORD, at(-1)).status_code == 200
    assert login(live_server.url, "alice", PASSWORD, at(-1)).status_code == 401


def test_wrong_codes_count_toward_the_throttle(live_server, alice):
    secret, _ = turned_on(alice, live_server.clock)
    clock = live_server.clock
    clock.advance(seconds=30)
    for _ in range(live_server.settings.login_max_failures):
        assert login(live_server.url, "alice", PASSWORD, "000000").status_code == 401
    throttled = login(live_server.url, "alice", PASSWORD, code(secret, clock))
    assert throttled.status_code == 429
    clock.advance(minutes=live_server.settings.login_window_minutes + 1)
    assert login(live_server.url, "alice", PASSWORD, code(secret, clock)).status_code == 200


def test_a_recovery_code_signs_in_once(live_server, alice):
    _, codes = turned_on(alice, live_server.clock)
    assert login(live_server.url, "alice", PASSWORD, codes[0].upper()).status_code == 200
    used = login(live_server.url, "alice", PASSWORD, codes[0])
    assert used.status_code == 401 and used.json()["code"] == "totp_required"
    assert alice.ok("GET", "account/totp")["recovery_codes_left"] == 9
    spaced = codes[1].replace("-", " ")
    assert login(live_server.url, "alice", PASSWORD, spaced).status_code == 200

    fresh = alice.ok(
        "POST", "account/totp/recovery-codes", json={"password": PASSWORD, "code": codes[2]}
    )["recovery_codes"]
    assert login(live_server.url, "alice", PASSWORD, codes[3]).status_code == 401  # replaced
    assert login(live_server.url, "alice", PASSWORD, fresh[0]).status_code == 200


def test_turning_it_off_needs_the_password_and_a_code(live_server, alice):
    secret, codes = turned_on(alice, live_server.clock)
    clock = live_server.clock
    clock.advance(seconds=30)
    no_password = alice.delete(
        "account/totp", json={"password": "nope", "code": code(secret, clock)}
    )
    assert no_password.status_code == 422
    assert no_password.json()["detail"][0]["loc"] == ["body", "password"]
    no_code = alice.delete("account/totp", json={"password": PASSWORD, "code": "000000"})
    assert no_code.status_code == 422
    assert no_code.json()["detail"][0]["loc"] == ["body", "code"]
    assert alice.ok("GET", "account/totp")["enabled"]
    alice.ok(
        "DELETE", "account/totp", 204, json={"password": PASSWORD, "code": code(secret, clock)}
    )
    assert alice.ok("GET", "account/totp")["enabled"] is False
    assert login(live_server.url, "alice", PASSWORD).status_code == 200
    assert login(live_server.url, "alice", PASSWORD, codes[0]).status_code == 200  # ignored


def test_turning_it_on_ends_other_sign_ins_but_tokens_need_no_code(live_server, clients, alice):
    laptop = clients.sign_in(alice)
    script = clients.bearer(alice)
    turned_on(alice, live_server.clock)
    assert laptop.get("profile").status_code == 401  # that browser must sign in again
    assert alice.get("profile").status_code == 200  # this one stays
    assert script.get("profile").status_code == 200  # a token is already a second factor


def test_the_secret_goes_through_the_codec_and_only_recovery_hashes_are_stored(
    live_server, database_url, alice
):
    secret, codes = turned_on(alice, live_server.clock)
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            (payload, account_id, person_id) = conn.execute(
                text(
                    "SELECT t.payload, t.account_id, a.person_id FROM totp_factors t "
                    "JOIN accounts a ON a.id = t.account_id"
                )
            ).one()
    finally:
        engine.dispose()
    assert bytes(payload)[:1] == b"\x02"  # sealed, not plain JSON
    decoded = live_server_codec_decode(live_server.settings, payload, person_id, account_id)
    assert decoded["secret"] == secret
    assert len(decoded["recovery"]) == 10
    blob = bytes(payload)
    for c in codes:
        assert c.encode() not in blob and c.replace("-", "").encode() not in blob


def live_server_codec_decode(
    settings: Any, payload: bytes, person_id: int, account_id: int
) -> dict[str, Any]:
    from easein.store.codec import Context, SealedCodec
    from easein.store.keyfile import read_key_file

    codec = SealedCodec(read_key_file(settings.resolved_key_file()))
    return codec.decode(bytes(payload), Context("totp_factors", person_id, account_id))
