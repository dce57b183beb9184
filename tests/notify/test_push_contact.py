"""The VAPID contact (setting push_contact) goes with every Web Push message, and a
contact push services would not accept is refused when the settings are read."""

from __future__ import annotations

import base64
import json
from dataclasses import replace

import pytest

from easein.domain.errors import InvalidInput
from easein.services import notify_channels as service
from easein.services.app import open_app
from easein.settings import Settings, get_settings
from tests.notify.test_web_push import push_service
from tests.services.together_helpers import person

CONTACT = "https://easein.example.org"


def claims(authorization: str) -> dict[str, object]:
    """Return the claims of the VAPID token in an `Authorization: vapid t=...,k=...` header."""
    params = dict(p.strip().split("=", 1) for p in authorization.split(" ", 1)[1].split(","))
    payload = params["t"].split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


def test_the_contact_setting_is_the_vapid_subject_of_each_message(settings, clock):
    with_contact = open_app(replace(settings, push_contact=CONTACT), clock=clock)
    try:
        alice = person(with_contact)
        with push_service() as pushed:
            made = service.subscribe_push(
                with_contact, alice.person_id, *pushed.subscription("alice")
            )
            assert service.send_test(with_contact, alice.person_id, made.id) is True
            ((_, headers, _),) = pushed.arrivals
        assert claims(headers["authorization"])["sub"] == CONTACT
    finally:
        with_contact.close()


def test_the_default_contact_is_a_mailto_placeholder():
    assert Settings().push_contact == "mailto:easein@example.org"


@pytest.mark.parametrize(
    "contact", ["mailto:me@example.org", "mailto:root@localhost", "https://example.org"]
)
def test_a_mailto_or_https_contact_is_accepted_and_signable(contact):
    from py_vapid import _check_sub  # what pywebpush signs: a contact it refuses fails sends

    assert Settings(push_contact=contact).push_contact == contact
    assert _check_sub(contact)


@pytest.mark.parametrize(
    "contact",
    [
        "",
        "me@example.org",
        "http://example.org",
        "mailto:",
        "mailto:nobody",
        "https://",
        "https://example.org/contact",  # py_vapid signs an origin only
        " mailto:me@example.org",
    ],
)
def test_another_contact_is_refused_with_what_to_write(contact):
    with pytest.raises(InvalidInput) as refused:
        Settings(push_contact=contact)
    assert refused.value.field == "push_contact"
    assert "mailto:you@example.org" in str(refused.value)


def test_the_contact_is_read_from_its_environment_variable(monkeypatch):
    monkeypatch.setenv("EASEIN_PUSH_CONTACT", "mailto:admin@example.net")
    assert get_settings().push_contact == "mailto:admin@example.net"
    monkeypatch.setenv("EASEIN_PUSH_CONTACT", "admin@example.net")
    with pytest.raises(InvalidInput, match="push_contact"):
        get_settings()
