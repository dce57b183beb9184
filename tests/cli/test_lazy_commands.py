"""`easein CMD` loads only the module of CMD; the map that says which is right."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer

from easein.cli.main import COMMANDS, MODULES, command_name, make_app


def top_level(app: typer.Typer) -> set[str]:
    return set(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("module", MODULES)
def test_each_module_registers_exactly_the_commands_the_map_gives_it(module):
    expected = {name for name, owner in COMMANDS.items() if owner == module}
    assert top_level(make_app((module,))) == expected


def test_the_whole_tree_is_the_map():
    assert top_level(make_app()) == set(COMMANDS)


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["status", "--json"], "status"),
        (["--db", "x.db", "status"], "status"),
        (["--db=x.db", "toy", "list"], "toy"),
        (["--help"], None),
        ([], None),
        (["--db", "x.db"], None),
        (["--verbose", "status"], None),  # not a root option: Typer answers it
    ],
)
def test_command_name_skips_the_roots_options(args, name):
    assert command_name(args) == name


def test_a_command_loads_no_other_commands_module():
    script = (
        "import sys\n"
        "from easein.cli.main import run\n"
        "code = run(['emergency', '--json'])\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('easein.cli.'))\n"
        "print('RESULT', code, *loaded)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    result = next(line for line in done.stdout.splitlines() if line.startswith("RESULT"))
    _, code, *loaded = result.split()
    assert code == "0"
    assert set(loaded) <= {"easein.cli.main", "easein.cli.context", "easein.cli.guide"}, loaded


def test_help_and_unknown_commands_still_see_every_command(capsys):
    from easein.cli.main import run

    assert run(["--help"]) == 0
    shown = capsys.readouterr().out
    assert all(name in shown for name in ("status", "report", "serve", "backup"))
    assert run(["no-such-command"]) == 2
    assert "no-such-command" in capsys.readouterr().err
