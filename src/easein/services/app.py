"""The application context every service takes: database, settings, codec, clock."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from easein.domain.policy import Policy
from easein.services.memo import Memo
from easein.settings import Settings
from easein.store.codec import PayloadCodec, PlainCodec, SealedCodec
from easein.store.db import Database, DatabaseUnavailable, make_engine


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class App:
    """What the services need. Build it with `open_app`; tests pass their own clock."""

    db: Database
    settings: Settings
    policy: Policy
    codec: PayloadCodec = field(default_factory=PlainCodec)
    clock: Callable[[], datetime] = utc_now
    memo: Memo = field(default_factory=Memo)

    def __post_init__(self) -> None:
        self.db.on_change.append(self.memo.forget)

    def now(self) -> datetime:
        return self.clock()

    def close(self) -> None:
        self.db.dispose()


def open_app(
    settings: Settings,
    *,
    clock: Callable[[], datetime] | None = None,
    migrate: bool = True,
) -> App:
    """Return the app on the configured database, migrated to the newest schema."""
    from easein.store.keyfile import open_key

    policy = Policy.checked(**settings.thresholds())
    url = settings.resolved_database_url()
    sqlcipher_key = _sqlcipher_key(settings, url)
    engine = make_engine(url, busy_timeout_ms=settings.busy_timeout_ms, sqlcipher_key=sqlcipher_key)
    clock = clock or utc_now
    try:
        if sqlcipher_key is not None:
            _check_key_opens(engine, settings.resolved_key_file())
        if migrate:
            from easein.store.migrations import ensure_current

            ensure_current(engine)
        # Checks the key file against the fingerprint the database keeps (and records
        # it on a first start), with SQLCipher as without.
        key = open_key(settings.resolved_key_file(), engine, clock())
    except Exception:
        engine.dispose()
        raise
    return App(
        db=Database(engine),
        settings=settings,
        policy=policy,
        codec=SealedCodec(key),
        clock=clock,
    )


def _sqlcipher_key(settings: Settings, url: str) -> bytes | None:
    """Return the SQLCipher key of the database, or None when it is not encrypted.

    The installation key is read (or made, on a first start) before the engine, since
    SQLCipher needs it to read the file at all. A file of the other kind than the
    setting says is refused with what to do, not opened half-way.
    """
    from sqlalchemy.engine import make_url

    from easein.store.sqlcipher import database_key, file_kind

    parsed = make_url(url)
    path = None
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(parsed.database or "")
    kind = file_kind(path) if path is not None else "none"
    if not settings.sqlcipher:
        if kind == "encrypted":
            raise DatabaseUnavailable(
                f"{path} is not a plain SQLite file: if it was encrypted with SQLCipher, set "
                "sqlcipher = true (with the key file it was made with); otherwise it is damaged"
            )
        return None
    if kind == "plain":
        raise DatabaseUnavailable(
            f"{path} is a plain SQLite file, but the sqlcipher setting is on: encrypt it once "
            "with `easein db encrypt` (stop `easein serve` first), or set sqlcipher = false"
        )
    return database_key(_installation_key(settings.resolved_key_file(), kind == "encrypted"))


def _installation_key(path: Path, database_exists: bool) -> bytes:
    """Return the installation key in `path`; make it only for a database not made yet."""
    from easein.store.crypto import new_key
    from easein.store.keyfile import KeyUnavailable, read_key_file, write_key_file

    if path.exists():
        return read_key_file(path)
    if database_exists:
        raise KeyUnavailable(
            f"the key file {path} is missing: this encrypted database cannot be read without "
            "it. Restore it (from your backup) or point the key_file setting at it"
        )
    # Another process starting at the same time may have made it first.
    with suppress(FileExistsError):
        write_key_file(path, new_key())
    return read_key_file(path)


# SQLite's result code for "file is not a database": what SQLCipher answers to a wrong key.
SQLITE_NOTADB = 26


def _check_key_opens(engine: Engine, key_file: Path) -> None:
    """Refuse, with what to do, a key file that does not open the encrypted database."""
    from sqlalchemy.exc import DBAPIError

    from easein.store.keyfile import KeyUnavailable

    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
    except DBAPIError as error:
        if getattr(error.orig, "sqlite_errorcode", None) != SQLITE_NOTADB and (
            "file is not a database" not in str(error.orig)
        ):
            raise
        raise KeyUnavailable(
            f"the key file {key_file} does not open this encrypted database: it belongs to "
            "another database (or the database is damaged). Use this database's key file "
            "(key_file setting), restored from where you keep it"
        ) from None
