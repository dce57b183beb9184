"""Two-step sign-in, quick hide, the decoy PIN and auto-delete in the pages.

Plain HTTP for the forms (and Hide without JavaScript); a real browser for the
Escape-twice shortcut.
"""

from __future__ import annotations

import re
from html import unescape

import httpx
import pyotp

from tests.web.conftest import screenshot
from tests.web.helpers import PASSWORD, csrf_of, field_errors, sign_up_in, signed_up


def sign_in_form(
    base_url: str, username: str, password: str
) -> tuple[httpx.Client, httpx.Response]:
    client = httpx.Client(base_url=base_url, timeout=10)
    return client, client.post(
        "/login", data={"username": username, "password": password, "next": "/progress"}
    )


def turn_on_in_settings(client: httpx.Client, csrf: str, clock) -> tuple[str, list[str]]:
    wrong = client.post("/settings/totp", data={"csrf_token": csrf, "totp_password": "nope"})
    assert wrong.status_code == 422
    assert field_errors(wrong.text) == ["password is wrong"]
    started = client.post("/settings/totp", data={"csrf_token": csrf, "totp_password": PASSWORD})
    assert started.status_code == 200
    secret = re.search(r'id="totp-secret"[^>]*value="([A-Z2-7]{32})"', started.text)
    assert secret, "the key is shown"
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in started.text  # the QR code
    assert "otpauth://totp/EaseIn:alice?" in unescape(started.text)
    assert client.get("/settings").text.count(secret[1]) == 0  # shown once

    mistyped = client.post("/settings/totp/confirm", data={"csrf_token": csrf, "totp_code": "1"})
    assert mistyped.status_code == 422 and secret[1] in mistyped.text  # still not on: again
    right = str(pyotp.TOTP(secret[1]).at(clock.now))
    done = client.post("/settings/totp/confirm", data={"csrf_token": csrf, "totp_code": right})
    assert done.status_code == 200
    codes = re.findall(r"<li>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</li>", done.text)
    assert len(codes) == 10
    assert "Two-step sign-in is on." in done.text
    page = client.get("/settings").text
    assert "10 recovery codes left" in page and codes[0] not in page
    return secret[1], codes


def test_two_step_sign_in_with_the_forms(live_server):
    client, csrf = signed_up(live_server.url)
    secret, codes = turn_on_in_settings(client, csrf, live_server.clock)
    clock = live_server.clock
    clock.advance(seconds=30)

    browser, step_one = sign_in_form(live_server.url, "alice", PASSWORD)
    assert step_one.status_code == 303
    assert step_one.headers["location"] == "/login/code?next=/progress"
    assert "easein_session" not in browser.cookies
    assert browser.get("/progress").status_code == 303  # not signed in yet
    form = browser.get("/login/code?next=/progress")
    assert form.status_code == 200 and 'autocomplete="one-time-code"' in form.text

    wrong = browser.post("/login/code", data={"code": "000000", "next": "/progress"})
    assert wrong.status_code == 422
    assert field_errors(wrong.text) == [
        "wrong or already used code: enter the current code, or an unused recovery code"
    ]
    right = str(pyotp.TOTP(secret).at(clock.now))
    done = browser.post("/login/code", data={"code": right, "next": "/progress"})
    assert done.status_code == 303 and done.headers["location"] == "/progress"
    assert browser.get("/progress").status_code == 200

    # the same code again, from another browser: refused (replay)
    again, _ = sign_in_form(live_server.url, "alice", PASSWORD)
    assert again.post("/login/code", data={"code": right}).status_code == 422
    # a recovery code, once
    assert again.post("/login/code", data={"code": codes[0]}).status_code == 303
    third, _ = sign_in_form(live_server.url, "alice", PASSWORD)
    assert third.post("/login/code", data={"code": codes[0]}).status_code == 422

    # a wrong password never reaches the code page, and looks as before
    _, wrong_password = sign_in_form(live_server.url, "alice", "not the password")
    assert wrong_password.status_code == 422
    assert field_errors(wrong_password.text) == ["wrong username or password"]

    # the pending step lasts minutes, not more
    late, _ = sign_in_form(live_server.url, "alice", PASSWORD)
    clock.advance(minutes=6)
    expired = late.post("/login/code", data={"code": str(pyotp.TOTP(secret).at(clock.now))})
    assert expired.status_code == 422 and "sign in again" in expired.text

    # turning it off: password and a code
    off = client.post(
        "/settings/totp/off",
        data={"csrf_token": csrf, "totp_password": PASSWORD, "totp_code": codes[1]},
    )
    assert off.status_code == 303
    plain, direct = sign_in_form(live_server.url, "alice", PASSWORD)
    assert direct.headers["location"] == "/progress"


