"""`easein db encrypt`: convert a plain SQLite database to SQLCipher, once, in place.

The same care as a restore: the key file is checked against the database first, the
encrypted copy is written next to it, checked, fsynced and renamed over the plain file
in one step while nobody else has it open; on any failure the plain file is unchanged.
There is no way back built in: a backup restored with sqlcipher = false is plain.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import closing, suppress
from datetime import datetime
from pathlib import Path

from easein.domain.errors import Conflict, InvalidInput
from easein.services.backup import fsync_folder, require_sqlite
from easein.services.restore import exclusive, settle, sidecars
from easein.settings import Settings


def encrypt_database(settings: Settings, now: datetime) -> Path:
    """Encrypt the plain SQLite database of `settings` with SQLCipher; return its path."""
    from easein.store.db import make_engine
    from easein.store.keyfile import open_key
    from easein.store.migrations import ensure_current
    from easein.store.sqlcipher import database_key, export, file_kind, open_file

    url = settings.resolved_database_url()
    target = require_sqlite(url)
    kind = file_kind(target)
    if kind == "none":
        raise InvalidInput(
            f"there is no database at {target} to encrypt: with sqlcipher = true a new "
            "database is encrypted from its first start",
            field="database_url",
        )
    if kind == "encrypted":
        raise Conflict(
            f"{target} is not a plain SQLite file: it is encrypted already (or damaged)",
            field="database_url",
            code="already_encrypted",
        )
    # Opened as it is, as `open_app` would: migrated, and the key file checked against
    # the fingerprint the database keeps (a wrong key file is refused here, not baked in).
    engine = make_engine(url, busy_timeout_ms=settings.busy_timeout_ms)
    try:
        ensure_current(engine)
        key = database_key(open_key(settings.resolved_key_file(), engine, now))
    finally:
        engine.dispose()
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.encrypt-", dir=target.parent)
    os.close(handle)
    staged = Path(name)
    try:
        with exclusive(target):  # nobody else has it open, and its WAL is folded in
            export(target, None, staged, key)
            with closing(open_file(staged, key, isolation_level=None)) as conn:
                ok = conn.execute("PRAGMA integrity_check").fetchall()
            if ok != [("ok",)]:
                raise InvalidInput(
                    f"the encrypted copy of {target} failed its integrity check ({ok[0][0]}); "
                    "the plain database is unchanged",
                    field="database_url",
                )
            settle(staged, key)
            os.replace(staged, target)
        fsync_folder(target.parent)
    finally:
        for leftover in (staged, *sidecars(staged)):
            with suppress(FileNotFoundError):
                leftover.unlink()
    return target
