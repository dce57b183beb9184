"""The real `python -m easein` process: what outside scripts see (exit codes, stdout, stderr)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

Runner = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def easein(tmp_path: Path) -> Runner:
    """Return a runner of `python -m easein --db tmp/easein.db ARGS` in a clean environment."""
    env = dict(os.environ)
    env["EASEIN_CONFIG"] = str(tmp_path / "no-such-config.toml")
    for name in ("EASEIN_DATABASE_URL", "EASEIN_DEBUG"):
        env.pop(name, None)
    db = tmp_path / "easein.db"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "easein", "--db", str(db), *args],
            env=env,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=60,
            check=False,
        )

    return run


def test_a_script_can_init_add_a_toy_log_and_read_the_status_as_json(easein: Runner) -> None:
    made = easein("init", "--adult", "--timezone", "Europe/Berlin", "--units", "mm")
    assert made.returncode == 0, made.stderr
    toy = easein("toy", "add", "small", "--kind", "plug", "--diameter", "2cm", "--base", "flared",
                 "--json")  # fmt: skip
    assert toy.returncode == 0, toy.stderr
    assert json.loads(toy.stdout)["diameter_mm"] == 20.0

    logged = easein("log", "--duration", "15m", "--item", "small", "--pain", "1", "--comfort",
                    "7", "--bleeding", "none", "--json")  # fmt: skip
    assert logged.returncode == 0, logged.stderr
    assert json.loads(logged.stdout)["reached"]["id"] == json.loads(toy.stdout)["id"]

    status = easein("status", "--json")
    assert status.returncode == 0, status.stderr
    doc = json.loads(status.stdout)
    assert set(doc) == {"state", "until", "reasons", "recommendation"}
    assert doc["state"] == "ready"
    assert doc["recommendation"]["item"]["name"] == "small"
    assert status.stderr == ""


def test_bad_input_exits_2_with_one_stderr_line_and_no_traceback(easein: Runner) -> None:
    bad = easein("init", "--adult", "--timezone", "Europe/Berlin", "--units", "furlong")

    assert bad.returncode == 2
    assert bad.stdout == ""
    assert "Traceback" not in bad.stderr
    assert len(bad.stderr.splitlines()) == 1
    assert bad.stderr.startswith("error: ")
    assert "furlong" in bad.stderr
    nothing = easein("status", "--json")  # no profile was created
    assert nothing.returncode == 2
    assert "run `easein init`" in nothing.stderr


def test_an_unknown_option_exits_2_with_one_line(easein: Runner) -> None:
    bad = easein("status", "--bogus")

    assert bad.returncode == 2
    assert bad.stderr.splitlines() == [bad.stderr.strip()]
    assert bad.stderr.startswith("error: ")


def test_help_exits_0_and_lists_the_commands(easein: Runner) -> None:
    shown = easein("--help")

    assert shown.returncode == 0, shown.stderr
    for command in ("init", "toy", "ladder", "log", "status", "cleared", "emergency", "guide"):
        assert command in shown.stdout
