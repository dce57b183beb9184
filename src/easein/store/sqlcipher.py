"""SQLCipher: the whole SQLite file encrypted (the `sqlcipher` setting), in one place.

Encryption at rest seals the payloads; the columns (dates, durations, sizes, kinds, user
names) stay readable in a plain SQLite file. With SQLCipher every page of the file and
of its WAL is encrypted (AES-256, with an HMAC per page), so the file shows nothing.

The database key is derived from the installation key (HKDF, its own label) and given
to SQLCipher as a raw key (`x'<hex>'`): no passphrase, so none of SQLCipher's PBKDF2
work on every new connection. The key file must therefore be read before the engine
is made.

`sqlcipher3` (a DB-API module like `sqlite3`; its PyPI wheels bundle SQLCipher 4)
is imported only where it is needed: the app on a plain database
never loads it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from easein.store.crypto import derive_key

LABEL = "easein/sqlcipher/v1"
# The first 16 bytes of every plain SQLite file; an SQLCipher file starts with its salt.
SQLITE_HEADER = b"SQLite format 3\x00"


def database_key(master: bytes) -> bytes:
    """Return the SQLCipher key of the database sealed with installation key `master`."""
    return derive_key(master, LABEL)


def raw_key(key: bytes) -> str:
    """Return `key` in SQLCipher's raw-key notation, used as given (no key derivation)."""
    return f"x'{key.hex()}'"


def module() -> Any:
    """Return the `sqlcipher3` module, or say how to get it."""
    try:
        import sqlcipher3
    except ImportError:
        from easein.store.db import DatabaseUnavailable

        raise DatabaseUnavailable(
            "the sqlcipher setting needs the sqlcipher3 module: install EaseIn's dependencies "
            "again (pip install sqlcipher3), or set sqlcipher = false"
        ) from None
    return sqlcipher3


def file_kind(path: Path) -> str:
    """Return "none" (no file, or empty), "plain" (SQLite's header) or "encrypted"."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return "none"
    if not head:
        return "none"
    return "plain" if head == SQLITE_HEADER else "encrypted"


def use_key(connection: Any, key: bytes) -> None:
    """Key a new SQLCipher connection; before anything else touches the database."""
    # SQLCipher logs a failed page check (a wrong key) to stderr: the caller says it better.
    connection.execute("PRAGMA cipher_log_level = NONE")
    connection.execute(f'PRAGMA key = "{raw_key(key)}"')


def connect(path: Path, key: bytes | None, **kwargs: Any) -> Any:
    """Return a DB-API connection to the file at `path`: SQLCipher under `key`, or plain."""
    sqlcipher3 = module()
    connection = sqlcipher3.connect(str(path), **kwargs)
    try:
        if key is not None:
            use_key(connection, key)
    except BaseException:
        connection.close()
        raise
    return connection


def open_file(path: Path, key: bytes | None, **kwargs: Any) -> Any:
    """Return a connection to a SQLite file of either kind: sqlite3 for a plain file,
    SQLCipher under `key` for an encrypted one (a wrong or missing key fails on first
    read with DatabaseError, as sqlite3 does for a file that is not a database)."""
    if key is None or file_kind(path) == "plain":
        import sqlite3

        return sqlite3.connect(path, **kwargs)
    return connect(path, key, **kwargs)


def errors(name: str) -> tuple[type[Exception], ...]:
    """Return the DB-API exception `name` of sqlite3 and of SQLCipher, to catch either."""
    import sqlite3

    found: list[type[Exception]] = [getattr(sqlite3, name)]
    try:
        import sqlcipher3
    except ImportError:
        pass
    else:
        found.append(getattr(sqlcipher3, name))
    return tuple(found)


def export(source: Path, source_key: bytes | None, target: Path, target_key: bytes | None) -> None:
    """Copy the database at `source` into a new file `target` with `sqlcipher_export`.

    A key of None means a plain file: plain to encrypted, encrypted to plain, or
    encrypted again under another key. The copy is a fresh database (like VACUUM):
    no free page of the source travels into it.
    """
    connection = connect(source, source_key, isolation_level=None)
    try:
        secret = raw_key(target_key) if target_key is not None else ""
        connection.execute("ATTACH DATABASE ? AS exported KEY ?", (str(target), secret))
        try:
            connection.execute("SELECT sqlcipher_export('exported')")
        finally:
            connection.execute("DETACH DATABASE exported")
    finally:
        connection.close()
