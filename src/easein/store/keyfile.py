"""The installation key: 32 random bytes in a file outside the database (mode 0600).

Every payload is sealed under keys derived from it (`store.codec.SealedCodec`). The
database keeps only the key's fingerprint, so that EaseIn refuses to start with a
missing or different key instead of writing rows nobody can read later.
"""

from __future__ import annotations

import base64
import contextlib
import os
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from easein.domain.errors import EaseInError
from easein.store.crypto import KEY_BYTES, key_id, new_key

PREFIX = "easein-key-v1:"


class KeyUnavailable(EaseInError):
    """The installation key is missing, unreadable or not this database's."""

    code = "key_unavailable"


def read_key_file(path: Path) -> bytes:
    """Return the key in the key file at `path`; KeyUnavailable if it is not one."""
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise KeyUnavailable(f"cannot read the key file {path}: {error}") from None
    key = parse_key_text(text)
    if key is None:
        raise KeyUnavailable(f"{path} is not an EaseIn key file (damaged?)")
    return key


def parse_key_text(text: str) -> bytes | None:
    """Return the key in a key file's text, or None if it is not one."""
    text = text.strip()
    if not text.startswith(PREFIX):
        return None
    try:
        key = base64.urlsafe_b64decode(text[len(PREFIX) :].encode())
    except ValueError:
        return None
    return key if len(key) == KEY_BYTES else None


def key_text(key: bytes) -> str:
    return PREFIX + base64.urlsafe_b64encode(key).decode() + "\n"


def write_key_file(path: Path, key: bytes) -> None:
    """Write `key` to a new file only its owner can read; never replaces a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(key_text(key))
        out.flush()
        os.fsync(out.fileno())


def open_key(path: Path, engine: Engine, now: datetime) -> bytes:
    """Return this database's installation key, making it on the first start.

    A database that already has sealed rows (its fingerprint is stored) never gets a
    new key: a missing or different key file is refused with what to do.
    """
    recorded, stored = _recorded(engine)
    if path.exists():
        key = read_key_file(path)
        if stored is not None and stored != key_id(key):
            raise KeyUnavailable(
                f"the key file {path} belongs to another database: use this database's "
                "key file (key_file setting), restored from where you keep it"
            )
    elif stored is not None:
        raise KeyUnavailable(
            f"the key file {path} is missing: this database cannot be read without it. "
            "Restore it (from your backup) or point the key_file setting at it"
        )
    else:
        # Another process starting at the same time may have made it first.
        with contextlib.suppress(FileExistsError):
            write_key_file(path, new_key())
        key = read_key_file(path)
    if stored is None and recorded:
        _seal_what_was_plain(engine, key)
        try:
            with engine.begin() as conn:
                conn.execute(
                    text(
                        "INSERT INTO installation_key (id, key_id, created_at) VALUES (1, :k, :t)"
                    ),
                    {"k": key_id(key), "t": now.astimezone(UTC).replace(tzinfo=None)},
                )
        except IntegrityError:
            pass  # another process recorded it first: check it is the same key
        if _stored_id(engine) != key_id(key):
            raise KeyUnavailable(f"the key file {path} belongs to another database")
    return key


def _stored_id(engine: Engine) -> str | None:
    with engine.connect() as conn:
        found = conn.execute(text("SELECT key_id FROM installation_key WHERE id = 1")).scalar()
    return None if found is None else str(found)


def _recorded(engine: Engine) -> tuple[bool, str | None]:
    """Whether the database has the fingerprint table (not an older schema opened without
    migrating, as a backup does), and the fingerprint if one is recorded."""
    try:
        return True, _stored_id(engine)
    except DBAPIError:
        return False, None


def _seal_what_was_plain(engine: Engine, key: bytes) -> None:
    """The first start with a key: seal the rows written before encryption existed."""
    from easein.store.codec import SealedCodec
    from easein.store.reseal import seal_plain_payloads

    with engine.begin() as conn:
        seal_plain_payloads(conn, SealedCodec(key))
