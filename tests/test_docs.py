"""The README documents every command and every setting (datasette's test_docs idea)."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from easein.cli.main import app
from easein.settings import setting_fields

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def command_paths() -> list[str]:
    root = typer.main.get_command(app)
    paths = []
    for name, command in root.commands.items():
        subcommands = getattr(command, "commands", None)
        if subcommands:
            paths.extend(f"{name} {sub}" for sub in subcommands)
        else:
            paths.append(name)
    return sorted(paths)


def test_there_are_commands_to_document():
    assert len(command_paths()) >= 20


@pytest.mark.parametrize("path", command_paths())
def test_every_command_is_in_the_readme_with_an_example(path):
    assert f"| `{path}` |" in README, f"README's command table lacks `{path}`"
    assert f"easein {path}" in README or f"easein --db new.db {path}" in README


@pytest.mark.parametrize("name", sorted(setting_fields()))
def test_every_setting_is_in_the_readme(name):
    assert f"| `{name}` |" in README


@pytest.mark.parametrize("name", sorted(setting_fields()))
def test_every_setting_has_help_text(name):
    assert setting_fields()[name].metadata["help"]


def test_the_readme_quick_start_has_the_two_commands_ci_runs():
    assert "scripts/run" in README
    assert "scripts/test" in README
    ci = (Path(__file__).parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "scripts/test" in ci
