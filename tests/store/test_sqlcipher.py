"""The sqlcipher setting: the whole SQLite file encrypted, so not even dates leak from it.

An app writes sessions with notes and dates; the file and its WAL hold neither the
notes nor the dates nor SQLite's header; plain sqlite3 cannot read it; the app reads
everything again with the same key file and refuses another one with KeyUnavailable;
the pragmas of every SQLite connection hold; `easein db encrypt` converts a plain
database once. These tests make their own files, so they run on a PostgreSQL run too.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
import sqlcipher3  # noqa: F401  (a dependency: missing, these tests fail, never skip)

from easein.cli.context import STATE
from easein.domain.errors import Conflict, InvalidInput
from easein.services.app import App, open_app
from easein.services.encrypt_database import encrypt_database
from easein.services.exchange import export_document
from easein.services.profile import local_profile
from easein.settings import Settings, cheap_hashing_for_tests_only, get_settings
from easein.store.crypto import new_key
from easein.store.db import DatabaseUnavailable
from easein.store.keyfile import KeyUnavailable, read_key_file, write_key_file
from easein.store.sqlcipher import SQLITE_HEADER, database_key, open_file
from tests.backup_world import MARKER, build_world
from tests.cli.conftest import Cli, run_cli
from tests.conftest import FakeClock


def cli_on(db: str, clock: FakeClock, capsys: pytest.CaptureFixture[str]) -> Cli:
    """Return a runner of `easein --db DB ...`, starting from no open app.

    A test elsewhere that invokes the command without `run()` can leave the CLI's
    cached app open on its own database: dropped here, or it would be used.
    """
    STATE.close()
    return run_cli(db, clock, capsys)


def settings_for(folder: Path, *, sqlcipher: bool = True, key: str = "easein.key") -> Settings:
    return cheap_hashing_for_tests_only(
        Settings(
            database_url=str(folder / "easein.db"),
            key_file=str(folder / key),
            sqlcipher=sqlcipher,
        )
    )


def session_dates(app: App) -> list[str]:
    """Return the dates of the sessions as ISO text (YYYY-MM-DD), as a column would hold them."""
    document = export_document(app, local_profile(app))
    return sorted({s["started_at"][:10] for s in document["sessions"]})


def leaks(data: bytes, dates: list[str]) -> list[str]:
    """Return what of the marker, the dates and SQLite's header is in `data`."""
    found = [text for text in (MARKER, *dates) if text.encode() in data]
    if SQLITE_HEADER in data:
        found.append("SQLite header")
    return found


@pytest.fixture
def filled(tmp_path: Path, clock: FakeClock) -> Iterator[tuple[App, dict, list[str]]]:
    """An app with the sqlcipher setting, filled through the services; still open."""
    app = open_app(settings_for(tmp_path), clock=clock)
    build_world(app)
    dates = session_dates(app)
    assert len(dates) == 6
    yield app, export_document(app, local_profile(app)), dates
    app.close()


def test_the_file_and_its_wal_show_no_header_no_marker_and_no_date(filled, tmp_path):
    app, _, dates = filled
    db = tmp_path / "easein.db"
    wal, shm = db.with_name("easein.db-wal"), db.with_name("easein.db-shm")
    # While the app is open the latest writes are in the WAL: it must hold something.
    assert wal.stat().st_size > 0
    assert not db.read_bytes().startswith(SQLITE_HEADER)
    for path in (db, wal, shm):
        assert leaks(path.read_bytes(), dates) == [], path.name
    app.close()
    assert leaks(db.read_bytes(), dates) == []


def test_control_a_plain_database_shows_the_marker_header_and_dates(tmp_path, clock):
    """The check above can see a leak: the same world in a plain file shows all three."""
    app = open_app(settings_for(tmp_path, sqlcipher=False), clock=clock)
    try:
        build_world(app)
        dates = session_dates(app)
        with app.db.querying() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        app.close()
    found = leaks((tmp_path / "easein.db").read_bytes(), dates)
    assert "SQLite header" in found
    assert set(dates) <= set(found)
    # The payloads are sealed even in a plain file: the marker is not there either.
    assert MARKER not in found


def test_plain_sqlite3_cannot_read_it(filled, tmp_path):
    with (
        closing(sqlite3.connect(tmp_path / "easein.db")) as conn,
        pytest.raises(sqlite3.DatabaseError, match="not a database"),
    ):
        conn.execute("SELECT name FROM sqlite_master").fetchall()


def test_the_app_reads_everything_again_with_the_same_key_file(filled, tmp_path, clock):
    app, before, _ = filled
    app.close()
    again = open_app(settings_for(tmp_path), clock=clock)
    try:
        assert export_document(again, local_profile(again)) == before
        assert any(MARKER in s["notes"] for s in before["sessions"])
    finally:
        again.close()


def test_another_key_file_is_refused_with_key_unavailable(filled, tmp_path, clock):
    app, _, _ = filled
    app.close()
    other = tmp_path / "other"
    open_app(settings_for(other), clock=clock).close()  # a key file of another database
    settings = settings_for(tmp_path, key="other/easein.key")
    with pytest.raises(KeyUnavailable, match="does not open this encrypted database"):
        open_app(settings, clock=clock)


def test_a_missing_key_file_is_refused_and_no_new_key_is_made(filled, tmp_path, clock):
    app, _, _ = filled
    app.close()
    settings = settings_for(tmp_path, key="gone.key")
    with pytest.raises(KeyUnavailable, match="is missing"):
        open_app(settings, clock=clock)
    assert not (tmp_path / "gone.key").exists()


