"""The plain summary both people read and accept before a pairing becomes active.

It says, in the couple's own words, what the partner will see at the chosen
sharing level, what each of them can do, and what no one can override. The
text is built from the same allow-lists and thresholds the code applies, so the
promise and the behaviour cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from easein.domain.pairing import PLAIN_WORDS, Words
from easein.domain.policy import DEFAULT_POLICY, Policy
from easein.domain.sharing import SharingLevel

_SEES: dict[SharingLevel, str] = {
    SharingLevel.NOTHING: (
        "No sessions, reports or safety state: for the {partner}, they do not exist."
    ),
    SharingLevel.SUMMARY: (
        "For each session: that it happened, its kind, date, length and whether it was "
        "completed. The state name (ready, rest, paused or medical hold), without reasons "
        "or any medical detail."
    ),
    SharingLevel.FULL: (
        "Full session reports: items and sizes, pain, comfort, pleasure, sensations, "
        "bleeding, lube and mess; the safety state with its rules and the next step. "
        "Not the {trainee}'s free notes."
    ),
    SharingLevel.FULL_WITH_NOTES: (
        "Full session reports, the safety state with its reasons, and the {trainee}'s free notes."
    ),
}


@dataclass(frozen=True)
class AccessSummary:
    """What the partner will see and be able to do, and what no one can override."""

    level: SharingLevel
    words: Words
    partner_sees: tuple[str, ...]
    partner_can: tuple[str, ...]
    trainee_can: tuple[str, ...]
    no_one_can_override: tuple[str, ...]

    @property
    def text(self) -> str:
        """Return the summary as plain text, one point a line, under four headings."""
        t, p = self.words.trainee, self.words.partner
        sections = (
            (f"What the {p} sees", self.partner_sees),
            (f"What the {p} can do", self.partner_can),
            (f"What the {t} can do", self.trainee_can),
            ("What no one can override", self.no_one_can_override),
        )
        return "\n\n".join(
            heading + ":\n" + "\n".join(f"- {line}" for line in lines)
            for heading, lines in sections
        )


def access_summary(
    level: SharingLevel, words: Words = PLAIN_WORDS, policy: Policy = DEFAULT_POLICY
) -> AccessSummary:
    """Return the plain summary for `level`, in the couple's words, with the policy's numbers."""
    t, p = words.trainee, words.partner
    sees = (
        _SEES[level].format(trainee=t, partner=p),
        f"Whatever the level: the directives, the {t}'s acknowledgements and check-ins "
        "(done, partly, skipped), and compliance, where missed and excused are told apart.",
        f"Whatever the level, so that a directive can name a safe item: the {t}'s usable items "
        "(name, size and base; never the material, nor which size is earned).",
        f"'Suspended for safety' when safety pauses the directives, never why (unless the "
        f"{t} shares it above), and every stop and talk.",
        "The conversation answers once both have answered, the agreement with every version, "
        "and the log of who changed what and when.",
        f"A session the {t} marks 'don't share this one' does not exist for the {p}, at any level.",
    )
    partner_can = (
        "Set directives (a stretch session, wear, a specific item or the next size) with a "
        "schedule, a daily window and a note; change or end them.",
        "Comment, call stop and talk, propose or reopen the agreement, and end the pairing at "
        "any time.",
    )
    trainee_can = (
        "Choose what is shared, change it at any time (it applies at once), and hide any "
        "single session.",
        "Acknowledge directives and check in with the session attached.",
        "Call stop and talk and resume; comment, reopen the agreement, and end the pairing at "
        "any time.",
    )
    never = (
        f"No directive can ask for an item above the {t}'s earned size plus one step, a step "
        f"more than {policy.max_step_percent:g}% larger, or an item without a flared base or "
        "handle: it is refused when it is set.",
        f"While the {t} rests, is paused or is on medical hold, every directive is "
        f"suspended; a medical hold lifts only by the {t}'s own confirmation.",
        f"Stop and talk always works: one tap, no confirmation, no waiting. Either of you can "
        f"call it; only the {t} resumes.",
        "Pain and bleeding rules apply the same whoever set the routine; no permission, "
        "order or agreement lifts them.",
        "Nothing is visible to anyone outside this pairing.",
    )
    return AccessSummary(level, words, sees, partner_can, trainee_can, never)
