"""`easein goal set|show|clear`: sizes in the person's units, the distance, bad input exit 2."""

from __future__ import annotations

import pytest

from tests.cli.conftest import Cli, Trainee, log_session
from tests.cli.test_bad_input import assert_refused, snapshot
from tests.conftest import FakeClock


def test_no_goal_yet_is_said_plainly(trainee: Trainee) -> None:
    shown = trainee.cli("goal", "show")
    assert shown.code == 0, shown.err
    assert "No goal set yet" in shown.out
    assert trainee.cli("goal", "show", "--json").json() is None


def test_set_show_replace_and_clear(trainee: Trainee, clock: FakeClock) -> None:
    cli = trainee.cli
    made = cli("goal", "set", "--size", "3.8cm", "--wear-hours", "8", "--note", "for us", "--json")
    assert made.code == 0, made.err
    goal = made.json()
    assert (goal["target_mm"], goal["wear_hours"], goal["note"]) == (38.0, 8.0, "for us")
    assert goal["set_at"] == clock.now.isoformat()
    assert goal["distance"]["gap"] is True  # the largest usable item is 26 mm
    assert goal["distance"]["largest_mm"] == 26

    shown = cli("goal", "show")
    assert shown.code == 0, shown.err
    assert shown.out.splitlines()[:2] == ["Goal: 38 mm, 8 h of wear per session.", "Why: for us"]
    assert "does not exist on your ladder yet" in shown.out

    replaced = cli("goal", "set", "--size", "23mm", "--json").json()
    assert (replaced["target_mm"], replaced["wear_hours"], replaced["note"]) == (23.0, None, "")
    assert cli("goal", "show", "--json").json() == replaced

    cleared = cli("goal", "clear")
    assert (cleared.code, cleared.out) == (0, "Goal cleared.\n")
    assert cli("goal", "show", "--json").json() is None


def test_the_distance_counts_from_the_earned_size(trainee: Trainee, clock: FakeClock) -> None:
    cli = trainee.cli
    for day in ("2026-03-02", "2026-03-05", "2026-03-09"):
        log_session(cli, clock, f"{day} 21:00", "small")
    assert cli("status", "--json").json()["recommendation"]["action"] == "advance"
    shown = cli("goal", "set", "--size", "28mm")
    assert shown.code == 0, shown.err
    assert "8 mm to go" in shown.out
    assert "From the size you have earned (20 mm) to your goal (28 mm)." in shown.out


def test_a_bare_number_is_in_the_persons_units(trainee: Trainee) -> None:
    assert trainee.cli("profile", "--units", "in").code == 0
    goal = trainee.cli("goal", "set", "--size", "1.5", "--json").json()
    assert goal["target_mm"] == 38.1
    assert "Goal: 1.50 in." in trainee.cli("goal", "show").out


BAD = {
    "unknown unit": (("--size", "3furlong"), ("furlong",)),
    "not a size": (("--size", "wide"), ("size", "not a size")),
    "zero size": (("--size", "0mm"), ("size", "at least 0.1 mm")),
    "too big": (("--size", "300mm"), ("size", "at most 200")),
    "hours not a number": (("--size", "38mm", "--wear-hours", "lots"), ("wear-hours", "hours")),
    "hours zero": (("--size", "38mm", "--wear-hours", "0"), ("wear-hours", "more than 0")),
    "hours over a day": (("--size", "38mm", "--wear-hours", "25"), ("wear-hours", "at most 24")),
    "note too long": (("--size", "38mm", "--note", "x" * 201), ("note", "200 characters")),
    "no size": ((), ("--size",)),
}


@pytest.mark.parametrize(("args", "says"), BAD.values(), ids=BAD.keys())
def test_bad_goal_input_exits_2_with_one_line_and_writes_nothing(
    trainee: Trainee, args: tuple[str, ...], says: tuple[str, ...]
) -> None:
    assert trainee.cli("goal", "set", "--size", "30mm").code == 0
    before = snapshot(trainee)

    assert_refused(trainee.cli("goal", "set", *args, "--json"), *says)
    assert snapshot(trainee) == before


def test_clearing_without_a_goal_exits_2(trainee: Trainee) -> None:
    assert_refused(trainee.cli("goal", "clear"), "no goal")


def test_a_goal_needs_a_profile_first(cli: Cli) -> None:
    assert_refused(cli("goal", "set", "--size", "38mm"), "easein init")
