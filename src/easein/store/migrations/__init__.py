"""Alembic migrations, configured in code (no alembic.ini), applied on start-up.

`HEAD` names the newest revision so that start-up can tell, with one query and
without importing Alembic, whether the database is up to date.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, inspect, text

HEAD = "0014"
SCRIPT_LOCATION = Path(__file__).parent


def current_revision(engine: Engine) -> str | None:
    """Return the revision the database is at, or None for an empty database."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def alembic_config(engine: Engine):  # type: ignore[no-untyped-def]
    """Return an Alembic config that runs against `engine`."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply the migrations up to `revision`."""
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def ensure_current(engine: Engine) -> None:
    """Migrate the database to the newest schema if it is not there yet."""
    revision = current_revision(engine)
    if revision == HEAD:
        return
    if revision is not None and revision not in known_revisions():
        from easein.store.db import DatabaseUnavailable

        raise DatabaseUnavailable(
            f"the database is at schema revision {revision}, newer than this EaseIn knows "
            f"({HEAD}): upgrade EaseIn instead of opening it with an older version"
        )
    upgrade(engine)


def known_revisions() -> set[str]:
    """Return the ids of the revisions shipped with this version."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(engine=None))  # type: ignore[arg-type]
    return {rev.revision for rev in script.walk_revisions()}
