"""Fixtures for driving the `easein` command line in process.

`cli(*args, input=None)` runs one command against this test's database with the
injected clock and returns its exit code, stdout and stderr. `trainee` is an
initialised profile (Europe/Berlin, mm) with a small ladder of items.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import orjson
import pytest
import typer
from sqlalchemy.engine import make_url

from easein.cli.context import STATE
from easein.cli.main import run
from tests.conftest import FakeClock

BERLIN = ZoneInfo("Europe/Berlin")

# The trainee's items, smallest first: (name, kind, diameter, base).
LADDER = (
    ("finger", "finger", "15mm", None),
    ("small", "plug", "20mm", "flared"),
    ("medium", "plug", "23mm", "flared"),
    ("large", "plug", "26mm", "flared"),
    ("no-base", "dildo", "25mm", "none"),
)


@dataclass(frozen=True)
class Result:
    """What one command did: its exit code and everything it printed."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        """Return stdout parsed as one JSON document."""
        return parse_json(self.out)

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


class Cli(Protocol):
    def __call__(self, *args: str, input: str | None = None) -> Result: ...


def parse_json(text: str) -> Any:
    """Return the single JSON document `text` holds (fails the test if it holds anything else)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as error:  # pragma: no cover - a failing test explains
        pytest.fail(f"not one JSON document ({error}):\n{text}")


def local(text: str, tz: ZoneInfo = BERLIN) -> datetime:
    """Return the aware moment of wall-clock `YYYY-MM-DD HH:MM` in `tz` (Berlin by default)."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=tz)


_build_command = typer.main.get_command
_COMMANDS: dict[tuple[str | None, ...], Any] = {}


def _cached_command(typer_app: typer.Typer) -> Any:
    """Build each command tree once per test session (it takes ~60 ms, most of a run).

    `run()` makes a new app per call with the commands asked for; apps with the
    same commands get the same tree (keyed by their names: an id could be reused).
    """
    key = tuple(c.name for c in typer_app.registered_commands) + tuple(
        g.name for g in typer_app.registered_groups
    )
    if key not in _COMMANDS:
        _COMMANDS[key] = _build_command(typer_app)
    return _COMMANDS[key]


@pytest.fixture(autouse=True)
def _fast_command_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    # `run()` rebuilds the Click command from the Typer app on every call, which
    # a process pays once; a test calls `run()` dozens of times. The tree is
    # immutable once built, so sharing it changes nothing but the time.
    monkeypatch.setattr(typer.main, "get_command", _cached_command)


def run_cli(
    db: str, clock: Callable[[], datetime] | None, capsys: pytest.CaptureFixture[str]
) -> Cli:
    """Return a runner of `easein --db DB ...` reading `input` as its (non-terminal) stdin."""

    def cli(*args: str, input: str | None = None) -> Result:
        capsys.readouterr()  # drop anything printed before this command
        saved_stdin = sys.stdin
        sys.stdin = io.StringIO(input or "")  # never a terminal: no surprise prompts
        STATE.clock = clock
        try:
            code = run(["--db", db, *args])
        finally:
            sys.stdin = saved_stdin
            STATE.close()
            STATE.clock = None
            STATE.db = None
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return cli


@pytest.fixture
def cli(
    database_url: str, clock: Callable[[], datetime], capsys: pytest.CaptureFixture[str]
) -> Cli:
    return run_cli(database_url, clock, capsys)


@pytest.fixture
def make_cli(
    clock: Callable[[], datetime], capsys: pytest.CaptureFixture[str]
) -> Callable[[str], Cli]:
    """Return a factory of runners bound to another database URL (same clock)."""
    return lambda db: run_cli(db, clock, capsys)


def add_ladder(cli: Cli) -> dict[str, int]:
    """Add the `LADDER` items and return their ids by name."""
    ids = {}
    for name, kind, diameter, base in LADDER:
        args = ["toy", "add", name, "--kind", kind, "--diameter", diameter, "--json"]
        if base:
            args += ["--base", base]
        result = cli(*args)
        assert result.code == 0, result.err
        ids[name] = result.json()["id"]
    return ids


@dataclass(frozen=True)
class Trainee:
    cli: Cli
    items: dict[str, int]


def make_trainee(cli: Cli) -> dict[str, int]:
    """Run `init` and add the `LADDER` items; return the items' ids by name."""
    result = cli("init", "--adult", "--timezone", "Europe/Berlin", "--units", "mm")
    assert result.code == 0, result.err
    return add_ladder(cli)


@dataclass(frozen=True)
class TraineeTemplate:
    path: Path
    items: dict[str, int]


@pytest.fixture(scope="session")
def trainee_template(
    template_url: str, tmp_path_factory: pytest.TempPathFactory
) -> TraineeTemplate | None:
    """On SQLite, build the trainee's database once, through the CLI, for tests to copy.

    Six commands per test add up over a suite of this size. The copy is the
    very database those commands produce (same clock, same ids); on PostgreSQL
    each test runs the commands itself.
    """
    if not template_url.startswith("sqlite"):
        return None
    path = tmp_path_factory.mktemp("trainee") / "trainee.db"
    shutil.copy(make_url(template_url).database or "", path)
    url = f"sqlite:///{path}"

    def cli(*args: str, input: str | None = None) -> Result:
        out, err = io.StringIO(), io.StringIO()
        STATE.clock = FakeClock()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = run(["--db", url, *args])
        finally:
            STATE.close()
            STATE.clock = None
            STATE.db = None
        return Result(code, out.getvalue(), err.getvalue())

    items = make_trainee(cli)
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the one file
    return TraineeTemplate(path, items)


@pytest.fixture
def trainee(
    database_url: str, trainee_template: TraineeTemplate | None, make_cli: Callable[[str], Cli]
) -> Trainee:
    """An adult in Europe/Berlin who measures in mm, with the `LADDER` items."""
    cli = make_cli(database_url)
    if trainee_template is None:
        return Trainee(cli, make_trainee(cli))
    shutil.copy(trainee_template.path, make_url(database_url).database or "")
    return Trainee(cli, dict(trainee_template.items))


def log_session(
    cli: Cli,
    clock: FakeClock,
    at: str,
    *items: str,
    minutes: int = 20,
    pain: int = 1,
    comfort: int = 7,
    bleeding: str = "none",
    extra: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Log a session that started at local `at` (Berlin) and return its JSON record.

    The clock first moves to a few minutes after the session ended, as when a
    person logs right after a session (it never moves backwards).
    """
    ended = local(at) + timedelta(minutes=minutes + 5)
    clock.now = max(clock.now, ended.astimezone(UTC))
    args = ["log", "--at", at, "--duration", f"{minutes}m", "--pain", str(pain)]
    args += ["--comfort", str(comfort), "--bleeding", bleeding, *extra, "--json"]
    for item in items or ("small",):
        args += ["--item", item]
    result = cli(*args)
    assert result.code == 0, result.err
    return result.json()
