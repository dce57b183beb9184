"""SQLite connection settings and transactions: WAL, foreign keys, busy timeout, BEGIN IMMEDIATE.

The pragma and concurrency tests are SQLite-only and skip on PostgreSQL. The
cascade, foreign-key and rollback tests hold on both backends and run on both.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session as DbSession

from easein.services.app import open_app
from easein.settings import Settings
from easein.store.codec import Context, PlainCodec
from easein.store.db import Database, make_engine
from easein.store.models import (
    AcknowledgementRow,
    ConditionRow,
    Person,
    PlanRow,
    SessionRow,
    ToyRow,
    TrainingStateRow,
    every_table,
)

AT = datetime(2026, 3, 2, 20, 0, tzinfo=UTC)
CODEC = PlainCodec()
WAIT = 5.0  # seconds: an upper bound for events that happen at once; never slept


@pytest.fixture
def sqlite_url(database_url: str) -> str:
    if not database_url.startswith("sqlite"):
        pytest.skip(
            "SQLite pragmas and locking: PostgreSQL has neither (this run is on PostgreSQL)"
        )
    return database_url


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(make_engine(database_url))
    yield database
    database.dispose()


def new_person(session: DbSession) -> Person:
    person = Person(created_at=AT, adult_confirmed_at=AT, timezone="Europe/Berlin", units="mm")
    session.add(person)
    session.flush()
    return person


def payload(table: str, person_id: int) -> bytes:
    return CODEC.encode({"note": "x"}, Context(table, person_id, 0))


def people_count(database: Database) -> int:
    with database.reading() as session:
        return session.scalar(select(func.count()).select_from(Person)) or 0


# --- pragmas -------------------------------------------------------------------------


def pragma(database: Database, name: str) -> Any:
    with database.engine.connect() as conn:
        return conn.exec_driver_sql(f"PRAGMA {name}").scalar()


def test_journal_mode_is_wal(sqlite_url: str) -> None:
    database = Database(make_engine(sqlite_url))
    try:
        assert str(pragma(database, "journal_mode")).lower() == "wal"
    finally:
        database.dispose()


def test_foreign_keys_are_enforced_on_every_connection(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    try:
        with engine.connect() as first, engine.connect() as second:
            assert first.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert second.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()


def test_busy_timeout_is_the_setting(sqlite_url: str) -> None:
    app = open_app(Settings(database_url=sqlite_url, busy_timeout_ms=1234))
    try:
        assert pragma(app.db, "busy_timeout") == 1234
        with app.db.writing() as session:
            assert session.connection().exec_driver_sql("PRAGMA busy_timeout").scalar() == 1234
    finally:
        app.close()


def test_busy_timeout_defaults_to_the_settings_default(sqlite_url: str) -> None:
    app = open_app(Settings(database_url=sqlite_url))
    try:
        assert pragma(app.db, "busy_timeout") == Settings().busy_timeout_ms == 5000
    finally:
        app.close()


# --- foreign keys and cascades (both backends) ----------------------------------------


def test_every_reference_to_a_person_cascades_on_delete() -> None:
    for table in every_table().sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == "people":
                assert fk.ondelete == "CASCADE", f"{table.name}.{fk.parent.name}"


def test_deleting_a_person_deletes_everything_they_own(db: Database) -> None:
    with db.writing() as s:
        gone, kept = new_person(s).id, new_person(s).id
        for pid in (gone, kept):
            s.add(ToyRow(person_id=pid, created_at=AT, payload=payload("toys", pid)))
            s.add(
                SessionRow(
                    person_id=pid,
                    kind="stretch",
                    started_at=AT,
                    duration_s=900,
                    recorded_at=AT,
                    payload=payload("sessions", pid),
                )
            )
            s.add(ConditionRow(person_id=pid, since=AT, payload=payload("conditions", pid)))
            s.add(
                AcknowledgementRow(
                    person_id=pid, kind="clearance", at=AT, payload=payload("acks", pid)
                )
            )
            s.add(PlanRow(person_id=pid, created_at=AT, payload=payload("plans", pid)))
            s.add(
                TrainingStateRow(
                    person_id=pid, updated_at=AT, policy_key="k", payload=payload("ts", pid)
                )
            )

    with db.writing() as s:
        s.execute(delete(Person).where(Person.id == gone))

    owned = (ToyRow, SessionRow, ConditionRow, AcknowledgementRow, PlanRow, TrainingStateRow)
    with db.reading() as s:
        for model in owned:
            owners = list(s.scalars(select(model.person_id)))
            assert owners == [kept], model.__tablename__


def add_orphan_toy(database: Database) -> None:
    with database.writing() as s:
        s.add(ToyRow(person_id=999_999, created_at=AT, payload=payload("toys", 999_999)))
        s.flush()


def test_a_row_for_a_missing_person_is_refused(db: Database) -> None:
    with pytest.raises(IntegrityError):
        add_orphan_toy(db)
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(ToyRow)) == 0


# --- one write, one transaction (both backends) ----------------------------------------


class Boom(Exception):
    pass


def write_then_fail(database: Database) -> None:
    with database.writing() as s:
        person = new_person(s)
        s.add(ToyRow(person_id=person.id, created_at=AT, payload=payload("toys", person.id)))
        s.flush()  # the rows reached the database inside the transaction...
        raise Boom


def test_a_write_that_raises_leaves_nothing_behind(db: Database) -> None:
    with pytest.raises(Boom):
        write_then_fail(db)
    # ...and none of them is there afterwards, seen from a fresh connection.
    assert people_count(db) == 0
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(ToyRow)) == 0


def test_a_write_that_completes_is_committed(db: Database) -> None:
    with db.writing() as s:
        new_person(s)
    other = Database(make_engine(str(db.engine.url.render_as_string(hide_password=False))))
    try:
        assert people_count(other) == 1
    finally:
        other.dispose()


# --- concurrent writers (SQLite) --------------------------------------------------------


def run_in_thread(target: Callable[[], None], errors: list[BaseException]) -> threading.Thread:
    def wrapped() -> None:
        try:
            target()
        except BaseException as error:  # collected and asserted by the test
            errors.append(error)

    thread = threading.Thread(target=wrapped, daemon=True)
    thread.start()
    return thread


class HeldWriter:
    """Writer A: inserts a person, then keeps its write transaction open until released."""

    def __init__(self, database: Database):
        self.database = database
        self.holding = threading.Event()
        self.release = threading.Event()

    def __call__(self) -> None:
        with self.database.writing() as s:
            new_person(s)
            self.holding.set()
            assert self.release.wait(WAIT), "writer A was never released"


def test_a_second_writer_waits_for_the_first_instead_of_failing(sqlite_url: str) -> None:
    a = Database(make_engine(sqlite_url))
    b = Database(make_engine(sqlite_url))
    errors: list[BaseException] = []
    writer_a = HeldWriter(a)
    b_started, b_done = threading.Event(), threading.Event()
    seen_by_b: list[int] = []

    def writer_b() -> None:
        b_started.set()
        with b.writing() as s:
            # Read, then write: the pattern that fails with "database is locked" in a
            # deferred transaction when another writer commits in between.
            seen_by_b.append(s.scalar(select(func.count()).select_from(Person)) or 0)
            new_person(s)
        b_done.set()

    try:
        thread_a = run_in_thread(writer_a, errors)
        assert writer_a.holding.wait(WAIT)
        thread_b = run_in_thread(writer_b, errors)
        assert b_started.wait(WAIT)
        # B is blocked on A's write lock (BEGIN IMMEDIATE) and keeps waiting.
        assert not b_done.wait(0.2)
        # Meanwhile WAL lets a reader in; it does not see A's uncommitted person.
        assert people_count(b) == 0
        writer_a.release.set()
        thread_a.join(WAIT)
        thread_b.join(WAIT)
        assert not thread_a.is_alive()
        assert not thread_b.is_alive()
        assert errors == []
        assert b_done.is_set()
        # B's transaction began after A committed, so its read saw A's person.
        assert seen_by_b == [1]
        assert people_count(a) == 2
    finally:
        writer_a.release.set()
        a.dispose()
        b.dispose()


def test_a_writer_gives_up_cleanly_after_its_busy_timeout(sqlite_url: str) -> None:
    """Control: without a long enough busy timeout, the second writer would fail."""
    a = Database(make_engine(sqlite_url))
    b = Database(make_engine(sqlite_url, busy_timeout_ms=50))
    errors_a: list[BaseException] = []
    errors_b: list[BaseException] = []
    writer_a = HeldWriter(a)

    def writer_b() -> None:
        with b.writing() as s:
            new_person(s)

    try:
        thread_a = run_in_thread(writer_a, errors_a)
        assert writer_a.holding.wait(WAIT)
        thread_b = run_in_thread(writer_b, errors_b)
        thread_b.join(WAIT)
        assert not thread_b.is_alive()
        assert len(errors_b) == 1
        assert isinstance(errors_b[0], OperationalError)
        assert "locked" in str(errors_b[0])
        writer_a.release.set()
        thread_a.join(WAIT)
        assert errors_a == []
        assert people_count(a) == 1  # A's write landed, B's left nothing
    finally:
        writer_a.release.set()
        a.dispose()
        b.dispose()
