"""Delivery through Apprise or Web Push: check a channel URL, describe it without its
secrets, send.

Apprise is imported only when needed (it loads a plugin per service, about 0.2 s):
the command line keeps starting fast. A Web Push subscription of the installed app
is a channel like the others; its "URL" is `webpush://` and the subscription
(the push service's endpoint and the browser's keys) as base64url JSON, sent with
pywebpush under the server's VAPID key.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import logging
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from easein.domain.errors import InvalidInput

# Apprise logs each channel URL in full at DEBUG ("Loaded JSON URL: ..."), and a URL
# holds the channel's secrets (tokens, passwords, topics): its own records stop at
# warnings, whatever the application's log level (found by tests/api/test_planted_markers).
logging.getLogger("apprise").setLevel(logging.WARNING)

MAX_URL = 2000
WEB_PUSH = "webpush://"
PUSH_TTL = 12 * 3600  # seconds a push service keeps a message for a phone that is off
# RFC 8030: 404 and 410 mean the subscription has expired or was removed; it never comes back.
PUSH_GONE = frozenset({404, 410})
HELP = (
    "paste an Apprise URL such as ntfy://ntfy.sh/your-topic, gotify://host/token, "
    "mailtos://user:password@example.org or json://host/path "
    "(https://github.com/caronc/apprise/wiki)"
)


class SubscriptionGone(Exception):
    """The push service no longer knows the subscription: never send to it again."""


@dataclass(frozen=True)
class ChannelInfo:
    """What may be shown about a channel: the service and the host, never the URL."""

    service: str
    host: str


def web_push_url(endpoint: str, p256dh: str, auth: str) -> str:
    """Return the channel URL of a browser's push subscription."""
    data = {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}}
    raw = json.dumps(data, separators=(",", ":")).encode()
    return WEB_PUSH + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def is_web_push(url: str) -> bool:
    return url.startswith(WEB_PUSH)


def subscription(url: str) -> dict[str, Any] | None:
    """Return the push subscription a `webpush://` URL holds, or None if it holds none."""
    body = url[len(WEB_PUSH) :]
    try:
        data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        endpoint, keys = data["endpoint"], data["keys"]
        parts = urlsplit(endpoint)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            return None
        if not all(isinstance(keys.get(k), str) and keys[k] for k in ("p256dh", "auth")):
            return None
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    return {"endpoint": endpoint, "keys": {"p256dh": keys["p256dh"], "auth": keys["auth"]}}


def _push_host(url: str) -> str:
    found = subscription(url)
    return str(urlsplit(found["endpoint"]).hostname or "") if found else ""


def new_vapid_key() -> tuple[str, str]:
    """Return a new VAPID key pair: the private key as PEM, and the public key as the
    browser's `applicationServerKey` (base64url of the uncompressed P-256 point)."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
    from py_vapid import Vapid

    key = Vapid()
    key.generate_keys()
    point = key.public_key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    return key.private_pem().decode(), base64.urlsafe_b64encode(point).decode().rstrip("=")


def send_web_push(url: str, title: str, body: str, private_pem: str, contact: str) -> bool:
    """Send one message to a push subscription; return whether the push service took it.

    `contact` (mailto: or https:) tells the push service who runs the server (the VAPID
    `sub` claim). Raise SubscriptionGone if the push service says the subscription is gone.
    """
    from py_vapid import Vapid
    from pywebpush import WebPushException, webpush
    from requests import RequestException

    found = subscription(url)
    if found is None:
        return False
    try:
        webpush(
            found,
            data=json.dumps({"title": title, "body": body}),
            vapid_private_key=Vapid.from_pem(private_pem.encode()),
            vapid_claims={"sub": contact},
            ttl=PUSH_TTL,
            timeout=10,
        )
    except WebPushException as error:
        if error.status_code in PUSH_GONE:
            raise SubscriptionGone(_push_host(url)) from None
        return False
    except RequestException:  # unreachable, timed out: worth another try later
        return False
    return True


def _instance(url: str) -> Any:
    import apprise

    return apprise.Apprise.instantiate(url)


def check_url(url: object, *, field: str = "url") -> str:
    """Return the URL stripped if Apprise can send to it; else InvalidInput naming `field`."""
    if not isinstance(url, str) or not url.strip():
        raise InvalidInput(f"{field}: empty; {HELP}", field=field)
    clean = url.strip()
    if is_web_push(clean):
        if len(clean) > MAX_URL or subscription(clean) is None:
            raise InvalidInput(f"{field}: not a push subscription", field=field)
        return clean
    if len(clean) > MAX_URL or any(c.isspace() for c in clean) or "://" not in clean:
        raise InvalidInput(f"{field}: not a notification URL; {HELP}", field=field)
    if _instance(clean) is None:
        scheme = clean.split("://", 1)[0]
        raise InvalidInput(
            f"{field}: Apprise cannot send to a {scheme}:// URL like this one; {HELP}",
            field=field,
            code="invalid_channel_url",
        )
    return clean


def private_host(url: str) -> str | None:
    """Return the channel's host if it is or resolves to a loopback, private, link-local or
    otherwise non-public address; None if it is public (or cannot be resolved: then the
    send fails on its own)."""
    if is_web_push(url):
        host = _push_host(url).strip("[]")
    else:
        host = str(getattr(_instance(url), "host", None) or "").strip("[]")  # [::1] is ::1
    if not host:
        return None
    try:
        infos = socket.getaddrinfo(host, None)
    except (OSError, UnicodeError):
        return None
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if not address.is_global:
            return host
    return None


def check_public(url: str, *, field: str = "url") -> None:
    """Refuse a channel that would make the server send to a non-public address."""
    host = private_host(url)
    if host is not None:
        raise InvalidInput(
            f"{field}: {host} is not a public address, and this server only sends to public "
            "ones (setting notify_allow_private_hosts)",
            field=field,
            code="private_host",
        )


def describe(url: str) -> ChannelInfo:
    """Return the channel's service and host (no user, password, token, topic or path)."""
    if is_web_push(url):
        return ChannelInfo("Web Push", _push_host(url))
    found = _instance(url)
    if found is None:
        return ChannelInfo("unknown", "")
    host = getattr(found, "host", None) or ""
    return ChannelInfo(str(found.service_name), str(host))


def send(url: str, title: str, body: str) -> bool:
    """Send one message to one channel; return whether Apprise reported success."""
    import apprise

    sender = apprise.Apprise()
    if not sender.add(url):
        return False
    return bool(sender.notify(body=body, title=title))
