"""The lost-object protocol: what to do when something is inside and cannot be retrieved.

The steps go one way: bear down, then an enema, then an emergency department.
Each trying step has a minimum time (about five minutes, the "few minutes" of
the source practice) before the protocol moves on; the caller passes the time
spent so far, so nothing here reads a clock. At any moment a person may skip
straight to the emergency department (`skip_to_emergency_department`): severe
pain, or being unable to do the steps, always outranks the sequence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from easein.domain.errors import InvalidInput


class Step(StrEnum):
    BEAR_DOWN = "bear_down"
    ENEMA = "enema"
    EMERGENCY_DEPARTMENT = "emergency_department"
    DONE = "done"  # it came out


@dataclass(frozen=True)
class StepInfo:
    """One step of the protocol: what to do, and how long to keep trying before moving on.

    `minimum` is None for the steps that never move on by themselves.
    """

    step: Step
    title: str
    instructions: tuple[str, ...]
    minimum: timedelta | None


@dataclass(frozen=True)
class Decision:
    """Where the protocol is now, and how much longer to keep trying this step (0 if done)."""

    step: Step
    wait: timedelta


# About five minutes per step: long enough for a relaxed try (a tense body holds
# on), short enough that nobody talks themselves into "waiting it out".
TRY_FOR = timedelta(minutes=5)

_SKIP = (
    "If you feel severe pain, or you can't do these steps, go straight to an emergency department."
)

_PROTOCOL: tuple[StepInfo, ...] = (
    StepInfo(
        Step.BEAR_DOWN,
        "Bear down",
        (
            "Don't panic: this happens, and there is a clear way through it.",
            "Bear down gently, as for a bowel movement, to push it out. "
            "Relax between tries; squatting helps.",
            "Don't push fingers or anything else in to try to reach it.",
            _SKIP,
        ),
        TRY_FOR,
    ),
    StepInfo(
        Step.ENEMA,
        "Try an enema",
        (
            "Use an enema (or a douche) and then bear down again.",
            "Sit on the toilet or squat, relax, and give it a few minutes.",
            _SKIP,
        ),
        TRY_FOR,
    ),
    StepInfo(
        Step.EMERGENCY_DEPARTMENT,
        "Go to an emergency department",
        (
            "Go to an emergency department now. Do not wait it out. "
            "Tell them what is inside; they see this often.",
            "If it comes out on the way, check it is whole and still get checked if you "
            "have pain or bleeding.",
        ),
        None,
    ),
    StepInfo(
        Step.DONE,
        "It came out",
        (
            "Check the item is whole: if a piece is missing, go to an emergency department.",
            "If there's pain or bleeding afterwards, see a doctor.",
            "Rest and log it, so your plan takes it into account.",
        ),
        None,
    ),
)

_BY_STEP = {i.step: i for i in _PROTOCOL}

# The only forward moves by time; EMERGENCY_DEPARTMENT and DONE are terminal.
_AFTER = {Step.BEAR_DOWN: Step.ENEMA, Step.ENEMA: Step.EMERGENCY_DEPARTMENT}

_NO_WAIT = timedelta(0)


def protocol() -> tuple[StepInfo, ...]:
    """Return every step in order, for one-screen display."""
    return _PROTOCOL


def info(step: Step) -> StepInfo:
    """Return what to do at `step`."""
    return _BY_STEP[step]


def next_step(current: Step, *, elapsed: timedelta, came_out: bool) -> Decision:
    """Return the step to be on after `elapsed` time at `current`.

    It coming out ends the protocol at any step. Otherwise a trying step is kept
    until its minimum has passed, then the protocol moves one step on; the
    emergency department is never left except by the object coming out.
    """
    if elapsed < _NO_WAIT:
        raise InvalidInput("elapsed time cannot be negative", field="elapsed")
    if came_out:
        return Decision(Step.DONE, _NO_WAIT)
    minimum = info(current).minimum
    if minimum is None:
        return Decision(current, _NO_WAIT)
    if elapsed < minimum:
        return Decision(current, minimum - elapsed)
    return Decision(_AFTER[current], _NO_WAIT)


def skip_to_emergency_department() -> Decision:
    """Return the decision to go to an emergency department now, from any step."""
    return Decision(Step.EMERGENCY_DEPARTMENT, _NO_WAIT)
