"""Restoring a backup: checked in full, then swapped in whole, or nothing changes."""

from __future__ import annotations

import os
import sqlite3
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


@dataclass(frozen=True)
class Restored:
    manifest: Manifest
    revision: str
    migrated_from: str | None


def restore_backup(
    blob: bytes, opening: Opening, target_url: str, *, overwrite: bool, name: str
) -> Restored:
    """Replace the SQLite database at `target_url` with a backup, or change nothing.

    The database is written next to the target, checked (hash, integrity check,
    schema revision), migrated if it is older, fsynced and renamed over the
    target in one step. A newer schema is refused; a target holding records is
    replaced only with `overwrite`; a target another process has open is refused.
    """
    from easein.store.migrations import HEAD, known_revisions

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
    if not overwrite and holds_records(target):
        raise Conflict(
            f"{target} holds records: restoring replaces them all; confirm with --yes",
            field="confirm",
            code="confirmation_required",
        )
    with _staged(target, data) as staged:
        _check_database(staged, revision, name)
        migrated_from = None
        if revision != HEAD:
            _migrate(staged)
            migrated_from = revision
        _settle(staged)
        with _exclusive(target):
            os.replace(staged, target)
        fsync_folder(target.parent)
    return Restored(manifest, HEAD, migrated_from)


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
        for leftover in (staged, *_sidecars(staged)):
            with suppress(FileNotFoundError):
                leftover.unlink()


def _sidecars(path: Path) -> tuple[Path, ...]:
    return tuple(path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal"))


def _check_database(path: Path, revision: str, name: str) -> None:
    try:
        with closing(sqlite3.connect(path, isolation_level=None)) as conn:
            ok = conn.execute("PRAGMA integrity_check").fetchall()
            found = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as error:
        raise damaged(name, f"not a readable SQLite database: {error}") from None
    if ok != [("ok",)]:
        raise damaged(name, f"integrity check: {ok[0][0]}")
    if found is None or found[0] != revision:
        raise damaged(name, "the database's schema revision differs from its manifest")


def _migrate(path: Path) -> None:
    from easein.store.db import make_engine
    from easein.store.migrations import upgrade

    engine = make_engine(f"sqlite:///{path}")
    try:
        upgrade(engine)
    finally:
        engine.dispose()


def _settle(path: Path) -> None:
    """Fold any WAL into the file, leave no sidecar files, and fsync it."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


@contextmanager
def _exclusive(target: Path) -> Iterator[None]:
    """Make sure nobody has `target` open and no WAL of it is left, then yield.

    A WAL left beside the target would be replayed onto the restored file and
    corrupt it. Leaving WAL mode needs every other connection closed, so it is
    also the test that no `easein serve` is using the database.
    """
    if not target.exists():
        yield
        return
    try:
        with closing(sqlite3.connect(target, isolation_level=None, timeout=1.0)) as conn:
            conn.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.OperationalError:
        raise Conflict(
            f"{target} is in use by another process (stop `easein serve` and any other "
            "easein command, then restore); nothing restored",
            field="database_url",
            code="database_in_use",
        ) from None
    except sqlite3.DatabaseError:
        pass  # not a SQLite file: replaced whole (only with --yes, see holds_records)
    for sidecar in _sidecars(target):
        if sidecar.exists():
            raise Conflict(
                f"{sidecar} is still there: is another process using the database? "
                "nothing restored",
                field="database_url",
                code="database_in_use",
            )
    yield


def holds_records(target: Path) -> bool:
    """Return whether the SQLite file at `target` holds any row beyond its schema revision."""
    if not target.exists() or target.stat().st_size == 0:
        return False
    try:
        # Read-write, though it only reads: a read-only connection to a WAL database
        # leaves -wal and -shm files behind; this one removes them as it closes.
        with closing(sqlite3.connect(target, isolation_level=None)) as conn:
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
    except sqlite3.DatabaseError:
        return True  # unreadable: treat as precious


def _quoted(identifier: str) -> str:
    """Return `identifier` as an SQL quoted identifier: "name", with " doubled."""
    return '"' + identifier.replace('"', '""') + '"'
