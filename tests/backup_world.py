"""What the backup tests share: a database with something of everything, and its fingerprint."""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from datetime import time, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from easein.domain.safety import ConditionKind
from easein.domain.sessions import Bleeding, Session, SessionKind
from easein.domain.toys import Base, ToyKind
from easein.services import accounts, goals, plans, toys, training
from easein.services.app import App
from easein.services.profile import Profile, init_local

MARKER = "MARKER-7f3a-backup-notes"  # must never appear in an encrypted backup file


def sqlite_path(url: str) -> Path:
    """Return the file of a SQLite URL, or skip: these tests work on the SQLite file itself.

    Not a missing part: `easein backup` is for SQLite (a PostgreSQL database is backed
    up with pg_dump, and `easein backup` refuses it, which is tested on every run), and
    the SIGKILL test checks SQLite's own journal; the SQLite run of the suite runs them.
    """
    if not url.startswith("sqlite"):
        pytest.skip("works on the SQLite file itself; this run is on PostgreSQL")
    return Path(make_url(url).database or "")


def age_key() -> tuple[str, str]:
    """Return a fresh age identity (secret) and its recipient (public key)."""
    import pyrage

    identity = pyrage.x25519.Identity.generate()
    return str(identity), str(identity.to_public())


def build_world(app: App) -> Profile:
    """Fill the database through the services: people, items, sessions, conditions, plans, goal."""
    profile = init_local(app, adult=True, timezone="Europe/Berlin", units="mm")
    accounts.register(
        app, username="robin", password="a long passphrase 42", adult=True,
        timezone="America/New_York", units="in",
    )  # fmt: skip
    for name, kind, mm, base in [
        ("finger", ToyKind.FINGER, 15, None),
        ("small", ToyKind.PLUG, 20, Base.FLARED),
        ("medium", ToyKind.PLUG, 23, Base.FLARED),
    ]:
        toys.add_toy(app, profile.person_id, name=name, kind=kind, diameter_mm=mm, base=base)
    for n in range(6):
        draft = Session(
            id=0,
            kind=SessionKind.STRETCH if n % 2 else SessionKind.WEAR,
            started_at=app.now() - timedelta(days=10 - n),
            duration=timedelta(minutes=15 + n),
            item_ids=(0,),
            reached_item_id=0,
            reached_mm=0,
            pain=n % 3,
            comfort=7,
            bleeding=Bleeding.NONE,
            notes=f"{MARKER} session {n}",
        )
        training.log_session(app, profile, draft, ["finger", "small"] if n % 2 else ["small"])
    training.set_condition(app, profile, ConditionKind.CONSTIPATION, f"{MARKER} condition")
    training.clear_condition(app, profile, ConditionKind.CONSTIPATION)
    plans.add_plan(
        app, profile, name="evenings", kind=SessionKind.WEAR, schedule="every night",
        at=time(22, 30), duration=timedelta(hours=2),
    )  # fmt: skip
    goals.set_goal(app, profile, target_mm=30, wear_hours=4, note=f"{MARKER} goal")
    return profile


def table_hashes(path: Path) -> dict[str, str]:
    """Return a SHA-256 of the content of every table of the SQLite file at `path`."""
    with closing(sqlite3.connect(path)) as conn:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        hashes = {}
        for name in names:
            rows = sorted(repr(row) for row in conn.execute(f'SELECT * FROM "{name}"'))
            hashes[name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return hashes


def counts(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def integrity(path: Path) -> list[tuple[str, ...]]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("PRAGMA integrity_check").fetchall()


def file_state(path: Path) -> tuple[str, tuple[str, ...]]:
    """Return a hash of the file and the names in its folder: 'untouched' means both equal."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "absent"
    return digest, tuple(sorted(p.name for p in path.parent.iterdir()))
