"""Helpers for the page tests: sign up through the form, read the CSRF token off a page."""

from __future__ import annotations

import re
from html import unescape

import httpx

PASSWORD = "a long passphrase"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page has no CSRF field"
    return found[1]


def signed_up(base_url: str, username: str = "alice") -> tuple[httpx.Client, str]:
    """Return a client signed up (and so signed in) through the form, and its CSRF token."""
    client = httpx.Client(base_url=base_url, timeout=10)
    response = client.post(
        "/signup",
        data={
            "username": username,
            "password": PASSWORD,
            "adult": "yes",
            "timezone": "Europe/Berlin",
            "units": "mm",
        },
    )
    assert response.status_code == 200, response.text
    assert RECOVERY_KEY.search(response.text), "the recovery key is shown at sign-up"
    return client, csrf_of(client.get("/more").text)


RECOVERY_KEY = re.compile(r"<code>((?:[0-9A-Z]{4}-){13}[0-9A-Z]{4})</code>")


def recovery_key_of(html: str) -> str:
    found = RECOVERY_KEY.search(html)
    assert found, "the page shows no recovery key"
    return found[1]


def field_errors(html: str) -> list[str]:
    """Return the messages shown next to fields, unescaped."""
    return [unescape(m) for m in re.findall(r'class="field-error"[^>]*>([^<]+)<', html)]


def sign_up_in(page, username: str, *, timezone: str | None = None) -> None:
    """Sign up through the form in a real browser page, past the recovery key (shown once)."""
    page.goto("/signup")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    if timezone is not None:
        page.select_option("#timezone", timezone)
    page.check("input[name=adult]")
    page.click("text=Create account")
    page.click("text=Continue")
    page.wait_for_url("**/toys?welcome=1")
