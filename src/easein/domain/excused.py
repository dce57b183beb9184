"""The periods when safety kept the trainee from training: they never count as misses."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from easein.domain.adherence import Interval
from easein.domain.policy import Policy
from easein.domain.safety import Condition
from easein.domain.sessions import Bleeding, BloodColour
from easein.domain.stats import Point
from easein.domain.training import needs_doctor


def excused_intervals(
    points: Iterable[Point],
    clearances: Sequence[datetime],
    conditions: Iterable[Condition],
    policy: Policy,
) -> list[Interval]:
    """Return the rest, pause and medical-hold periods derived from the log."""
    ordered_clearances = sorted(clearances)
    found: list[Interval] = []
    for p in points:
        bleeding = Bleeding(p.bleeding)
        ended = p.started_at + timedelta(seconds=p.duration_s)
        if bleeding is not Bleeding.NONE:
            found.append(
                Interval(ended, ended + timedelta(days=policy.rest_days_after_spotting), "rest")
            )
        colour = BloodColour(p.colour) if p.colour else None
        if needs_doctor(p.pain, p.sharp, bleeding, colour, policy):
            end = next((c for c in ordered_clearances if c > p.recorded_at), None)
            found.append(Interval(p.started_at, end, "medical_hold"))
    found.extend(Interval(c.since, c.cleared_at, f"paused: {c.kind.value}") for c in conditions)
    return sorted(found, key=lambda i: i.start)
