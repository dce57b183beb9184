"""Export and import: a lossless JSON round trip, CSV for spreadsheets, deleting everything."""

from __future__ import annotations

import csv
import io
import json
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.conftest import Cli, Trainee, log_session
from tests.conftest import FakeClock


@pytest.fixture
def rich_history(trainee: Trainee, clock: FakeClock) -> Trainee:
    """A trainee with a bit of everything: sessions of each kind, a hold, a clearance, plans."""
    cli = trainee.cli
    log_session(cli, clock, "2026-03-02 21:00", "finger", "small", extra=(
        "--warm-up", "--breath", "exhale", "--sensation", "stretch", "--sensation", "fullness",
        "--pleasure", "6", "--orgasm", "--no-mess", "--relubed", "--notes", "first time, «ok» ✓",
    ))  # fmt: skip
    log_session(cli, clock, "2026-03-04 22:30", "small", minutes=120, extra=("--kind", "wear"))
    serious = ("--colour", "dark", "--kind", "partnered", "--outcome", "stopped")
    log_session(cli, clock, "2026-03-06 21:00", "medium", pain=8, bleeding="lasting", extra=serious)
    assert cli("cleared", "--yes", "--statement", "GP: all fine").code == 0
    assert cli("condition", "set", "constipation", "after travel").code == 0
    clock.advance(days=2)
    assert cli("condition", "clear", "constipation").code == 0
    assert cli("plan", "add", "nightly wear", "--kind", "wear", "--schedule", "every night",
               "--at", "22:30", "--duration", "2h").code == 0  # fmt: skip
    assert cli("plan", "add", "stretch", "--schedule", "mon,wed,fri").code == 0
    assert cli("plan", "end", "stretch").code == 0
    assert cli("toy", "retire", "large").code == 0
    assert cli("goal", "set", "--size", "30mm", "--wear-hours", "8", "--note", "für uns").code == 0
    return trainee


def test_export_import_into_an_empty_database_and_export_again_is_identical(
    rich_history: Trainee, make_cli: Callable[[str], Cli], tmp_path: Path
) -> None:
    first = rich_history.cli("export", "--format", "json")
    assert first.code == 0, first.err
    path = tmp_path / "export.json"
    path.write_text(first.out, encoding="utf-8")
    other = make_cli(f"sqlite:///{tmp_path / 'second.db'}")

    imported = other("import", str(path), "--json")

    assert imported.code == 0, imported.err
    assert imported.json()["imported"] is True
    again = other("export", "--format", "json")
    assert again.code == 0, again.err
    assert again.out == first.out
    doc = json.loads(first.out)
    assert len(doc["sessions"]) == 3
    assert len(doc["toys"]) == 5
    assert len(doc["plans"]) == 2
    assert len(doc["conditions"]) == 1
    assert len(doc["acknowledgements"]) == 1
    assert doc["goal"]["target_mm"] == 30 and doc["goal"]["note"] == "für uns"


def test_an_imported_history_gives_the_same_status_ladder_and_stats(
    rich_history: Trainee, make_cli: Callable[[str], Cli], tmp_path: Path
) -> None:
    path = tmp_path / "export.json"
    assert rich_history.cli("export", "-o", str(path)).code == 0
    other = make_cli(f"sqlite:///{tmp_path / 'second.db'}")
    assert other("import", str(path)).code == 0

    for command in (("status", "--json"), ("ladder", "--json"), ("stats", "--json"),
                    ("history", "--json"), ("toy", "list", "--all", "--json"),
                    ("plan", "list", "--all", "--json"), ("profile", "--json"),
                    ("goal", "show", "--json")):  # fmt: skip
        assert other(*command).out == rich_history.cli(*command).out, command


def test_import_reads_standard_input_with_a_dash(
    rich_history: Trainee, make_cli: Callable[[str], Cli], tmp_path: Path
) -> None:
    document = rich_history.cli("export").out
    other = make_cli(f"sqlite:///{tmp_path / 'second.db'}")

    assert other("import", "-", input=document).code == 0
    assert other("export").out == document


def test_import_into_an_initialised_but_empty_database_takes_the_exported_profile(
    rich_history: Trainee, make_cli: Callable[[str], Cli], tmp_path: Path
) -> None:
    document = rich_history.cli("export").out
    other = make_cli(f"sqlite:///{tmp_path / 'second.db'}")
    assert other("init", "--adult", "--timezone", "Asia/Tokyo", "--units", "in").code == 0

    assert other("import", "-", input=document).code == 0
    assert other("export").out == document
    assert other("profile", "--json").json()["timezone"] == "Europe/Berlin"


def test_export_to_a_file_is_readable_by_its_owner_only(
    rich_history: Trainee, tmp_path: Path
) -> None:
    path = tmp_path / "private.json"

    written = rich_history.cli("export", "--output", str(path))

    assert written.code == 0, written.err
    assert written.out == ""
    assert str(path) in written.err
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text(encoding="utf-8") == rich_history.cli("export").out


def test_csv_export_has_a_header_and_one_row_per_session_in_local_time(
    rich_history: Trainee,
) -> None:
    exported = rich_history.cli("export", "--format", "csv")

    assert exported.code == 0, exported.err
    rows = list(csv.DictReader(io.StringIO(exported.out)))
    header = exported.out.splitlines()[0].split(",")
    assert header[:4] == ["id", "started_at", "kind", "duration_min"]
    assert {"reached", "reached_mm", "pain", "bleeding", "colour", "outcome", "notes"} <= set(
        header
    )
    assert len(rows) == 3
    assert [r["started_at"] for r in rows] == [
        "2026-03-02T21:00+01:00",
        "2026-03-04T22:30+01:00",
        "2026-03-06T21:00+01:00",
    ]
    assert [r["kind"] for r in rows] == ["stretch", "wear", "partnered"]
    assert rows[0]["items"] == "finger;small"
    assert rows[0]["reached"] == "small"
    assert rows[0]["sensations"] == "fullness;stretch"
    assert rows[0]["notes"] == "first time, «ok» ✓"
    assert rows[1]["duration_min"] == "120.0"
    assert (rows[2]["pain"], rows[2]["bleeding"], rows[2]["colour"]) == ("8", "lasting", "dark")
    assert rows[2]["outcome"] == "stopped"


def test_csv_export_without_sessions_is_just_the_header(trainee: Trainee) -> None:
    exported = trainee.cli("export", "--format", "csv")

    assert exported.code == 0, exported.err
    assert len(exported.out.splitlines()) == 1
    assert exported.out.startswith("id,started_at,")


def test_delete_everything_with_yes_leaves_no_profile(rich_history: Trainee) -> None:
    deleted = rich_history.cli("delete-everything", "--yes")

    assert deleted.code == 0, deleted.err
    assert "deleted" in deleted.out.lower()
    after = rich_history.cli("status")
    assert after.code == 2
    assert "run `easein init`" in after.err
    assert rich_history.cli("history").code == 2


def test_after_deleting_everything_a_new_profile_starts_empty(rich_history: Trainee) -> None:
    rich_history.cli("delete-everything", "--yes")

    made = rich_history.cli("init", "--adult", "--timezone", "UTC")

    assert made.code == 0, made.err
    assert rich_history.cli("history", "--json").json() == []
    assert rich_history.cli("toy", "list", "--json").json() == []
    assert rich_history.cli("status", "--json").json()["state"] == "ready"
