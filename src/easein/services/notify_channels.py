"""Notification channels (Apprise URLs) and preferences: one person's own, nobody else's.

A Web Push subscription of the installed app is a channel too (`subscribe_push`),
sent under the server's VAPID key, which is made once, on first need, and kept in
the database (`push_key`). A subscription its push service reports gone (404, 410)
is removed as soon as a send finds out (`drop_gone`): it never comes back, and
retrying it would only knock on a closed door.

A channel's URL is a secret (it holds tokens, passwords, ntfy topics): it lives in
the payload, through the codec, and is never shown again after it is added; a
channel is shown as its service and host. Every query is by the caller's
`person_id`, so another person's channel does not exist for them (404).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session as DbSession

from easein.domain.errors import Conflict, InvalidInput, NotFound
from easein.notify import deliver
from easein.notify.messages import MAX_LEAD_MINUTES, Prefs, channel_test_message
from easein.services.app import App
from easein.store.codec import Context, add_sealed
from easein.store.notify_models import (
    NotificationChannelRow,
    NotificationPrefsRow,
    WebPushKeyRow,
)

MAX_CHANNELS = 10
MAX_LABEL = 80
PUSH_KEY_ID = 1
PUSH_LABEL = "This device"


@dataclass(frozen=True)
class Channel:
    """A channel as its owner sees it: never its URL."""

    id: int
    label: str
    service: str
    host: str
    created_at: datetime


def _context(row: NotificationChannelRow) -> Context:
    return Context("notification_channels", row.person_id, row.id)


def _channel(row: NotificationChannelRow, app: App) -> Channel:
    data = app.codec.decode(row.payload, _context(row))
    return Channel(row.id, data.get("label", ""), data["service"], data["host"], row.created_at)


def channel_url(row: NotificationChannelRow, app: App) -> str:
    """Return the channel's URL (for sending only)."""
    url: str = app.codec.decode(row.payload, _context(row))["url"]
    return url


def check_label(label: object) -> str:
    if not isinstance(label, str):
        raise InvalidInput("label must be text", field="label")
    clean = " ".join(label.split())
    if len(clean) > MAX_LABEL:
        raise InvalidInput(f"label must be at most {MAX_LABEL} characters", field="label")
    return clean


def add_channel(app: App, person_id: int, url: str, label: str = "") -> Channel:
    """Add an Apprise URL as a channel; an URL Apprise cannot use is refused (field `url`)."""
    clean = deliver.check_url(url)
    if not app.settings.notify_allow_private_hosts:
        deliver.check_public(clean)
    name = check_label(label)
    info = deliver.describe(clean)
    with app.db.writing() as db:
        count = db.scalar(
            select(func.count())
            .select_from(NotificationChannelRow)
            .where(NotificationChannelRow.person_id == person_id)
        )
        if (count or 0) >= MAX_CHANNELS:
            raise Conflict(
                f"you have {MAX_CHANNELS} channels already: remove one first", field="url"
            )
        payload = {"url": clean, "label": name, "service": info.service, "host": info.host}
        row = NotificationChannelRow(
            person_id=person_id,
            created_at=app.now(),
        )
        add_sealed(db, row, app.codec, payload, "notification_channels", person_id)
        return _channel(row, app)


def list_channels(app: App, person_id: int) -> list[Channel]:
    with app.db.reading() as db:
        rows = db.scalars(
            select(NotificationChannelRow)
            .where(NotificationChannelRow.person_id == person_id)
            .order_by(NotificationChannelRow.id)
        )
        return [_channel(r, app) for r in rows]


def _own(db: DbSession, person_id: int, channel_id: int) -> NotificationChannelRow:
    row = db.get(NotificationChannelRow, channel_id)
    if row is None or row.person_id != person_id:
        raise NotFound("no such notification channel", field="channel_id")
    return row


def remove_channel(app: App, person_id: int, channel_id: int) -> None:
    """Remove one of the person's channels (and what was waiting to go to it)."""
    with app.db.writing() as db:
        db.delete(_own(db, person_id, channel_id))


def send_test(app: App, person_id: int, channel_id: int) -> bool:
    """Send a neutral test message to one of the person's channels; return whether it went.

    A push subscription found gone is removed, and the test did not go.
    """
    with app.db.reading() as db:
        url = channel_url(_own(db, person_id, channel_id), app)
    message = channel_test_message()
    try:
        return send_checked(app, url, message.title, message.body)
    except deliver.SubscriptionGone:
        drop_gone(app, channel_id)
        return False


def send_checked(app: App, url: str, title: str, body: str) -> bool:
    """Send through one channel, unless its host has become a non-public address that the
    settings do not allow (a name can resolve differently than when it was added).

    Raise deliver.SubscriptionGone if a push subscription is gone: drop its channel.
    """
    if not app.settings.notify_allow_private_hosts and deliver.private_host(url) is not None:
        return False
    if deliver.is_web_push(url):
        private_pem, _ = _push_keys(app)
        contact = app.settings.push_contact
        return deliver.send_web_push(url, title, body, private_pem, contact)
    return deliver.send(url, title, body)


def drop_gone(app: App, channel_id: int) -> None:
    """Remove a channel whose push subscription is gone, and what was waiting to go to it.

    Whoever owns it: the push service's answer is about the subscription, not a request
    of one person (the channel may already be gone too: another worker found out first).
    """
    with app.db.writing() as db:
        row = db.get(NotificationChannelRow, channel_id)
        if row is not None:
            db.delete(row)


# --- Web Push -----------------------------------------------------------------------------


