"""Nothing acknowledged is lost: a writer killed with SIGKILL at random points, 100 times.

The writer (`crash_writer.py`) logs sessions through the services and prints
each id only after its transaction committed. After every kill the database
passes `PRAGMA integrity_check`, holds every acknowledged id, and its stored
training state equals a replay of its sessions (no half-written transaction).
A backup taken while the writer runs restores to such a database too.

The kills use seeded random delays, so a failure can be replayed. To keep 100
kills well under a minute, the writers are forked from a server process that
imported EaseIn once (each is still its own process with its own connections);
the backup test runs the writer as a plain `python` process.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path
from typing import IO

import pytest

from easein.domain.toys import Base, ToyKind
from easein.domain.training import replay
from easein.services import toys
from easein.services.app import open_app
from easein.services.backup import Opening, Sealing, make_backup
from easein.services.profile import init_local, local_profile
from easein.services.restore import restore_backup
from easein.services.state import all_sessions, clearance_times, stored_state
from easein.settings import Settings
from tests.backup_world import sqlite_path

# Not skipped anywhere: CI runs it (`-m "not slow"` leaves it out of a quick local run).
pytestmark = pytest.mark.slow

WRITER = Path(__file__).parent / "crash_writer.py"
KILLS = 100
SEED = 20261128
MAX_DELAY_S = 0.06  # a writer commits every ~10 ms here: 0-6 writes, then a kill mid-way


@pytest.fixture
def db_url(database_url: str) -> str:
    """A SQLite database with a local profile and one usable item."""
    sqlite_path(database_url)
    app = open_app(Settings(database_url=database_url))
    profile = init_local(app, adult=True, timezone="Europe/Berlin", units="mm")
    toys.add_toy(
        app, profile.person_id, name="small", kind=ToyKind.PLUG, diameter_mm=20, base=Base.FLARED
    )
    app.close()
    return database_url


def read_line(stream: IO[str]) -> str:
    line = stream.readline()
    assert line, "the writer process ended without a word"
    return line.strip()


def check_database(url: str, acknowledged: set[int]) -> set[int]:
    """Assert the database is whole and holds `acknowledged`; return its session ids."""
    path = sqlite_path(url)
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        ids = {row[0] for row in conn.execute("SELECT id FROM sessions")}
    missing = acknowledged - ids
    assert not missing, f"acknowledged but lost: {sorted(missing)[:10]}"
    app = open_app(Settings(database_url=url), migrate=False)
    try:
        profile = local_profile(app)
        with app.db.reading() as db:
            kept = stored_state(db, app, profile)
            sessions = all_sessions(db, app, profile.person_id)
            clearances = clearance_times(db, profile.person_id)
        if sessions:
            assert kept == replay(sessions, clearances, app.policy, profile.tz)
    finally:
        app.close()
    return ids


def test_sigkill_at_random_points_loses_no_acknowledged_write(db_url):
    rng = random.Random(SEED)
    server = subprocess.Popen(
        [sys.executable, str(WRITER), "--fork-server", db_url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        bufsize=1,
    )
    assert server.stdin is not None and server.stdout is not None
    acknowledged: set[int] = set()
    per_kill: list[int] = []
    started = time.monotonic()
    try:
        assert read_line(server.stdout) == "server ready"
        for round_no in range(KILLS):
            server.stdin.write("go\n")
            server.stdin.flush()
            word, pid = read_line(server.stdout).split(maxsplit=1)
            assert word == "ready", pid
            this_round = 0
            if round_no % 2:
                # Every other kill comes after at least one acknowledged write, however
                # slow a loaded machine makes the writer: the test always checks some.
                word, value = read_line(server.stdout).split()
                assert word == "ack", (word, value)
                acknowledged.add(int(value))
                this_round = 1
            time.sleep(rng.uniform(0, MAX_DELAY_S))
            os.kill(int(pid), signal.SIGKILL)
            server.stdin.write(f"reap {pid}\n")
            server.stdin.flush()
            while (line := read_line(server.stdout)) != f"reaped {pid}":
                word, value = line.split()
                assert word == "ack", line
                acknowledged.add(int(value))
                this_round += 1
            per_kill.append(this_round)
            check_database(db_url, acknowledged)
    finally:
        server.kill()
        server.wait()
    elapsed = time.monotonic() - started
    print(
        f"\ncrash test: {KILLS} SIGKILLs, {len(acknowledged)} acknowledged writes checked "
        f"after each kill, 0 lost; {sum(1 for n in per_kill if n == 0)} kills before the "
        f"first ack; {elapsed:.1f} s"
    )
    assert len(per_kill) == KILLS
    assert len(acknowledged) >= KILLS // 2  # at least one write before every other kill


def test_a_backup_taken_while_a_writer_runs_restores_consistent(db_url, tmp_path):
    writer = subprocess.Popen(
        [sys.executable, str(WRITER), db_url], stdout=subprocess.PIPE, text=True, bufsize=1
    )
    assert writer.stdout is not None
    acknowledged: set[int] = set()
    try:
        assert read_line(writer.stdout).startswith("ready")
        while len(acknowledged) < 20:
            acknowledged.add(int(read_line(writer.stdout).split()[1]))
        app = open_app(Settings(database_url=db_url), migrate=False)
        try:
            blob, _ = make_backup(app, Sealing(passphrase="during writes"))
        finally:
            app.close()
        after = int(read_line(writer.stdout).split()[1])  # the writer kept going
    finally:
        writer.kill()
        writer.wait()
    assert after > max(acknowledged)

    target = tmp_path / "restored" / "easein.db"
    restore_backup(
        blob, Opening(passphrase="during writes"), f"sqlite:///{target}", overwrite=False,
        name="backup",
    )  # fmt: skip
    ids = check_database(f"sqlite:///{target}", acknowledged)
    assert ids == set(range(1, max(ids) + 1))  # a snapshot: no hole, no torn transaction