def test_a_wrong_key_file_is_one_line_of_error_in_the_cli_not_a_traceback(
    filled, tmp_path, capsys, monkeypatch
):

    app, _, _ = filled
    app.close()
    write_key_file(tmp_path / "wrong.key", new_key())  # a well-formed key, not this one
    monkeypatch.setenv("EASEIN_SQLCIPHER", "true")
    monkeypatch.setenv("EASEIN_KEY_FILE", str(tmp_path / "wrong.key"))
    result = cli_on(str(tmp_path / "easein.db"), FakeClock(), capsys)("status")
    assert result.code == 2
    assert "Traceback" not in result.err
    assert len(result.err_lines) == 1 and "does not open this encrypted database" in result.err


def test_the_sqlite_pragmas_hold_under_sqlcipher(tmp_path, clock):
    settings = cheap_hashing_for_tests_only(
        Settings(
            database_url=str(tmp_path / "easein.db"),
            key_file=str(tmp_path / "easein.key"),
            sqlcipher=True,
            busy_timeout_ms=1234,
        )
    )
    app = open_app(settings, clock=clock)
    try:
        with app.db.engine.connect() as first, app.db.engine.connect() as second:
            for conn in (first, second):
                assert conn.exec_driver_sql("PRAGMA cipher_version").scalar()
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
                assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 1234
                assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        with app.db.writing() as session:  # BEGIN IMMEDIATE, as on a plain file
            conn = session.connection()
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 1234
            assert conn.exec_driver_sql("PRAGMA cipher_version").scalar()
    finally:
        app.close()


def test_a_plain_database_is_refused_with_how_to_encrypt_it(tmp_path, clock):
    open_app(settings_for(tmp_path, sqlcipher=False), clock=clock).close()
    with pytest.raises(DatabaseUnavailable, match="easein db encrypt"):
        open_app(settings_for(tmp_path), clock=clock)


def test_an_encrypted_database_with_the_setting_off_is_refused_with_what_to_set(filled, tmp_path):
    app, _, _ = filled
    app.close()
    with pytest.raises(DatabaseUnavailable, match="sqlcipher = true"):
        open_app(settings_for(tmp_path, sqlcipher=False))


def test_the_setting_is_refused_for_postgresql():
    with pytest.raises(InvalidInput, match="encrypts a SQLite file") as refused:
        Settings(database_url="postgresql+psycopg://postgres@127.0.0.1/x", sqlcipher=True)
    assert refused.value.field == "sqlcipher"
    assert Settings(database_url="sqlite+pysqlite:///x.db", sqlcipher=True).sqlcipher


def test_the_setting_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("EASEIN_SQLCIPHER", "true")
    assert get_settings().sqlcipher is True
    monkeypatch.setenv("EASEIN_SQLCIPHER", "maybe")
    with pytest.raises(InvalidInput, match="true or false"):
        get_settings()


# --- easein db encrypt -----------------------------------------------------------------


def table_hashes(path: Path, key: bytes | None) -> dict[str, str]:
    """Return a SHA-256 of the rows of every table of the SQLite file at `path`, either kind."""
    with closing(open_file(path, key)) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {
            name: hashlib.sha256(
                "\n".join(sorted(repr(r) for r in conn.execute(f'SELECT * FROM "{name}"'))).encode()
            ).hexdigest()
            for name in names
        }


def test_db_encrypt_converts_a_plain_database_in_place(tmp_path, clock):
    plain = settings_for(tmp_path, sqlcipher=False)
    app = open_app(plain, clock=clock)
    build_world(app)
    before = export_document(app, local_profile(app))
    dates = session_dates(app)
    app.close()
    db = tmp_path / "easein.db"
    rows_before = table_hashes(db, None)

    assert encrypt_database(plain, clock()) == db
    key = database_key(read_key_file(tmp_path / "easein.key"))
    assert leaks(db.read_bytes(), dates) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["easein.db", "easein.key"]
    assert table_hashes(db, key) == rows_before

    app = open_app(settings_for(tmp_path), clock=clock)
    try:
        assert export_document(app, local_profile(app)) == before
    finally:
        app.close()
    with pytest.raises(Conflict, match="encrypted already"):
        encrypt_database(plain, clock())


def test_db_encrypt_refuses_a_database_in_use_and_changes_nothing(tmp_path, clock):
    plain = settings_for(tmp_path, sqlcipher=False)
    app = open_app(plain, clock=clock)
    try:
        build_world(app)
        with pytest.raises(Conflict, match="in use"):
            encrypt_database(plain, clock())
    finally:
        app.close()
    assert (tmp_path / "easein.db").read_bytes().startswith(SQLITE_HEADER)
    assert not [p for p in tmp_path.iterdir() if ".encrypt-" in p.name]


def test_db_encrypt_refuses_a_key_file_of_another_database(tmp_path, clock):
    open_app(settings_for(tmp_path / "other"), clock=clock).close()
    open_app(settings_for(tmp_path, sqlcipher=False), clock=clock).close()
    before = (tmp_path / "easein.db").read_bytes()
    wrong = settings_for(tmp_path, sqlcipher=False, key="other/easein.key")
    with pytest.raises(KeyUnavailable):
        encrypt_database(wrong, clock())
    assert (tmp_path / "easein.db").read_bytes() == before


def test_db_encrypt_through_the_cli(tmp_path, capsys, monkeypatch):

    plain = settings_for(tmp_path, sqlcipher=False)
    open_app(plain).close()
    monkeypatch.setenv("EASEIN_KEY_FILE", str(tmp_path / "easein.key"))
    result = cli_on(str(tmp_path / "easein.db"), FakeClock(), capsys)("db", "encrypt", "--json")
    assert result.code == 0, result.err
    assert result.json() == {
        "encrypted": True,
        "path": str(tmp_path / "easein.db"),
        "sqlcipher_setting": False,
    }
    assert not (tmp_path / "easein.db").read_bytes().startswith(SQLITE_HEADER)
