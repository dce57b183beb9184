"""The lost-object protocol: bear down, then an enema, then an emergency department."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from easein.domain.emergency import (
    Decision,
    Step,
    info,
    next_step,
    protocol,
    skip_to_emergency_department,
)
from easein.domain.errors import InvalidInput

MIN = timedelta(minutes=1)
ORDER = {Step.BEAR_DOWN: 0, Step.ENEMA: 1, Step.EMERGENCY_DEPARTMENT: 2, Step.DONE: 3}


def test_protocol_lists_every_step_in_order() -> None:
    assert [i.step for i in protocol()] == [
        Step.BEAR_DOWN,
        Step.ENEMA,
        Step.EMERGENCY_DEPARTMENT,
        Step.DONE,
    ]


def test_each_trying_step_asks_for_five_minutes_and_terminal_steps_for_none() -> None:
    assert info(Step.BEAR_DOWN).minimum == 5 * MIN
    assert info(Step.ENEMA).minimum == 5 * MIN
    assert info(Step.EMERGENCY_DEPARTMENT).minimum is None
    assert info(Step.DONE).minimum is None


@pytest.mark.parametrize(
    ("step", "words"),
    [
        (Step.BEAR_DOWN, ["bear down", "bowel movement", "squatting"]),
        (Step.ENEMA, ["enema", "bear down again"]),
        (Step.EMERGENCY_DEPARTMENT, ["emergency department now", "do not wait it out"]),
        (Step.DONE, ["whole", "see a doctor", "log"]),
    ],
)
def test_step_texts_say_what_to_do(step: Step, words: list[str]) -> None:
    text = " ".join(info(step).instructions).lower()
    for word in words:
        assert word in text


@pytest.mark.parametrize("step", [Step.BEAR_DOWN, Step.ENEMA])
def test_trying_steps_say_severe_pain_goes_straight_to_an_emergency_department(
    step: Step,
) -> None:
    assert any("go straight to an emergency department" in line for line in info(step).instructions)


CASES = [
    (
        "lost_object_keeps_bearing_down_before_five_minutes",
        Step.BEAR_DOWN,
        2 * MIN,
        False,
        Decision(Step.BEAR_DOWN, 3 * MIN),
    ),
    (
        "lost_object_keeps_bearing_down_from_the_start",
        Step.BEAR_DOWN,
        timedelta(0),
        False,
        Decision(Step.BEAR_DOWN, 5 * MIN),
    ),
    (
        "lost_object_moves_to_enema_after_five_minutes_of_bearing_down",
        Step.BEAR_DOWN,
        5 * MIN,
        False,
        Decision(Step.ENEMA, timedelta(0)),
    ),
    (
        "lost_object_moves_to_enema_after_longer_bearing_down",
        Step.BEAR_DOWN,
        30 * MIN,
        False,
        Decision(Step.ENEMA, timedelta(0)),
    ),
    (
        "lost_object_keeps_trying_after_the_enema_before_five_minutes",
        Step.ENEMA,
        timedelta(minutes=4, seconds=30),
        False,
        Decision(Step.ENEMA, timedelta(seconds=30)),
    ),
    (
        "lost_object_goes_to_emergency_department_five_minutes_after_the_enema",
        Step.ENEMA,
        5 * MIN,
        False,
        Decision(Step.EMERGENCY_DEPARTMENT, timedelta(0)),
    ),
    (
        "emergency_department_is_terminal",
        Step.EMERGENCY_DEPARTMENT,
        timedelta(hours=3),
        False,
        Decision(Step.EMERGENCY_DEPARTMENT, timedelta(0)),
    ),
    (
        "done_is_terminal",
        Step.DONE,
        timedelta(hours=3),
        False,
        Decision(Step.DONE, timedelta(0)),
    ),
    (
        "coming_out_while_bearing_down_ends_in_done",
        Step.BEAR_DOWN,
        MIN,
        True,
        Decision(Step.DONE, timedelta(0)),
    ),
    (
        "coming_out_after_the_enema_ends_in_done",
        Step.ENEMA,
        10 * MIN,
        True,
        Decision(Step.DONE, timedelta(0)),
    ),
    (
        "coming_out_on_the_way_to_the_emergency_department_ends_in_done",
        Step.EMERGENCY_DEPARTMENT,
        MIN,
        True,
        Decision(Step.DONE, timedelta(0)),
    ),
    (
        "coming_out_when_done_stays_done",
        Step.DONE,
        timedelta(0),
        True,
        Decision(Step.DONE, timedelta(0)),
    ),
]


@pytest.mark.parametrize(
    ("name", "current", "elapsed", "came_out", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_next_step(
    name: str, current: Step, elapsed: timedelta, came_out: bool, expected: Decision
) -> None:
    assert next_step(current, elapsed=elapsed, came_out=came_out) == expected


def test_lost_object_can_skip_straight_to_the_emergency_department() -> None:
    assert skip_to_emergency_department() == Decision(Step.EMERGENCY_DEPARTMENT, timedelta(0))


def test_lost_object_refuses_a_negative_elapsed_time() -> None:
    with pytest.raises(InvalidInput) as caught:
        next_step(Step.BEAR_DOWN, elapsed=-MIN, came_out=False)
    assert caught.value.field == "elapsed"


attempts = st.tuples(
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(minutes=20)), st.booleans()
)


@given(start=st.sampled_from(list(Step)), inputs=st.lists(attempts, max_size=12))
def test_lost_object_protocol_never_goes_backwards_and_escalates_within_two_moves(
    start: Step, inputs: list[tuple[timedelta, bool]]
) -> None:
    step = start
    failed_past_minimum = 0  # tries that ran their full minimum without success
    for elapsed, came_out in inputs:
        minimum = info(step).minimum
        decision = next_step(step, elapsed=elapsed, came_out=came_out)
        assert ORDER[decision.step] >= ORDER[step]
        assert decision.wait >= timedelta(0)
        if came_out:
            assert decision.step is Step.DONE
        elif minimum is not None and elapsed >= minimum:
            failed_past_minimum += 1
            assert decision.step is not step
        elif minimum is not None:
            assert decision == Decision(step, minimum - elapsed)
        if step is not Step.DONE and decision.step is not Step.DONE and failed_past_minimum >= 2:
            assert decision.step is Step.EMERGENCY_DEPARTMENT
        step = decision.step
