"""A person's goal: a target size (and, if they like, a wear routine), and how far it is.

The distance is measured from the earned size (the top of the training state's
earned stack), never from the largest item ever tried: only a size the body has
accepted over several comfortable sessions counts. When the goal is wider than
every usable item, the item it needs does not exist yet: that gap is said
plainly, with the sizes to look for in allowed steps.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime

from easein.domain.errors import InvalidInput
from easein.domain.ladder import Ladder, fill_sizes
from easein.domain.policy import Policy
from easein.domain.units import Units, check_diameter, format_size, parse_duration

MAX_NOTE = 200
MAX_WEAR_HOURS = 24.0
_HOURS = re.compile(r"^\s*(\d+(?:[.,]\d+)?|[.,]\d+)\s*$")


@dataclass(frozen=True)
class Goal:
    """The current goal: a target diameter, an optional wear routine and why it matters."""

    target_mm: float
    wear_hours: float | None = None  # hours of long wear per session, e.g. per night
    note: str = ""
    set_at: datetime | None = None
    # The note is sealed under the person's data key and whoever read it does not hold
    # it: `note` is then empty, not the note.
    note_locked: bool = False


def check_wear_hours(hours: float, *, field: str = "wear_hours") -> float:
    """Return `hours` rounded to 0.01 h if it is a plausible wear routine (over 0, at most 24)."""
    if not math.isfinite(hours) or round(hours, 2) <= 0:
        raise InvalidInput(f"{field} must be more than 0 hours", field=field, code="out_of_range")
    if hours > MAX_WEAR_HOURS:
        raise InvalidInput(
            f"{field} must be at most {MAX_WEAR_HOURS:g} hours", field=field, code="out_of_range"
        )
    return round(hours, 2)


def parse_wear_hours(text: str, *, field: str = "wear_hours") -> float:
    """Return the hours `text` names: `8` or `7.5` (hours), or a duration like `8h`, `1h30m`."""
    match = _HOURS.match(str(text))
    if match:
        return check_wear_hours(float(match[1].replace(",", ".")), field=field)
    try:
        duration = parse_duration(text, field=field)
    except InvalidInput:
        raise InvalidInput(
            f"{field}: {text!r} is not a number of hours; write it like 8, 7.5 or 1h30m",
            field=field,
            code="invalid_number",
        ) from None
    return check_wear_hours(duration.total_seconds() / 3600, field=field)


def check_note(note: str, *, field: str = "note") -> str:
    clean = note.strip()
    if len(clean) > MAX_NOTE:
        raise InvalidInput(
            f"{field} must be at most {MAX_NOTE} characters", field=field, code="too_long"
        )
    return clean


def check_goal(
    target_mm: float,
    wear_hours: float | None = None,
    note: str = "",
    set_at: datetime | None = None,
) -> Goal:
    """Return a goal whose values are all within what is allowed, or raise naming the field."""
    return Goal(
        target_mm=check_diameter(target_mm, field="size"),
        wear_hours=None if wear_hours is None else check_wear_hours(wear_hours),
        note=check_note(note),
        set_at=set_at,
    )


@dataclass(frozen=True)
class GoalDistance:
    """How far the goal is from the earned size, and whether the ladder reaches it."""

    target_mm: float
    earned_mm: float | None
    to_go_mm: float | None  # None until a size is earned; 0 once the goal is reached
    reached: bool
    largest_mm: float | None  # the largest usable item on the ladder
    gap: bool  # the goal is wider than every usable item: its item does not exist yet
    look_for_mm: tuple[float, ...]  # with a gap: sizes to look for, each one allowed step up
    headline: str  # "8 mm to go", "Goal reached"
    detail: str


def goal_distance(
    goal: Goal, earned_mm: float | None, ladder: Ladder, policy: Policy, units: Units = Units.MM
) -> GoalDistance:
    """Return the distance from `earned_mm` to the goal, and any gap above the ladder.

    Sizes within the same-size tolerance count as the same (people measure with
    a ruler): an earned 37.6 mm reaches a 38 mm goal.
    """

    def size(mm: float) -> str:
        return format_size(mm, units)

    tol = policy.same_size_tolerance_mm
    target = goal.target_mm
    largest = ladder.rungs[-1].diameter_mm if ladder.rungs else None
    reached = earned_mm is not None and earned_mm >= target - tol
    gap = not reached and (largest is None or target > largest + tol)
    look_for: tuple[float, ...] = ()
    if gap and largest is not None:
        look_for = (*fill_sizes(largest, target, policy), target)
    elif gap:
        look_for = (target,)
    to_go = None if earned_mm is None else (0.0 if reached else round(target - earned_mm, 1))

    if reached:
        assert earned_mm is not None
        headline = "Goal reached"
        detail = (
            f"You have earned {size(earned_mm)}, your goal of {size(target)}. Well done: "
            "stay there as long as it feels good, or set a new goal when you are ready."
        )
    elif to_go is None:
        headline = "No size earned yet"
        detail = (
            f"Your goal is {size(target)}. A few comfortable sessions at your smallest item "
            "come first; the distance shows from there."
        )
    else:
        assert earned_mm is not None
        headline = f"{size(to_go)} to go"
        detail = f"From the size you have earned ({size(earned_mm)}) to your goal ({size(target)})."
    if gap:
        sizes = [size(mm) for mm in look_for]
        if len(sizes) > 4:
            steps = ", then ".join(sizes[:3]) + f", and so on up to {sizes[-1]}"
        else:
            steps = ", then ".join(sizes)
        if largest is None:
            detail += (
                " You have no usable item yet (one with a flared base or a handle): "
                f"add your items; the way to {size(target)} shows from there."
            )
        else:
            detail += (
                f" Your largest usable item is {size(largest)}: the item your goal needs does "
                f"not exist on your ladder yet. Look for {steps}, one allowed step at a time."
            )
    return GoalDistance(
        target_mm=target,
        earned_mm=earned_mm,
        to_go_mm=to_go,
        reached=reached,
        largest_mm=largest,
        gap=gap,
        look_for_mm=look_for,
        headline=headline,
        detail=detail,
    )