def _key_context() -> Context:
    return Context("web_push_keys", 0, PUSH_KEY_ID)  # the server's own: owner 0, no person


def _push_keys(app: App) -> tuple[str, str]:
    """Return the server's VAPID key pair (private PEM, public key), made on first need.

    Two processes making it at once: the first insert wins and both use its key
    (the second one's insert does nothing, and it reads the stored row).
    """
    with app.db.reading() as db:
        row = db.get(WebPushKeyRow, PUSH_KEY_ID)
        if row is not None:
            return app.codec.decode(row.payload, _key_context())["private_pem"], row.public_key
    private_pem, public_key = deliver.new_vapid_key()
    values = {
        "id": PUSH_KEY_ID,
        "created_at": app.now(),
        "public_key": public_key,
        "payload": app.codec.encode({"private_pem": private_pem}, _key_context()),
    }
    with app.db.writing() as db:
        if db.get_bind().dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            db.execute(pg_insert(WebPushKeyRow).values(**values).on_conflict_do_nothing())
        else:
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            db.execute(sqlite_insert(WebPushKeyRow).values(**values).on_conflict_do_nothing())
    with app.db.reading() as db:
        row = db.get(WebPushKeyRow, PUSH_KEY_ID)
        assert row is not None
        return app.codec.decode(row.payload, _key_context())["private_pem"], row.public_key


def push_key(app: App) -> str:
    """Return the server's public VAPID key, the browser's `applicationServerKey`."""
    return _push_keys(app)[1]


def subscribe_push(
    app: App, person_id: int, endpoint: str, p256dh: str, auth: str, label: str = PUSH_LABEL
) -> Channel:
    """Add this browser's push subscription as one of the person's channels."""
    values = {"endpoint": endpoint, "p256dh": p256dh, "auth": auth}
    for name, value in values.items():
        if not isinstance(value, str) or not value.strip():
            raise InvalidInput(f"{name}: missing from the push subscription", field=name)
    url = deliver.web_push_url(endpoint.strip(), p256dh.strip(), auth.strip())
    # The app subscribes again on each visit: the same subscription is the same channel.
    with app.db.reading() as db:
        rows = db.scalars(
            select(NotificationChannelRow).where(NotificationChannelRow.person_id == person_id)
        )
        for row in rows:
            if channel_url(row, app) == url:
                return _channel(row, app)
    try:
        return add_channel(app, person_id, url, label)
    except InvalidInput as error:
        if error.field == "url":  # the endpoint is what the browser gave
            raise InvalidInput(
                str(error).replace("url:", "endpoint:", 1), field="endpoint", code=error.code
            ) from None
        raise


# --- preferences --------------------------------------------------------------------------


def parse_clock(text: object, field: str) -> time | None:
    """Return a local time of day from "HH:MM", None for an empty value."""
    if text is None or text == "":
        return None
    if not isinstance(text, str):
        raise InvalidInput(f"{field} must be a time like 22:00", field=field)
    try:
        value = time.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            f"{field}: {text!r} is not a time; write it like 22:00", field=field
        ) from None
    if len(text.strip()) != 5:
        raise InvalidInput(f"{field}: write the time as HH:MM, like 22:00", field=field)
    return value


def load_prefs(db: DbSession, person_id: int) -> Prefs:
    row = db.get(NotificationPrefsRow, person_id)
    if row is None:
        return Prefs()
    return Prefs(
        timedelta(minutes=row.lead_minutes),
        time.fromisoformat(row.quiet_start) if row.quiet_start else None,
        time.fromisoformat(row.quiet_end) if row.quiet_end else None,
        row.explicit,
    )


def get_prefs(app: App, person_id: int) -> Prefs:
    with app.db.reading() as db:
        return load_prefs(db, person_id)


def set_prefs(
    app: App,
    person_id: int,
    *,
    lead_minutes: int | None = None,
    quiet_start: time | None = None,
    quiet_end: time | None = None,
    quiet: bool | None = None,
    explicit: bool | None = None,
) -> Prefs:
    """Change what is given; `quiet` False clears quiet hours, True needs start and end."""
    if lead_minutes is not None and not 0 <= lead_minutes <= MAX_LEAD_MINUTES:
        raise InvalidInput(
            f"lead_minutes must be from 0 to {MAX_LEAD_MINUTES}", field="lead_minutes"
        )
    if (quiet_start is None) != (quiet_end is None):
        field = "quiet_end" if quiet_end is None else "quiet_start"
        raise InvalidInput("quiet hours need both a start and an end", field=field)
    if quiet_start is not None and quiet_start == quiet_end:
        raise InvalidInput(
            "quiet hours must end at another time than they start", field="quiet_end"
        )
    with app.db.writing() as db:
        current = load_prefs(db, person_id)
        row = db.get(NotificationPrefsRow, person_id)
        if row is None:
            row = NotificationPrefsRow(person_id=person_id)
            db.add(row)
        lead = current.lead if lead_minutes is None else timedelta(minutes=lead_minutes)
        start, end = current.quiet_start, current.quiet_end
        if quiet is False:
            start = end = None
        if quiet_start is not None:
            start, end = quiet_start, quiet_end
        row.lead_minutes = int(lead.total_seconds()) // 60
        row.quiet_start = start.strftime("%H:%M") if start else None
        row.quiet_end = end.strftime("%H:%M") if end else None
        row.explicit = current.explicit if explicit is None else explicit
        row.updated_at = app.now()
        return Prefs(lead, start, end, row.explicit)
