"""The ids of the safety and progression rules. Tests, messages and docs cite these."""

from __future__ import annotations

from typing import Final

PAIN_SHARP: Final = "pain.sharp"  # sharp or sudden pain: the next session steps back a size
PAIN_LIMIT: Final = "pain.limit"  # pain at or above the limit: no advance, step back
BLEEDING_SPOTTING: Final = "bleeding.spotting"  # a little bright blood: rest, then a size down
MEDICAL_BLEEDING_LASTING: Final = "medical.bleeding_lasting"  # see a doctor
MEDICAL_BLEEDING_DARK: Final = "medical.bleeding_dark"  # see a doctor
MEDICAL_ACUTE_PAIN: Final = "medical.acute_pain"  # see a doctor
CONDITION_ACTIVE: Final = "condition.active"  # haemorrhoids, constipation...: paused
LUBE_REAPPLY: Final = "lube.reapply"  # pain without fresh lube on reinsertion
TOY_BASE_REQUIRED: Final = "toy.base_required"  # never an item without a flared base/handle
OUTCOME_NOT_COMPLETED: Final = "progression.not_completed"  # stopped/failed: counts against
AHEAD_OF_PLAN: Final = "progression.ahead_of_plan"  # used a size not yet earned
DIRECTIVE_ABOVE_NEXT_RUNG: Final = "directive.above_next_rung"  # above earned rung + 1
DIRECTIVE_STEP_TOO_LARGE: Final = "directive.step_too_large"  # beyond the allowed step
DIRECTIVE_SUSPENDED_FOR_SAFETY: Final = "directive.suspended_for_safety"  # rest, pause, hold
STOP_AND_TALK: Final = "directive.stop_and_talk"  # anyone stops; only the trainee resumes
DIRECTIVE_ITEM_RETIRED: Final = "directive.item_retired"  # its item was put away since

ALL: Final = (
    PAIN_SHARP,
    PAIN_LIMIT,
    BLEEDING_SPOTTING,
    MEDICAL_BLEEDING_LASTING,
    MEDICAL_BLEEDING_DARK,
    MEDICAL_ACUTE_PAIN,
    CONDITION_ACTIVE,
    LUBE_REAPPLY,
    TOY_BASE_REQUIRED,
    OUTCOME_NOT_COMPLETED,
    AHEAD_OF_PLAN,
    DIRECTIVE_ABOVE_NEXT_RUNG,
    DIRECTIVE_STEP_TOO_LARGE,
    DIRECTIVE_SUSPENDED_FOR_SAFETY,
    STOP_AND_TALK,
    DIRECTIVE_ITEM_RETIRED,
)
