"""Engines and transactions, the same code path for SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import chain
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from easein.domain.errors import EaseInError
from easein.store.models import Person


class DatabaseUnavailable(EaseInError):
    code = "database_unavailable"


def make_engine(
    url: str, *, busy_timeout_ms: int = 5000, sqlcipher_key: bytes | None = None
) -> Engine:
    """Return an engine for `url`; SQLite gets WAL, foreign keys and a busy timeout.

    With `sqlcipher_key` (see `store.sqlcipher`), the SQLite file is opened through
    SQLCipher and every connection is keyed before anything reads it: same dialect,
    pool and pragmas, only the DB-API module differs.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        options: dict[str, Any] = {}
        if sqlcipher_key is not None:
            from easein.store import sqlcipher

            options["module"] = sqlcipher.module()
        engine = create_engine(
            parsed, connect_args={"timeout": busy_timeout_ms / 1000}, future=True, **options
        )
        if sqlcipher_key is not None:
            _key_connections(engine, sqlcipher_key)
        _configure_sqlite(engine, busy_timeout_ms)
        return engine
    if sqlcipher_key is not None:
        raise ValueError("SQLCipher encrypts SQLite files only")
    return create_engine(parsed, pool_pre_ping=True, future=True)


def _key_connections(engine: Engine, key: bytes) -> None:
    from easein.store.sqlcipher import use_key

    # "do_connect" makes the DB-API connection itself, so the key is set before the
    # dialect's first-connect queries and before the pragmas below read the file.
    @event.listens_for(engine, "do_connect")
    def keyed(dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
        connection = dialect.loaded_dbapi.connect(*cargs, **cparams)
        try:
            use_key(connection, key)
        except BaseException:
            connection.close()
            raise
        return connection


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transactions out of the driver's hands so that writes can BEGIN
        # IMMEDIATE: a deferred transaction that reads and then writes fails with
        # "database is locked" when another writer got in between.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        # FULL: a commit the person saw survives power loss too, not only a crash
        # of EaseIn (NORMAL in WAL mode may lose the last commits on power loss).
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        if connection.get_execution_options().get("easein_write"):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")


CHANGED = "easein_changed_people"


# Attributes that name whose data a row is: its owner, or both members of a pairing.
PEOPLE_ATTRIBUTES = ("person_id", "trainee_id", "partner_id")
_MEMBERS = text("SELECT trainee_id, partner_id FROM pairings WHERE id IN :ids").bindparams(
    bindparam("ids", expanding=True)
)


def _bump_revisions(session: Session, _context: Any, _instances: Any) -> None:
    """Bump `people.revision` of everyone whose data this flush changes.

    A reader that derived something from a person's data at revision r knows it
    is still current while the revision reads r: one indexed read instead of
    loading everything again, and the same answer in every worker process. A
    row of a pairing (a comment, a stop and talk, a signature...) concerns both
    of its members: both see it.
    """
    changed: set[int] = set()
    pairings: set[int] = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Person):
            if obj.id is not None:  # a person not flushed yet has no data to bump
                changed.add(obj.id)
            continue
        for name in PEOPLE_ATTRIBUTES:
            person_id = getattr(obj, name, None)
            if person_id is not None:
                changed.add(person_id)
        pairing_id = getattr(obj, "pairing_id", None)
        if pairing_id is not None:
            pairings.add(pairing_id)
    if not changed and not pairings:
        return
    connection = session.connection()
    if pairings:
        for row in connection.execute(_MEMBERS, {"ids": sorted(pairings)}):
            changed.update(member for member in row if member is not None)
    if changed:
        session.info.setdefault(CHANGED, set()).update(changed)
        people = Person.__table__
        connection.execute(
            people.update()
            .where(people.c.id.in_(sorted(changed)))
            .values(revision=people.c.revision + 1)
        )


class Database:
    """An engine and its session factories: one for reads, one for writes."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.is_sqlite = engine.dialect.name == "sqlite"
        self._read = sessionmaker(engine, expire_on_commit=False)
        self._write = sessionmaker(
            engine.execution_options(easein_write=True), expire_on_commit=False
        )
        event.listen(self._write, "before_flush", _bump_revisions)
        event.listen(self._write, "after_commit", self._committed)
        # Called with the ids of the people whose data a committed write changed.
        self.on_change: list[Callable[[set[int]], None]] = []

    def _committed(self, session: Session) -> None:
        changed = session.info.pop(CHANGED, None)
        if changed:
            for callback in self.on_change:
                callback(changed)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """Yield a session for reads; it never commits."""
        with self._read() as session:
            yield session

    @contextmanager
    def querying(self) -> Iterator[Connection]:
        """Yield a plain connection for one hot read (no ORM session); it never commits."""
        with self.engine.connect() as connection:
            yield connection

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """Yield a session whose work is one transaction: all of it lands, or none."""
        with self._write() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
