"""Delivery through Apprise: check a channel URL, describe it without its secrets, send.

Apprise is imported only when needed (it loads a plugin per service, about 0.2 s):
the command line keeps starting fast.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from typing import Any

from easein.domain.errors import InvalidInput

MAX_URL = 2000
HELP = (
    "paste an Apprise URL such as ntfy://ntfy.sh/your-topic, gotify://host/token, "
    "mailtos://user:password@example.org or json://host/path "
    "(https://github.com/caronc/apprise/wiki)"
)


@dataclass(frozen=True)
class ChannelInfo:
    """What may be shown about a channel: the service and the host, never the URL."""

    service: str
    host: str


def _instance(url: str) -> Any:
    import apprise

    return apprise.Apprise.instantiate(url)


def check_url(url: object, *, field: str = "url") -> str:
    """Return the URL stripped if Apprise can send to it; else InvalidInput naming `field`."""
    if not isinstance(url, str) or not url.strip():
        raise InvalidInput(f"{field}: empty; {HELP}", field=field)
    clean = url.strip()
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
    found = _instance(url)
    host = str(getattr(found, "host", None) or "").strip("[]")  # [::1] is ::1
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
