"""The periods when safety kept the trainee from training: they never count as misses."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from easein.domain.adherence import Interval
from easein.domain.safety import Condition
from easein.domain.stats import Summary


def excused_intervals(
    summary: Summary,
    clearances: Sequence[datetime],
    conditions: Iterable[Condition],
) -> list[Interval]:
    """Return the rest, pause and medical-hold periods, oldest first.

    A medical hold runs from its session until the first clearance recorded
    after that session was logged (the same rule as the safety engine's).
    """
    ordered = sorted(clearances)
    found = [Interval(start, end, "rest") for start, end in summary.rests]
    for started, logged in summary.holds:
        end = next((c for c in ordered if c > logged), None)
        found.append(Interval(started, end, "medical_hold"))
    found.extend(Interval(c.since, c.cleared_at, f"paused: {c.kind.value}") for c in conditions)
    return sorted(found, key=lambda i: i.start)