def test_the_code_page_without_a_pending_sign_in_goes_back_to_the_password(live_server):
    with httpx.Client(base_url=live_server.url) as client:
        response = client.get("/login/code")
        assert response.status_code == 303 and response.headers["location"] == "/login"
        refused = client.post("/login/code", data={"code": "123456"})
        assert refused.status_code == 422 and "sign in again" in refused.text


def test_hide_is_a_plain_link_to_a_neutral_page(live_server):
    client, _ = signed_up(live_server.url)
    today = client.get("/").text
    assert '<a class="hide-link" href="/hide" data-quick-hide' in today
    hidden = client.get("/hide")
    assert hidden.status_code == 200
    assert "<title>Notes</title>" in hidden.text
    for word in ("EaseIn", "alice", "session", "Emergency", "<script"):
        assert word not in hidden.text
    with httpx.Client(base_url=live_server.url) as anonymous:
        assert anonymous.get("/hide").status_code == 200  # no sign-in needed either


def test_escape_twice_lands_on_the_neutral_page_and_back_does_not_return(phone, live_server):
    page = phone
    sign_up_in(page, "robin")
    page.goto("/progress")
    page.keyboard.press("Escape")
    page.wait_for_timeout(100)
    page.keyboard.press("Escape")
    page.wait_for_url("**/hide")
    assert page.title() == "Notes"
    screenshot(page, "30-quick-hide")
    page.go_back()
    page.wait_for_load_state()
    assert "/progress" not in page.url  # replaced, not pushed

    page.goto("/settings")
    page.keyboard.press("Escape")
    page.wait_for_timeout(1200)  # too slow: one press, then another, is not the shortcut
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)
    assert page.url.endswith("/settings")
    page.click("a.hide-link")
    page.wait_for_url("**/hide")
    page.go_back()
    page.wait_for_load_state()
    assert not page.url.endswith("/settings")


def test_the_web_wipe_needs_the_typed_phrase(live_server):
    client, csrf = signed_up(live_server.url)
    client.post("/toys", data={"csrf_token": csrf, "name": "plug", "kind": "plug",
                               "diameter": "20", "base": "flared"})  # fmt: skip
    for typed in ("", "yes", "DELETE", "delete my"):
        kept = client.post(
            "/settings/delete", data={"csrf_token": csrf, "confirm": typed, "password": PASSWORD}
        )
        assert kept.status_code == 422, typed
        assert client.get("/api/v1/toys").json() != []
    gone = client.post(
        "/settings/delete",
        data={"csrf_token": csrf, "confirm": "delete my account", "password": PASSWORD},
    )
    assert gone.status_code == 303


def test_settings_show_auto_delete_and_what_it_takes(live_server):
    client, csrf = signed_up(live_server.url)
    page = client.get("/settings").text
    assert "earned size history goes with them" in page
    bad = client.post("/settings/auto-delete", data={"csrf_token": csrf, "older_than_days": "2"})
    assert bad.status_code == 422
    assert field_errors(bad.text) == ["older_than_days: 7-3650 days, or empty for never"]
    ok = client.post("/settings/auto-delete", data={"csrf_token": csrf, "older_than_days": "30"})
    assert ok.status_code == 303
    page = client.get("/settings").text
    assert "entries older than 30 days are deleted" in page
    assert "it would delete 0 sessions, 0 conditions and 0 check-ins" in page
    assert client.get("/api/v1/account/auto-delete").json() == {"older_than_days": 30}
    off = client.post("/settings/auto-delete", data={"csrf_token": csrf, "older_than_days": ""})
    assert off.status_code == 303
    assert client.get("/api/v1/account/auto-delete").json() == {"older_than_days": None}
    assert csrf_of(client.get("/settings").text)


def test_setting_up_two_step_sign_in_in_a_browser_breaks_no_policy(phone, live_server):
    page = phone
    refused: list[str] = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    sign_up_in(page, "robin")
    page.goto("/settings")
    page.fill("#totp_password", PASSWORD)
    page.click("text=Set up two-step sign-in")
    page.wait_for_selector(".totp-qr svg")
    assert page.locator(".totp-qr svg").bounding_box()["width"] >= 150
    page.locator("#totp-title").scroll_into_view_if_needed()
    screenshot(page, "31-two-step-setup")
    secret = page.input_value("#totp-secret")
    page.fill("#totp_code", str(pyotp.TOTP(secret).at(live_server.clock.now)))
    page.click("text=Turn on two-step sign-in")
    page.wait_for_selector("ul.recovery-codes li")
    assert page.locator("ul.recovery-codes li").count() == 10
    screenshot(page, "32-recovery-codes")
    assert refused == []
