"""Migrations: one linear chain, HEAD names its tip, and the models agree with it.

Runs on the backend the suite runs on (SQLite, or PostgreSQL with
EASEIN_TEST_DATABASE_URL). The drift and downgrade tests start from an EMPTY
database, not the migrated template, so that they exercise every migration.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import Script, ScriptDirectory
from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.engine import make_url

from easein.store import migrations
from easein.store.db import make_engine
from easein.store.migrations import (
    HEAD,
    alembic_config,
    current_revision,
    ensure_current,
    upgrade,
)
from easein.store.models import every_table

PG_URL = os.environ.get("EASEIN_TEST_DATABASE_URL", "")


@pytest.fixture
def empty_url(template_url: str, tmp_path: Path) -> Iterator[str]:
    """Return the URL of a brand-new database with no tables at all.

    Depends on `template_url` only to share its choice of backend and its
    skip-or-fail behaviour when PostgreSQL is unreachable.
    """
    if template_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    name = f"easein_e_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def empty_engine(empty_url: str) -> Iterator[Engine]:
    engine = make_engine(empty_url)
    yield engine
    engine.dispose()


@pytest.fixture
def scripts(empty_engine: Engine) -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config(empty_engine))


def chain_base_to_head(scripts: ScriptDirectory) -> list[Script]:
    """Return the revisions from the first to the newest."""
    return list(reversed(list(scripts.walk_revisions("base", "heads"))))


def drift(engine: Engine) -> list[object]:
    """Return what autogenerate would change to make the database match the models."""
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "render_as_batch": True}
        )
        return list(compare_metadata(context, every_table()))


def user_tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def downgrade(engine: Engine, revision: str) -> None:
    command.downgrade(alembic_config(engine), revision)


# --- the revision chain --------------------------------------------------------------


def test_the_revision_chain_has_one_head_and_one_base(scripts: ScriptDirectory) -> None:
    assert len(scripts.get_heads()) == 1, scripts.get_heads()
    assert len(scripts.get_bases()) == 1, scripts.get_bases()


def test_every_revision_has_at_most_one_down_revision(scripts: ScriptDirectory) -> None:
    for script in scripts.walk_revisions():
        down = script.down_revision
        assert down is None or isinstance(down, str), (
            f"{script.revision} merges {down}: keep the chain linear"
        )
        assert not script.is_merge_point, script.revision
        assert not script.dependencies, f"{script.revision} depends_on {script.dependencies}"


def test_the_chain_from_head_reaches_base_through_every_revision(
    scripts: ScriptDirectory,
) -> None:
    all_revisions = {script.revision for script in scripts.walk_revisions()}
    seen = []
    revision: str | None = scripts.get_current_head()
    while revision is not None:
        seen.append(revision)
        down = scripts.get_revision(revision).down_revision
        assert down is None or isinstance(down, str)
        revision = down
    assert set(seen) == all_revisions
    assert len(seen) == len(all_revisions)
    assert seen[-1] == scripts.get_bases()[0]


def test_head_constant_names_the_newest_revision(scripts: ScriptDirectory) -> None:
    assert scripts.get_current_head() == HEAD


# --- applying the migrations ---------------------------------------------------------


def test_an_empty_database_has_no_revision(empty_engine: Engine) -> None:
    assert current_revision(empty_engine) is None
    assert user_tables(empty_engine) == set()


def test_upgrade_on_an_empty_database_matches_the_models(empty_engine: Engine) -> None:
    upgrade(empty_engine)
    assert current_revision(empty_engine) == HEAD
    assert user_tables(empty_engine) == set(every_table().tables)
    assert drift(empty_engine) == []


def test_the_per_test_database_matches_the_models(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        assert current_revision(engine) == HEAD
        assert drift(engine) == []
    finally:
        engine.dispose()


def test_downgrade_to_base_then_upgrade_again(empty_engine: Engine) -> None:
    upgrade(empty_engine)
    downgrade(empty_engine, "base")
    assert user_tables(empty_engine) == set()
    assert current_revision(empty_engine) is None
    upgrade(empty_engine)
    assert current_revision(empty_engine) == HEAD
    assert drift(empty_engine) == []


def test_every_revision_upgrades_downgrades_and_upgrades_again(
    empty_engine: Engine, scripts: ScriptDirectory
) -> None:
    """The "stairway": each step can be undone and redone on its own."""
    for script in chain_base_to_head(scripts):
        down = script.down_revision
        assert down is None or isinstance(down, str)
        upgrade(empty_engine, script.revision)
        assert current_revision(empty_engine) == script.revision
        downgrade(empty_engine, down or "base")
        assert current_revision(empty_engine) == down
        upgrade(empty_engine, script.revision)
        assert current_revision(empty_engine) == script.revision
    assert current_revision(empty_engine) == HEAD
    assert drift(empty_engine) == []


# --- ensure_current (start-up) ---------------------------------------------------------


def test_ensure_current_migrates_an_empty_database(empty_engine: Engine) -> None:
    ensure_current(empty_engine)
    assert current_revision(empty_engine) == HEAD
    assert drift(empty_engine) == []


def test_ensure_current_on_a_current_database_does_not_migrate(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def must_not_run(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("ensure_current ran the migrations on a current database")

    monkeypatch.setattr(migrations, "upgrade", must_not_run)
    engine = make_engine(database_url)
    try:
        ensure_current(engine)
        ensure_current(engine)
        assert current_revision(engine) == HEAD
    finally:
        engine.dispose()


def test_ensure_current_on_a_current_database_does_not_import_alembic(
    database_url: str,
) -> None:
    """Start-up on an up-to-date database costs one query, not an Alembic import."""
    script = (
        "import sys\n"
        "from easein.store.db import make_engine\n"
        "from easein.store.migrations import HEAD, current_revision, ensure_current\n"
        "engine = make_engine(sys.argv[1])\n"
        "ensure_current(engine)\n"
        "assert current_revision(engine) == HEAD, current_revision(engine)\n"
        "engine.dispose()\n"
        "loaded = sorted(m for m in sys.modules if m == 'alembic' or m.startswith('alembic.'))\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, database_url],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_a_database_from_a_newer_version_is_refused_with_a_clear_message(database_url):
    from sqlalchemy import text

    from easein.store.db import DatabaseUnavailable, make_engine
    from easein.store.migrations import ensure_current

    engine = make_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
        with pytest.raises(DatabaseUnavailable, match="newer than this EaseIn knows"):
            ensure_current(engine)
    finally:
        engine.dispose()
