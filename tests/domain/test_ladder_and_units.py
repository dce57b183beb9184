"""Sizes and units, toys and their bases, and the ladder with its gaps."""

from __future__ import annotations

from datetime import timedelta

import pytest

from easein.domain.errors import InvalidInput, UnsafeItem
from easein.domain.ladder import build_ladder
from easein.domain.policy import DEFAULT_POLICY as P
from easein.domain.toys import Base, ToyKind, base_refusal, check_kind_and_base, check_usable
from easein.domain.units import (
    Units,
    check_diameter,
    diameter_from_circumference,
    format_size,
    parse_duration,
    parse_size,
)
from tests.domain.factories import toy


@pytest.mark.parametrize(
    ("text", "mm"),
    [
        ("32mm", 32),
        ("3.2cm", 32),
        ("1.25in", 31.75),
        ('1.25"', 31.75),
        ("32 mm", 32),
        ("3,2cm", 32),
        (".5in", 12.7),
    ],
)
def test_sizes_are_read_in_mm_cm_and_inches(text, mm):
    assert parse_size(text) == pytest.approx(mm)


@pytest.mark.parametrize("text", ["3furlong", "abc", "", "32", "mm"])
def test_a_size_without_a_known_unit_is_refused(text):
    with pytest.raises(InvalidInput):
        parse_size(text)


def test_a_bare_number_takes_the_profile_unit():
    assert parse_size("1", default_unit=Units.IN) == pytest.approx(25.4)


@pytest.mark.parametrize("mm", [-3, 0, 250, float("nan")])
def test_implausible_diameters_are_refused(mm):
    with pytest.raises(InvalidInput):
        check_diameter(mm)


def test_a_circumference_becomes_a_diameter():
    assert diameter_from_circumference(100) == pytest.approx(31.83, abs=0.01)


def test_sizes_are_shown_in_the_chosen_unit():
    assert format_size(32, Units.MM) == "32 mm"
    assert format_size(25.4, Units.IN) == "1.00 in"


@pytest.mark.parametrize(
    ("text", "minutes"), [("20m", 20), ("2h", 120), ("1h30m", 90), ("90", 90), ("45min", 45)]
)
def test_durations(text, minutes):
    assert parse_duration(text) == timedelta(minutes=minutes)


@pytest.mark.parametrize("text", ["", "5x", "0m", "25h", "-5m"])
def test_bad_durations_are_refused(text):
    with pytest.raises(InvalidInput):
        parse_duration(text)


def test_toy_base_required_refuses_an_item_without_flared_base_or_handle():
    unsafe = toy("slippery", 20, base=Base.NONE)
    assert "toy.base_required" in base_refusal(unsafe)
    with pytest.raises(UnsafeItem) as caught:
        check_usable(unsafe)
    assert caught.value.code == "toy.base_required"
    for base in (Base.FLARED, Base.HANDLE):
        assert check_usable(toy("ok", 20, base=base))


def test_body_parts_have_a_body_base_and_toys_do_not():
    check_kind_and_base(ToyKind.FINGER, Base.BODY)
    with pytest.raises(InvalidInput):
        check_kind_and_base(ToyKind.PLUG, Base.BODY)
    with pytest.raises(InvalidInput):
        check_kind_and_base(ToyKind.HAND, Base.NONE)


def test_ladder_orders_usable_items_and_marks_earned_and_next():
    toys = [
        toy("c", 23),
        toy("a", 18),
        toy("no", 19, base=Base.NONE),
        toy("b", 20),
        toy("old", 21, retired=True),
    ]
    ladder = build_ladder(toys, 20, P)
    assert [r.diameter_mm for r in ladder.rungs] == [18, 20, 23]
    assert ladder.earned.item.name == "b"
    assert ladder.next.item.name == "c"
    assert ladder.next_within_step


def test_ladder_flags_a_gap_with_the_sizes_to_fill_it():
    ladder = build_ladder([toy("a", 20), toy("b", 30)], 20, P)
    assert not ladder.next_within_step
    (gap,) = ladder.gaps
    assert (gap.below_mm, gap.above_mm) == (20, 30)
    assert gap.fill_mm == (23.0, 26.4)
    assert all(b <= P.max_next_mm(a) for a, b in zip((20, *gap.fill_mm), (*gap.fill_mm, 30)))


def test_items_of_the_same_size_share_a_rung():
    ladder = build_ladder([toy("a", 20), toy("b", 20.4)], None, P)
    assert len(ladder.rungs) == 1 and len(ladder.rungs[0].items) == 2


@pytest.mark.parametrize("mm", [1e-300, 0.04])
def test_a_size_that_rounds_to_zero_is_refused(mm):
    with pytest.raises(InvalidInput, match=r"at least 0\.1 mm"):
        check_diameter(mm)
