"""A directive's status at a moment: safety first, then stop and talk, then the rest.

Computed, never stored: suspended for safety while the trainee rests, is
paused or is on medical hold, and while its item is above what is safe now
(after a step back); paused while a stop and talk is open. No role, permission
or agreement changes that order. The partner's wording never carries a
medical detail: they read "suspended for safety", whatever the cause.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from easein.domain import rules
from easein.domain.directives import Directive, Refusal, item_refusal
from easein.domain.ladder import Ladder
from easein.domain.pairing import Pairing
from easein.domain.policy import Policy
from easein.domain.safety import State
from easein.domain.stop_and_talk import StopAndTalk, open_stop
from easein.domain.toys import Toy

SUSPENDED_FOR_SAFETY = "suspended for safety"


class DirectiveState(StrEnum):
    ACTIVE = "active"
    AWAITING_ACKNOWLEDGEMENT = "awaiting_acknowledgement"
    SUSPENDED_FOR_SAFETY = "suspended_for_safety"
    PAUSED_BY_STOP_AND_TALK = "paused_by_stop_and_talk"
    ENDED = "ended"


@dataclass(frozen=True)
class DirectiveStatus:
    """A directive's status at a moment: `message` for the trainee, `partner_message` for the
    partner (never a medical detail)."""

    state: DirectiveState
    rule: str | None
    message: str
    partner_message: str


_SAFETY_WORDS = {
    State.REST: "while you rest",
    State.PAUSED: "while training is paused",
    State.MEDICAL_HOLD: "during the medical hold",
}


def status_at(
    directive: Directive,
    at: datetime,
    *,
    pairing: Pairing,
    safety: State,
    stops: Iterable[StopAndTalk],
    item: Toy | None,
    ladder: Ladder,
    policy: Policy,
    below_mm: float | None = None,
) -> DirectiveStatus:
    """Return the directive's status at `at`, from the trainee's safety state then.

    Precedence: ended, suspended for safety, paused by stop and talk, awaiting
    acknowledgement, active. `ladder` and `below_mm` describe the trainee at
    `at`, so a step back since the directive was set suspends it too.
    """
    if directive.ended_at is not None and directive.ended_at <= at:
        return DirectiveStatus(DirectiveState.ENDED, None, "ended", "ended")
    if pairing.ended_at is not None and pairing.ended_at <= at:
        return DirectiveStatus(DirectiveState.ENDED, None, "the pairing ended", "the pairing ended")
    suspended = DirectiveState.SUSPENDED_FOR_SAFETY
    if safety is not State.READY:
        return DirectiveStatus(
            suspended,
            rules.DIRECTIVE_SUSPENDED_FOR_SAFETY,
            f"Suspended {_SAFETY_WORDS[safety]}: safety always wins over a directive.",
            SUSPENDED_FOR_SAFETY,
        )
    if directive.item_id is not None:
        refusal = (
            item_refusal(item, ladder, policy, below_mm=below_mm)
            if item is not None and item.id == directive.item_id
            else Refusal(rules.TOY_BASE_REQUIRED, "its item is no longer known")
        )
        if refusal is not None:
            return DirectiveStatus(
                suspended, refusal.rule, f"Suspended: {refusal.message}.", SUSPENDED_FOR_SAFETY
            )
    if open_stop((s for s in stops if s.pairing_id == pairing.id), at) is not None:
        message = "paused by stop and talk"
        return DirectiveStatus(
            DirectiveState.PAUSED_BY_STOP_AND_TALK, rules.STOP_AND_TALK, message, message
        )
    if directive.acknowledged_at is None or directive.acknowledged_at > at:
        return DirectiveStatus(
            DirectiveState.AWAITING_ACKNOWLEDGEMENT,
            None,
            "waiting for you to acknowledge it",  # the trainee reads it: addressed to them
            f"waiting for the {pairing.words.trainee} to acknowledge it",
        )
    return DirectiveStatus(DirectiveState.ACTIVE, None, "active", "active")
