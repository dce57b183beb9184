"""Bad input: exit code 2, one `error:` line on stderr naming the problem, nothing written.

"Nothing written" is checked by comparing the full JSON export before and
after (or, before `init`, that there is still no profile).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.cli.conftest import Cli, Result, Trainee, log_session
from tests.conftest import FakeClock


def assert_refused(result: Result, *words: str) -> None:
    """Exit 2, nothing on stdout, exactly one `error:` line naming the problem, no traceback."""
    assert result.code == 2, (result.code, result.out, result.err)
    assert result.out == ""
    assert "Traceback" not in result.err
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("error: ")
    for word in words:
        assert word.lower() in lines[0].lower(), (word, lines[0])


@dataclass(frozen=True)
class Case:
    args: tuple[str, ...]
    says: tuple[str, ...]


def case(*args: str, says: str | tuple[str, ...]) -> Case:
    return Case(args, (says,) if isinstance(says, str) else says)


def log(*extra: str) -> tuple[str, ...]:
    """A valid `log` command, then `extra` flags (a later flag overrides an earlier one)."""
    return ("log", "--at", "2026-03-02 19:00", "--duration", "20m", "--item", "small",
            "--pain", "1", "--comfort", "6", "--bleeding", "none", *extra, "--json")  # fmt: skip


def toy(*extra: str) -> tuple[str, ...]:
    return ("toy", "add", "new plug", "--kind", "plug", *extra, "--json")


WITH_PROFILE: dict[str, Case] = {
    # sizes
    "unknown unit": case(*toy("--diameter", "3furlong", "--base", "flared"), says="furlong"),
    "negative size": case(
        *toy("--diameter", "-3mm", "--base", "flared"), says=("diameter", "at least 0.1 mm")
    ),
    "zero size": case(
        *toy("--diameter", "0mm", "--base", "flared"), says=("diameter", "at least 0.1 mm")
    ),
    "zero circumference": case(
        *toy("--circumference", "0cm", "--base", "flared"), says="at least 0.1 mm"
    ),
    "not a size": case(*toy("--diameter", "wide", "--base", "flared"), says="not a size"),
    "too big": case(*toy("--diameter", "300mm", "--base", "flared"), says="at most 200"),
    "diameter and circumference": case(
        *toy("--diameter", "30mm", "--circumference", "9cm", "--base", "flared"),
        says="either --diameter or --circumference",
    ),
    "neck wider than the item": case(
        *toy("--diameter", "30mm", "--neck", "35mm", "--base", "flared"), says="neck"
    ),
    "no size at all": case(*toy("--base", "flared"), says="size is required"),
    # toys
    "toy without a base": case(*toy("--diameter", "30mm"), says=("base is required",)),
    "unknown base": case(*toy("--diameter", "30mm", "--base", "suction"), says="suction"),
    "unknown toy kind": case(
        "toy",
        "add",
        "x",
        "--kind",
        "spaceship",
        "--diameter",
        "30mm",
        "--base",
        "flared",
        says=("unknown kind", "spaceship"),
    ),
    "finger with a flared base": case(
        "toy",
        "add",
        "thumb",
        "--kind",
        "finger",
        "--diameter",
        "20mm",
        "--base",
        "flared",
        says="body",
    ),
    "duplicate toy name": case(
        "toy",
        "add",
        "SMALL",
        "--kind",
        "plug",
        "--diameter",
        "30mm",
        "--base",
        "flared",
        says=("already", "small"),
    ),
    "empty toy name": case(
        "toy", "add", "  ", "--kind", "plug", "--diameter", "30mm", "--base", "flared", says="name"
    ),
    "edit an unknown toy": case(
        "toy", "edit", "dragon", "--diameter", "30mm", says="unknown item 'dragon'"
    ),
    "retire an unknown toy": case("toy", "retire", "dragon", says="unknown item 'dragon'"),
    "edit to a negative size": case(
        "toy", "edit", "small", "--diameter", "-1cm", says="at least 0.1 mm"
    ),
    # sessions
    "pain 11": case(*log("--pain", "11"), says=("pain", "0 to 10")),
    "pain -1": case(*log("--pain", "-1"), says=("pain", "0 to 10")),
    "comfort 12": case(*log("--comfort", "12"), says=("comfort", "0 to 10")),
    "pleasure 11": case(*log("--pleasure", "11"), says=("pleasure", "0 to 10")),
    "non-numeric pain": case(*log("--pain", "lots"), says="--pain"),
    "at in the future": case(*log("--at", "2026-03-03 09:00"), says="future"),
    "unparsable at": case(*log("--at", "last tuesday"), says=("at", "last tuesday")),
    "impossible date": case(*log("--at", "2026-02-30 21:00"), says="2026-02-30"),
    "unparsable duration": case(*log("--duration", "forever"), says=("duration", "forever")),
    "zero duration": case(*log("--duration", "0m"), says="duration"),
    "duration over a day": case(*log("--duration", "25h"), says=("duration", "24h")),
    "unknown toy": case(*log("--item", "dragon"), says="unknown item 'dragon'"),
    "toy without base in a session": case(*log("--item", "no-base"), says="toy.base_required"),
    "unknown session kind": case(*log("--kind", "nap"), says=("kind", "nap")),
    "unknown bleeding": case(*log("--bleeding", "heavy"), says=("bleeding", "heavy")),
    "unknown colour": case(*log("--bleeding", "spotting", "--colour", "green"), says="green"),
    "colour without bleeding": case(*log("--colour", "dark"), says="colour"),
    "unknown outcome": case(*log("--outcome", "meh"), says=("outcome", "meh")),
    "unknown breath phase": case(*log("--breath", "hold"), says="breath"),
    "unknown sensation": case(*log("--sensation", "itch"), says="sensation"),
    "missing pain without a terminal": case(
        "log", "--duration", "20m", "--item", "small", says="--pain"
    ),
    # history and stats
    "end before start": case(
        "history", "--from", "2026-03-10", "--to", "2026-03-01", says=("--to", "--from")
    ),
    "unparsable from": case("history", "--from", "March", says=("from", "March")),
    "history of an unknown kind": case("history", "--kind", "nap", says="nap"),
    "history limit 0": case("history", "--limit", "0", says="--limit"),
    "stats weeks 0": case("stats", "--weeks", "0", says="--weeks"),
    # conditions
    "unknown condition": case("condition", "set", "flu", says=("unknown condition", "flu")),
    "clearing a condition that is not set": case(
        "condition", "clear", "diarrhoea", says="diarrhoea is not set"
    ),
    "condition note too long": case("condition", "set", "other", "x" * 1001, says="note"),
    # plans
    "unknown schedule": case("plan", "add", "p", "--schedule", "sometimes", says="sometimes"),
    "unknown plan kind": case("plan", "add", "p", "--kind", "nap", says="nap"),
    "unparsable plan time": case("plan", "add", "p", "--at", "teatime", says="teatime"),
    "ending an unknown plan": case("plan", "end", "nothing", says="nothing"),
    # profile and data
    "unknown units in profile": case("profile", "--units", "furlong", says="furlong"),
    "unknown time zone in profile": case(
        "profile", "--timezone", "Mars/Olympus", says="Mars/Olympus"
    ),
    "init twice": case("init", "--adult", "--timezone", "Europe/Berlin", says="already"),
    "cleared without --yes": case("cleared", says="--yes"),
    "delete-everything without --yes": case("delete-everything", says="--yes"),
    "unknown export format": case("export", "--format", "xml", says="xml"),
    "unknown guide topic": case("guide", "nope", says="nope"),
    # the command line itself
    "unknown option": case("status", "--bogus", says="--bogus"),
    "unknown root option": case("--bogus", "status", says="--bogus"),
    "unknown command": case("fly", says="fly"),
    "missing argument": case("condition", "set", says="condition"),
}


@pytest.fixture
def seeded(trainee: Trainee, clock: FakeClock) -> Trainee:
    """The trainee with one session logged, so that every table has something to lose."""
    log_session(trainee.cli, clock, "2026-03-01 21:00", "small")
    trainee.cli("plan", "add", "evening")
    trainee.cli("condition", "set", "other", "a cold")
    trainee.cli("condition", "clear", "other")
    return trainee


def snapshot(trainee: Trainee) -> str:
    result = trainee.cli("export", "--format", "json")
    assert result.code == 0, result.err
    return result.out


@pytest.mark.parametrize("bad", WITH_PROFILE.values(), ids=WITH_PROFILE.keys())
def test_bad_input_exits_2_with_one_error_line_and_writes_nothing(
    seeded: Trainee, bad: Case
) -> None:
    before = snapshot(seeded)

    result = seeded.cli(*bad.args)

    assert_refused(result, *bad.says)
    assert snapshot(seeded) == before


def test_debug_mode_does_not_turn_bad_input_into_a_traceback(
    seeded: Trainee, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EASEIN_DEBUG", "1")

    assert_refused(seeded.cli(*log("--pain", "11")), "pain")


def test_using_a_retired_item_is_refused(seeded: Trainee) -> None:
    seeded.cli("toy", "retire", "small")
    before = snapshot(seeded)

    assert_refused(seeded.cli(*log()), "small", "retired")
    assert snapshot(seeded) == before


# Before `init`: refused, and still no profile afterwards.


def assert_no_profile(cli: Cli) -> None:
    result = cli("status", "--json")
    assert_refused(result, "run `easein init`")


BEFORE_INIT: dict[str, Case] = {
    "init without --adult": case(
        "init", "--timezone", "Europe/Berlin", "--units", "mm", says=("adult", "--adult")
    ),
    "unknown time zone at init": case(
        "init", "--adult", "--timezone", "Mars/Olympus", says=("time zone", "Mars/Olympus")
    ),
    "unknown units at init": case("init", "--adult", "--units", "furlong", says="furlong"),
    "status before init": case("status", says="run `easein init`"),
    "toy add before init": case(
        "toy",
        "add",
        "x",
        "--kind",
        "plug",
        "--diameter",
        "30mm",
        "--base",
        "flared",
        says="run `easein init`",
    ),
    "log before init": case(*log(), says="run `easein init`"),
    "export before init": case("export", says="run `easein init`"),
    "delete-everything before init": case("delete-everything", "--yes", says="run `easein init`"),
}


@pytest.mark.parametrize("bad", BEFORE_INIT.values(), ids=BEFORE_INIT.keys())
def test_bad_input_before_init_exits_2_and_creates_no_profile(cli: Cli, bad: Case) -> None:
    assert_refused(cli(*bad.args), *bad.says)
    assert_no_profile(cli)


# Import


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def exported(seeded: Trainee) -> dict[str, object]:
    return json.loads(snapshot(seeded))


@pytest.fixture
def empty_db(make_cli: Callable[[str], Cli], tmp_path: Path) -> Cli:
    """A runner on a second, brand-new database file (created and migrated on first use)."""
    return make_cli(f"sqlite:///{tmp_path / 'empty.db'}")


def test_importing_a_file_that_is_not_json_is_refused(empty_db: Cli, tmp_path: Path) -> None:
    path = _write(tmp_path, "notes.txt", "sessions: lots\n")

    assert_refused(empty_db("import", path), "not JSON")
    assert_no_profile(empty_db)


def test_importing_a_missing_file_is_refused(empty_db: Cli, tmp_path: Path) -> None:
    assert_refused(empty_db("import", str(tmp_path / "nope.json")), "cannot read")
    assert_no_profile(empty_db)


@pytest.mark.parametrize(
    ("path", "value", "where"),
    [
        (("sessions", 0, "pain"), 11, "sessions.0.pain"),
        (("toys", 1, "diameter_mm"), "big", "toys.1.diameter_mm"),
        (("toys", 0, "kind"), "spaceship", "toys.0.kind"),
        (("profile", "units"), "furlong", "profile.units"),
        (("sessions", 0, "bleeding"), "heavy", "sessions.0.bleeding"),
        (("format",), "something-else", "format"),
        (("plans", 0, "at"), "25:99", "plans.0.at"),
        (("plans", 0, "starts_on"), "2026-13-45", "plans.0"),
    ],
    ids=["pain", "diameter", "kind", "units", "bleeding", "format", "no time", "no day"],
)
def test_importing_a_document_with_a_wrong_field_names_the_field_and_writes_nothing(
    exported: dict[str, object],
    empty_db: Cli,
    tmp_path: Path,
    path: tuple[str | int, ...],
    value: object,
    where: str,
) -> None:
    target: object = exported
    for key in path[:-1]:
        target = target[key]  # type: ignore[index]
    target[path[-1]] = value  # type: ignore[index]
    doc = _write(tmp_path, "bad.json", json.dumps(exported))

    assert_refused(empty_db("import", doc), where)
    assert_no_profile(empty_db)


def test_importing_a_plan_with_a_wrong_field_is_refused_naming_the_field(
    exported: dict[str, object], empty_db: Cli, tmp_path: Path
) -> None:
    exported["plans"][0]["kind"] = "nap"  # type: ignore[index]
    doc = _write(tmp_path, "bad-plan.json", json.dumps(exported))

    assert_refused(empty_db("import", doc), "plans.0.kind")
    assert_no_profile(empty_db)


def test_importing_a_plan_without_its_schedule_is_refused_naming_the_field(
    exported: dict[str, object], empty_db: Cli, tmp_path: Path
) -> None:
    del exported["plans"][0]["rrule"]  # type: ignore[attr-defined,index]
    doc = _write(tmp_path, "no-rrule.json", json.dumps(exported))

    assert_refused(empty_db("import", doc), "plans.0.rrule")
    assert_no_profile(empty_db)


def test_importing_an_item_without_a_base_disguised_as_a_body_part_is_refused(
    exported: dict[str, object], empty_db: Cli, tmp_path: Path
) -> None:
    no_base = next(t for t in exported["toys"] if t["name"] == "no-base")  # type: ignore[attr-defined]
    no_base["base"] = "body"  # a dildo is not a body part: `toy add` refuses this base
    doc = _write(tmp_path, "body.json", json.dumps(exported))

    assert_refused(empty_db("import", doc), "base")
    assert_no_profile(empty_db)


def test_importing_into_a_database_that_holds_records_is_refused(
    seeded: Trainee, tmp_path: Path
) -> None:
    before = snapshot(seeded)
    doc = _write(tmp_path, "mine.json", before)

    assert_refused(seeded.cli("import", doc), "already holds records")
    assert snapshot(seeded) == before
