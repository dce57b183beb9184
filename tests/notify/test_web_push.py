"""Web Push delivered for real: a loopback HTTP endpoint plays the browser's push service,
and decrypts what arrives with the subscription's own keys, as a browser does."""

from __future__ import annotations

import base64
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import func, select

from easein.domain.errors import InvalidInput
from easein.services import notify_channels as service
from easein.services.app import open_app
from easein.store.notify_models import WebPushKeyRow
from tests.notify.test_delivery import at, evening_plan, walk
from tests.services.together_helpers import person


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@dataclass
class PushService:
    port: int
    arrivals: list[tuple[str, dict[str, str], dict[str, Any]]] = field(default_factory=list)
    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth: bytes = field(default_factory=lambda: os.urandom(16))
    answer: int = 201  # what the push service answers; 410: "this subscription is gone"
    refused: list[str] = field(default_factory=list)  # paths of posts answered otherwise

    def subscription(self, name: str) -> tuple[str, str, str]:
        point = self.key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
        return f"http://127.0.0.1:{self.port}/push/{name}", b64(point), b64(self.auth)


@contextmanager
def push_service() -> Iterator[PushService]:
    holder: dict[str, PushService] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # http.server's name
            found = holder["s"]
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            if found.answer != 201:
                found.refused.append(self.path)
                self.send_response(found.answer)
                self.send_header("content-length", "0")
                self.end_headers()
                return
            plain = http_ece.decrypt(
                body, private_key=found.key, auth_secret=found.auth, version="aes128gcm"
            )
            headers = {k.lower(): v for k, v in self.headers.items()}
            found.arrivals.append((self.path, headers, json.loads(plain)))
            self.send_response(201)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    holder["s"] = PushService(server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield holder["s"]
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def pushed() -> Iterator[PushService]:
    with push_service() as made:
        yield made


def test_a_test_message_reaches_the_push_service_encrypted_and_signed(app, pushed):
    alice = person(app)
    made = service.subscribe_push(app, alice.person_id, *pushed.subscription("alice"))
    assert (made.service, made.host, made.label) == ("Web Push", "127.0.0.1", "This device")
    again = service.subscribe_push(app, alice.person_id, *pushed.subscription("alice"))
    assert again.id == made.id  # subscribing again on the next visit adds no second channel
    assert service.send_test(app, alice.person_id, made.id) is True
    ((path, headers, data),) = pushed.arrivals
    assert path == "/push/alice"
    assert data == {"title": "EaseIn", "body": "Test from EaseIn: notifications reach you here."}
    assert headers["content-encoding"] == "aes128gcm"
    assert int(headers["ttl"]) > 0
    scheme, _, params = headers["authorization"].partition(" ")
    assert scheme == "vapid"
    assert f"k={service.push_key(app)}" in params


def test_the_vapid_key_is_made_once_and_kept(app):
    first = service.push_key(app)
    assert service.push_key(app) == first
    assert len(base64.urlsafe_b64decode(first + "=")) == 65  # an uncompressed P-256 point
    with app.db.reading() as db:
        assert db.scalar(select(func.count()).select_from(WebPushKeyRow)) == 1
        (row,) = db.scalars(select(WebPushKeyRow))
        assert row.public_key == first


def test_a_nightly_reminder_arrives_by_push_once_per_night(app, clock, pushed):
    alice = person(app)
    evening_plan(app, alice)
    service.subscribe_push(app, alice.person_id, *pushed.subscription("alice"))
    walk(app, clock, at(4, 12))
    assert [d for _, _, d in pushed.arrivals] == [
        {"title": "Evening routine", "body": "Evening routine in 15 minutes (21:30)"}
    ] * 2


def test_a_subscription_is_checked_and_a_private_push_service_refused_when_not_allowed(
    settings, clock, pushed
):
    strict = open_app(replace(settings, notify_allow_private_hosts=False), clock=clock)
    try:
        alice = person(strict)
        with pytest.raises(InvalidInput) as refused:
            service.subscribe_push(strict, alice.person_id, *pushed.subscription("alice"))
        assert refused.value.field == "endpoint"
        assert refused.value.code == "private_host"
        endpoint, p256dh, _ = pushed.subscription("alice")
        with pytest.raises(InvalidInput) as missing:
            service.subscribe_push(strict, alice.person_id, endpoint, p256dh, "")
        assert missing.value.field == "auth"
    finally:
        strict.close()
