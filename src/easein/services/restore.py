"""Restoring a backup: checked in full, then swapped in whole, or nothing changes."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from easein.domain.errors import Conflict, InvalidInput
from easein.services.backup import (
    Manifest,
    Opening,
    damaged,
    fsync_folder,
    read_backup,
    require_sqlite,
)
from easein.store.sqlcipher import errors, open_file


@dataclass(frozen=True)
class Restored:
    manifest: Manifest
    revision: str
    migrated_from: str | None


def restore_backup(
    blob: bytes,
    opening: Opening,
    target_url: str,
    *,
    overwrite: bool,
    name: str,
    key_file: Path | None = None,
    sqlcipher: bool = False,
) -> Restored:
    """Replace the SQLite database at `target_url` with a backup, or change nothing.

    The database is written next to the target, checked (hash, integrity check,
    schema revision), migrated if it is older, fsynced and renamed over the
    target in one step. A newer schema is refused; a target holding records is
    replaced only with `overwrite`; a target another process has open is refused.
    The installation key inside an encrypted backup goes to `key_file` (a different key
    there is kept beside it as `*.replaced-*`): the restored payloads open with it.

    `sqlcipher` is the target's setting: the restored file is SQLCipher-encrypted (under
    the database key of the installation key it goes with) when it is on, plain when it
    is off, whichever kind the backup holds, so that the app opens it with its settings.
    (A plain database restored with the setting on is written in the clear next to the
    target for the moment of its conversion: SQLCipher's module cannot load it from
    memory.)
    """
    from easein.store.migrations import HEAD, known_revisions
    from easein.store.sqlcipher import SQLITE_HEADER, database_key

    target = require_sqlite(target_url)
    manifest, data = read_backup(blob, opening, name)
    revision = manifest.schema_revision
    if revision not in known_revisions():
        raise InvalidInput(
            f"{name} is from a newer EaseIn (schema revision {revision}; this one knows up to "
            f"{HEAD}): upgrade EaseIn, then restore; nothing restored",
            field="file",
            code="backup_newer",
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    current = _current_key(key_file)
    target_key = database_key(current) if current is not None else None  # the file there now
    if not overwrite and holds_records(target, target_key):
        raise Conflict(
            f"{target} holds records: restoring replaces them all; confirm with --yes",
            field="confirm",
            code="confirmation_required",
        )
    # The installation key the restored database goes with: the backup's own, else the
    # key file's (an --unencrypted backup does not carry it).
    master = manifest.installation_key or current
    inner_key = None
    if not data.startswith(SQLITE_HEADER):
        if master is None:
            raise InvalidInput(
                f"the database in {name} is encrypted with SQLCipher and the backup does not "
                "hold its key (an --unencrypted backup): put the key file it was made with at "
                "the key_file setting, then restore; nothing restored",
                field="key_file",
                code="key_unavailable",
            )
        inner_key = database_key(master)
    if sqlcipher and master is None:
        raise InvalidInput(
            "sqlcipher is on, but neither the backup nor the key file holds the installation "
            "key to encrypt the database with: put the key file in place (key_file setting), "
            "then restore; nothing restored",
            field="key_file",
            code="key_unavailable",
        )
    wanted_key = database_key(master) if sqlcipher and master is not None else None
    unreadable = (
        f"the key file {key_file} does not open the database in {name} (an --unencrypted "
        "backup of an encrypted database opens only with the key file it was made with); "
        "nothing restored"
        if inner_key is not None and manifest.installation_key is None
        else None
    )
    with _staged(target, data) as staged:
        _check_database(staged, revision, name, inner_key, unreadable=unreadable)
        if inner_key != wanted_key:
            _convert(staged, inner_key, wanted_key)
        migrated_from = None
        if revision != HEAD:
            _migrate(staged, wanted_key)
            migrated_from = revision
        settle(staged, wanted_key)
        with exclusive(target, target_key):
            os.replace(staged, target)
        fsync_folder(target.parent)
    if key_file is not None and manifest.installation_key is not None:
        _install_key(key_file, manifest.installation_key, manifest)
    return Restored(manifest, HEAD, migrated_from)


def _current_key(key_file: Path | None) -> bytes | None:
    """Return the installation key in `key_file` now, or None (none there, or unreadable)."""
    from easein.store.keyfile import KeyUnavailable, read_key_file

    if key_file is None or not key_file.exists():
        return None
    try:
        return read_key_file(key_file)
    except KeyUnavailable:
        return None


def _install_key(key_file: Path, key: bytes, manifest: Manifest) -> None:
    from easein.store.keyfile import KeyUnavailable, read_key_file, write_key_file

    if key_file.exists():
        with suppress(KeyUnavailable):
            if read_key_file(key_file) == key:
                return
        stamp = manifest.created_at.strftime("%Y%m%dT%H%M%SZ")
        os.replace(key_file, key_file.with_name(f"{key_file.name}.replaced-{stamp}"))
    write_key_file(key_file, key)


@contextmanager
def _staged(target: Path, data: bytes) -> Iterator[Path]:
    """Yield a fsynced copy of `data` next to `target`; removed unless renamed."""
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.restore-", dir=target.parent)
    staged = Path(temp)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        yield staged
    finally:
        for leftover in (staged, *sidecars(staged)):
            with suppress(FileNotFoundError):
                leftover.unlink()


def sidecars(path: Path) -> tuple[Path, ...]:
    return tuple(path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal"))


def _check_database(
    path: Path, revision: str, name: str, key: bytes | None = None, *, unreadable: str | None = None
) -> None:
    try:
        with closing(open_file(path, key, isolation_level=None)) as conn:
            ok = conn.execute("PRAGMA integrity_check").fetchall()
            found = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except errors("DatabaseError") as error:
        if unreadable is not None:
            raise InvalidInput(unreadable, field="key_file", code="key_unavailable") from None
        raise damaged(name, f"not a readable SQLite database: {error}") from None
    if ok != [("ok",)]:
        raise damaged(name, f"integrity check: {ok[0][0]}")
    if found is None or found[0] != revision:
        raise damaged(name, "the database's schema revision differs from its manifest")


def _convert(staged: Path, key: bytes | None, wanted: bytes | None) -> None:
    """Make the staged database the kind the target asks for: SQLCipher under `wanted`,
    or plain when `wanted` is None (`key` is the staged file's own, None when plain)."""
    from easein.store.sqlcipher import export

    converted = staged.with_name(staged.name + ".converted")
    try:
        export(staged, key, converted, wanted)
        os.replace(converted, staged)
    finally:
        for leftover in (converted, *sidecars(converted)):
            with suppress(FileNotFoundError):
                leftover.unlink()


def _migrate(path: Path, key: bytes | None = None) -> None:
    from easein.store.db import make_engine
    from easein.store.migrations import upgrade

    engine = make_engine(f"sqlite:///{path}", sqlcipher_key=key)
    try:
        upgrade(engine)
    finally:
        engine.dispose()


def settle(path: Path, key: bytes | None = None) -> None:
    """Fold any WAL into the file, leave no sidecar files, and fsync it."""
    with closing(open_file(path, key, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


@contextmanager
def exclusive(target: Path, key: bytes | None = None) -> Iterator[None]:
    """Make sure nobody has `target` open and no WAL of it is left, then yield.

    A WAL left beside the target would be replayed onto the restored file and
    corrupt it. Leaving WAL mode needs every other connection closed, so it is
    also the test that no `easein serve` is using the database.
    """
    if not target.exists():
        yield
        return
    try:
        with closing(open_file(target, key, isolation_level=None, timeout=1.0)) as conn:
            conn.execute("PRAGMA journal_mode=DELETE")
    except errors("OperationalError"):
        raise Conflict(
            f"{target} is in use by another process (stop `easein serve` and any other "
            "easein command, then restore); nothing restored",
            field="database_url",
            code="database_in_use",
        ) from None
    except errors("DatabaseError"):
        pass  # not a SQLite file: replaced whole (only with --yes, see holds_records)
    for sidecar in sidecars(target):
        if sidecar.exists():
            raise Conflict(
                f"{sidecar} is still there: is another process using the database? "
                "nothing restored",
                field="database_url",
                code="database_in_use",
            )
    yield


def holds_records(target: Path, key: bytes | None = None) -> bool:
    """Return whether the SQLite file at `target` holds any row beyond its schema revision.

    `key` opens it if it is an SQLCipher file (see `store.sqlcipher.open_file`).
    """
    if not target.exists() or target.stat().st_size == 0:
        return False
    try:
        # Read-write, though it only reads: a read-only connection to a WAL database
        # leaves -wal and -shm files behind; this one removes them as it closes.
        with closing(open_file(target, key, isolation_level=None)) as conn:
            tables = [
                row[0]
                for row in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'"
                )
            ]
            return any(
                # An identifier cannot be a bound parameter: the name is quoted, its own
                # quotes doubled (SQL's escape), so no table name can end the quoting.
                conn.execute(
                    f"SELECT 1 FROM {_quoted(table)} LIMIT 1"  # noqa: S608 # nosec B608
                ).fetchone()
                for table in tables
            )
    except errors("DatabaseError"):
        return True  # unreadable: treat as precious


def _quoted(identifier: str) -> str:
    """Return `identifier` as an SQL quoted identifier: "name", with " doubled."""
    return '"' + identifier.replace('"', '""') + '"'
