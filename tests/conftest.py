"""Fixtures: a fresh real database per test (SQLite by default, PostgreSQL by URL).

Set EASEIN_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test to
run the whole suite on PostgreSQL: each test gets its own database, cloned from a
migrated template. Without the server the database tests are skipped with the
reason, except under CI=true, where a missing database is a failure.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from easein.services.app import App, open_app
from easein.settings import Settings, cheap_hashing_for_tests_only
from easein.store.db import make_engine
from easein.store.migrations import upgrade

PG_URL = os.environ.get("EASEIN_TEST_DATABASE_URL", "")
ON_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(autouse=True, scope="session")
def _isolated_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep the developer's own config file and database out of every test."""
    home = tmp_path_factory.mktemp("home")
    saved = {
        k: os.environ.get(k)
        for k in (
            "EASEIN_CONFIG",
            "EASEIN_DATABASE_URL",
            "HOME",
            "XDG_DATA_HOME",
            "XDG_CONFIG_HOME",
        )
    }
    os.environ["EASEIN_CONFIG"] = str(home / "no-config.toml")
    os.environ.pop("EASEIN_DATABASE_URL", None)
    os.environ["XDG_DATA_HOME"] = str(home / "data")
    os.environ["XDG_CONFIG_HOME"] = str(home / "config")
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@dataclass
class FakeClock:
    """An injected clock: tests move time, nothing sleeps."""

    now: datetime = field(default_factory=lambda: datetime(2026, 3, 2, 20, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def _pg_admin_url() -> str:
    return PG_URL


def _pg_available() -> str | None:
    try:
        engine = create_engine(_pg_admin_url())
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as error:  # any failure to reach the server
        return f"{type(error).__name__}: {str(error).splitlines()[0]}"
    return None


@pytest.fixture(scope="session")
def template_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Return a migrated template database to clone per test."""
    if not PG_URL:
        path = tmp_path_factory.mktemp("template") / "template.db"
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine)
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
        yield f"sqlite:///{path}"
        return
    problem = _pg_available()
    if problem:
        message = f"PostgreSQL at EASEIN_TEST_DATABASE_URL is not reachable ({problem})"
        if ON_CI:
            pytest.fail(message + "; under CI=true this is a failure, not a skip")
        pytest.skip(message)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"easein_tpl_{worker}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(_pg_admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def fresh_database(template_url: str, tmp_path: Path) -> Iterator[Callable[[], str]]:
    """Return a factory of fresh, migrated databases, all dropped after the test."""
    made: list[str] = []
    admin = (
        None
        if template_url.startswith("sqlite")
        else create_engine(_pg_admin_url(), isolation_level="AUTOCOMMIT")
    )

    def make() -> str:
        if admin is None:
            target = tmp_path / f"easein-{len(made)}.db"
            shutil.copy(make_url(template_url).database or "", target)
            made.append(str(target))
            return f"sqlite:///{target}"
        name = f"easein_t_{uuid.uuid4().hex[:12]}"
        template = make_url(template_url).database
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        made.append(name)
        return make_url(template_url).set(database=name).render_as_string(hide_password=False)

    yield make
    if admin is not None:
        with admin.connect() as conn:
            for name in made:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def database_url(fresh_database: Callable[[], str]) -> str:
    """Return the URL of a fresh, migrated database for this test only."""
    return fresh_database()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url)


@pytest.fixture
def app(settings: Settings, clock: FakeClock) -> Iterator[App]:
    application = open_app(settings, clock=clock)
    yield application
    application.close()


def fast_hashing(settings: Settings) -> Settings:
    """Return `settings` with cheap password hashing (below the minimums Settings enforce)."""
    return cheap_hashing_for_tests_only(settings)


@dataclass
class LiveServer:
    """A real uvicorn server on a free loopback port, serving `create_app(settings)`."""

    url: str
    settings: Settings
    clock: FakeClock


@contextmanager
def serving(settings: Settings, clock: FakeClock) -> Iterator[LiveServer]:
    """Run `create_app(settings)` with uvicorn on a free loopback port, in a thread."""
    import socket
    import threading
    import time

    import uvicorn

    from easein.api.app import create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        create_app(settings, clock=clock), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", settings, clock)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def live_server(database_url: str, clock: FakeClock) -> Iterator[LiveServer]:
    """Start the web app and API with uvicorn; stop it after the test.

    Password hashing is made cheap here only (`fast_hashing`); the clock is injected.
    """
    with serving(fast_hashing(Settings(database_url=database_url)), clock) as server:
        yield server
