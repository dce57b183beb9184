"""The recovery key in the pages, over real HTTP: shown at sign-up, used on /forgot,
renewed in Settings. Wrong input gets its message next to the field and changes nothing."""

from __future__ import annotations

import httpx

from easein.store.custody import format_recovery_key
from tests.web.helpers import PASSWORD, csrf_of, field_errors, recovery_key_of

NEW_PASSWORD = "another long passphrase"


def sign_up(base_url: str, username: str = "alice") -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=base_url, timeout=10)
    shown = client.post(
        "/signup",
        data={"username": username, "password": PASSWORD, "adult": "yes", "timezone": "UTC"},
    )
    assert shown.status_code == 200, shown.text
    assert shown.headers["cache-control"] == "no-store"  # never kept by the browser
    assert 'href="/toys?welcome=1"' in shown.text
    assert client.get("/toys?welcome=1").status_code == 200  # signed in already
    return client, recovery_key_of(shown.text)


def forgot(base_url: str, username: str, key: str, new_password: str = NEW_PASSWORD):
    with httpx.Client(base_url=base_url, timeout=10) as client:
        return client.post(
            "/forgot",
            data={"username": username, "recovery_key": key, "new_password": new_password},
        )


def signs_in(base_url: str, password: str) -> bool:
    with httpx.Client(base_url=base_url, timeout=10) as client:
        done = client.post("/login", data={"username": "alice", "password": password})
        return done.status_code == 303


def test_the_key_from_sign_up_resets_a_forgotten_password(live_server):
    client, key = sign_up(live_server.url)
    assert 'href="/forgot"' in httpx.get(live_server.url + "/login").text
    assert httpx.get(live_server.url + "/forgot").status_code == 200
    done = forgot(live_server.url, "alice", key.lower())
    assert done.status_code == 200, done.text
    following = recovery_key_of(done.text)
    assert following != key
    assert 'href="/login"' in done.text
    assert client.get("/").status_code == 303  # the old sign-in ended
    assert signs_in(live_server.url, NEW_PASSWORD)
    assert not signs_in(live_server.url, PASSWORD)


def test_a_wrong_or_malformed_key_is_refused_next_to_its_field(live_server):
    _, key = sign_up(live_server.url)
    wrong = forgot(live_server.url, "alice", format_recovery_key(bytes(32)))
    assert wrong.status_code == 422
    assert field_errors(wrong.text) == ["wrong username or recovery key"]
    typo = forgot(live_server.url, "alice", "0" * 56)  # its checksum does not match
    assert field_errors(typo.text) == [
        "this recovery key has a typo: compare it again, group by group"
    ]
    short = forgot(live_server.url, "alice", "ABCD")
    assert short.status_code == 422
    assert field_errors(short.text) == ["a recovery key has 56 letters and digits; this has 4"]
    weak = forgot(live_server.url, "alice", key, "password")
    assert weak.status_code == 422 and "common" in field_errors(weak.text)[0]
    assert signs_in(live_server.url, PASSWORD)  # nothing changed
    assert forgot(live_server.url, "alice", key).status_code == 200  # the key still works


def test_settings_makes_a_new_key_with_the_password(live_server):
    client, key = sign_up(live_server.url)
    settings = client.get("/settings").text
    assert "You have a recovery key" in settings
    csrf = csrf_of(settings)
    refused = client.post(
        "/settings/recovery-key", data={"csrf_token": csrf, "recovery_password": "nope nope"}
    )
    assert refused.status_code == 422
    assert field_errors(refused.text) == ["password is wrong"]
    made = client.post(
        "/settings/recovery-key", data={"csrf_token": csrf, "recovery_password": PASSWORD}
    )
    assert made.status_code == 200
    new_key = recovery_key_of(made.text)
    assert new_key != key and 'href="/settings"' in made.text
    assert forgot(live_server.url, "alice", key).status_code == 422  # the old one ended
    assert forgot(live_server.url, "alice", new_key).status_code == 200
