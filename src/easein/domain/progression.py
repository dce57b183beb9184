"""The progression engine: hold, advance one rung, or step back, and why."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from easein.domain.ladder import Ladder
from easein.domain.policy import Policy
from easein.domain.safety import SafetyState, State
from easein.domain.toys import Toy
from easein.domain.training import (
    TrainingState,
    days_spanned,
    earliest_advance_day,
    is_qualified,
)
from easein.domain.units import Units, format_size


class Action(StrEnum):
    ADVANCE = "advance"
    HOLD = "hold"
    STEP_BACK = "step_back"
    NONE = "none"  # do not train now


@dataclass(frozen=True)
class Recommendation:
    action: Action
    item: Toy | None
    why: str


def _named(toy: Toy, units: Units) -> str:
    return f"{toy.name} ({format_size(toy.diameter_mm, units)})"


def recommend(
    training: TrainingState,
    safety: SafetyState,
    ladder: Ladder,
    policy: Policy,
    tz: ZoneInfo,
    units: Units = Units.MM,
) -> Recommendation:
    """Return what the next session should use.

    Never an item above the earned rung plus one, never beyond the allowed step,
    never an item without a flared base or handle (the ladder holds none).
    """
    if safety.state is State.MEDICAL_HOLD:
        return Recommendation(
            Action.NONE,
            None,
            "No training: see a doctor first. The hold lifts only when you confirm you have "
            "seen one or are otherwise sure.",
        )
    if safety.state is State.PAUSED:
        return Recommendation(
            Action.NONE, None, "No training while a condition is active: clear it once better."
        )
    earned = ladder.earned
    if safety.state is State.REST:
        after = f" then resume with {_named(earned.item, units)}" if earned else ""
        until = safety.until.astimezone(tz).strftime("%a %d %b") if safety.until else "later"
        return Recommendation(Action.NONE, None, f"Rest until {until};{after}.")
    if not ladder.rungs:
        return Recommendation(
            Action.NONE,
            None,
            "Add an item with a flared base or a handle (or measure a finger) to start.",
        )
    if training.earned_mm is None:
        first = ladder.rungs[0].item
        floor = training.below_mm
        smaller = (
            []
            if floor is None
            else [r for r in ladder.rungs if r.diameter_mm < floor - policy.same_size_tolerance_mm]
        )
        if smaller:
            item = smaller[-1].item
            return Recommendation(
                Action.STEP_BACK if training.step_back else Action.HOLD,
                item,
                f"One size down from {format_size(floor or 0, units)}: use "
                f"{_named(item, units)} until it is comfortable again.",
            )
        return Recommendation(
            Action.HOLD,
            first,
            f"Start with your smallest item, {_named(first, units)}: warm up, plenty of lube, "
            "and stay there until it is comfortable.",
        )
    if earned is None:
        return Recommendation(
            Action.NONE,
            None,
            f"None of your items is at or below your earned size "
            f"({format_size(training.earned_mm, units)}): add one (a measured finger works).",
        )
    if training.step_back:
        return Recommendation(
            Action.STEP_BACK,
            earned.item,
            f"The last session hurt or bled: go one size down, to {_named(earned.item, units)}, "
            "and earn the way back up.",
        )
    done = len(training.streak)
    need = policy.sessions_to_advance
    if not is_qualified(training, policy, tz):
        spanned = days_spanned(training.streak, tz)
        parts = [f"{done} of {need} comfortable sessions at this size"]
        earliest = earliest_advance_day(training, policy, tz)
        if spanned < policy.min_days_at_size and earliest is not None:
            parts.append(f"spread over {policy.min_days_at_size} days (from {earliest:%a %d %b})")
        return Recommendation(
            Action.HOLD,
            earned.item,
            f"Stay with {_named(earned.item, units)}: " + ", ".join(parts) + ".",
        )
    upcoming = ladder.next
    if upcoming is None:
        return Recommendation(
            Action.HOLD,
            earned.item,
            f"{_named(earned.item, units)} is your largest item and it is comfortable: "
            "hold, or add a next size.",
        )
    if not ladder.next_within_step:
        look_for = round(policy.max_next_mm(training.earned_mm) - policy.same_size_tolerance_mm, 1)
        return Recommendation(
            Action.HOLD,
            earned.item,
            f"Ready for the next size, but {_named(upcoming.item, units)} is more than "
            f"{policy.max_step_percent:g}% larger: look for an item of about "
            f"{format_size(look_for, units)} to fill the gap.",
        )
    return Recommendation(
        Action.ADVANCE,
        upcoming.item,
        f"{done} comfortable sessions over {days_spanned(training.streak, tz)} days at "
        f"{format_size(earned.diameter_mm, units)}: try {_named(upcoming.item, units)} next, "
        "slowly.",
    )
