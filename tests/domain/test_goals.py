"""The goal: its checks, and the distance from the earned size, with gaps above the ladder."""

from __future__ import annotations

import pytest

from easein.domain.errors import InvalidInput
from easein.domain.goals import Goal, check_goal, goal_distance, parse_wear_hours
from easein.domain.ladder import build_ladder
from easein.domain.policy import DEFAULT_POLICY as P
from easein.domain.toys import Base
from easein.domain.units import Units
from tests.domain.factories import toy


def ladder_of(*sizes: float, earned: float | None = None, unusable: tuple[float, ...] = ()):
    toys = [toy(f"item {mm}", mm) for mm in sizes]
    toys += [toy(f"loose {mm}", mm, base=Base.NONE) for mm in unusable]
    return build_ladder(toys, earned, P)


# earned, items, goal -> to_go, reached, gap, look_for, headline
CASES = [
    pytest.param(30, (20, 25, 30, 35, 38), 38, 8, False, False, (), "8 mm to go", id="8 mm to go"),
    pytest.param(38, (20, 30, 38), 38, 0, True, False, (), "Goal reached", id="reached exactly"),
    pytest.param(40, (30, 40), 38, 0, True, False, (), "Goal reached", id="past the goal"),
    pytest.param(
        37.6, (30, 37.6), 38, 0, True, False, (), "Goal reached", id="within tolerance"
    ),
    pytest.param(
        37.4, (30, 37.4, 38), 38, 0.6, False, False, (), "0.6 mm to go", id="just outside tolerance"
    ),
    pytest.param(
        30, (20, 30), 38, 8, False, True, (34.5, 38), "8 mm to go", id="gap above the ladder"
    ),
    pytest.param(
        30, (20, 30), 34, 4, False, True, (34,), "4 mm to go", id="gap of one allowed step"
    ),
    pytest.param(
        30, (20, 30.4), 30.8, 0.8, False, False, (), "0.8 mm to go", id="largest is the goal"
    ),
    pytest.param(
        None, (20, 30), 25, None, False, False, (), "No size earned yet", id="nothing earned yet"
    ),
    pytest.param(
        None, (), 25, None, False, True, (25,), "No size earned yet", id="no items at all"
    ),
    pytest.param(
        20, (20,), 60, 40, False, True, (23.0, 26.4, 30.4, 35.0, 40.2, 46.2, 53.1, 60),
        "40 mm to go", id="a long way up",
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("earned", "sizes", "target", "to_go", "reached", "gap", "look_for", "headline"), CASES
)
def test_the_distance_to_the_goal(earned, sizes, target, to_go, reached, gap, look_for, headline):
    distance = goal_distance(Goal(target), earned, ladder_of(*sizes, earned=earned), P)
    assert distance.to_go_mm == (None if to_go is None else pytest.approx(to_go))
    assert distance.reached is reached
    assert distance.gap is gap
    assert distance.look_for_mm == pytest.approx(look_for)
    assert distance.headline == headline


def test_an_item_without_a_base_never_closes_the_gap():
    distance = goal_distance(Goal(38), 30, ladder_of(20, 30, earned=30, unusable=(38,)), P)
    assert distance.gap is True
    assert distance.largest_mm == 30
    assert "does not exist on your ladder yet" in distance.detail
    assert "Look for 34.5 mm, then 38 mm" in distance.detail


def test_a_long_way_up_names_the_first_steps_and_the_goal():
    distance = goal_distance(Goal(60), 20, ladder_of(20, earned=20), P)
    assert "Look for 23 mm, then 26.4 mm, then 30.4 mm, and so on up to 60 mm" in distance.detail


def test_the_distance_speaks_the_persons_units():
    distance = goal_distance(Goal(38.1), 31.75, ladder_of(31.75, 38.1, earned=31.75), P, Units.IN)
    assert distance.headline == "0.25 in to go"
    assert "(1.25 in) to your goal (1.50 in)" in distance.detail


def test_reached_praises_and_names_both_sizes():
    distance = goal_distance(Goal(38), 38, ladder_of(38, earned=38), P)
    assert "You have earned 38 mm, your goal of 38 mm" in distance.detail
    assert distance.gap is False


def test_no_items_asks_for_usable_items():
    distance = goal_distance(Goal(25), None, ladder_of(), P)
    assert "no usable item yet" in distance.detail


# --- checking a goal ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "hours", "note", "field"),
    [
        (0, None, "", "size"),
        (-5, None, "", "size"),
        (250, None, "", "size"),
        (float("nan"), None, "", "size"),
        (38, 0, "", "wear_hours"),
        (38, 0.001, "", "wear_hours"),
        (38, 25, "", "wear_hours"),
        (38, float("inf"), "", "wear_hours"),
        (38, None, "x" * 201, "note"),
    ],
)
def test_a_goal_outside_what_is_allowed_is_refused_naming_the_field(target, hours, note, field):
    with pytest.raises(InvalidInput) as caught:
        check_goal(target, hours, note)
    assert caught.value.field == field


def test_a_goal_is_rounded_and_its_note_trimmed():
    goal = check_goal(38.04, 7.999, "  for us  ")
    assert goal == Goal(38.0, 8.0, "for us")


@pytest.mark.parametrize(
    ("text", "hours"),
    [("8", 8), ("7.5", 7.5), ("7,5", 7.5), ("8h", 8), ("1h30m", 1.5), ("90m", 1.5), (" 24 ", 24)],
)
def test_wear_hours_are_read_as_hours_or_a_duration(text, hours):
    assert parse_wear_hours(text) == pytest.approx(hours)


@pytest.mark.parametrize("text", ["", "abc", "-1", "0", "25", "eight", "8 hours please"])
def test_wear_hours_that_are_not_hours_are_refused(text):
    with pytest.raises(InvalidInput) as caught:
        parse_wear_hours(text)
    assert caught.value.field == "wear_hours"
