"""The ladder: usable items ordered by diameter, the earned rung, the next one, and gaps."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from easein.domain.policy import Policy
from easein.domain.toys import Toy


@dataclass(frozen=True)
class Rung:
    """One size on the ladder; several items may share it."""

    diameter_mm: float
    items: tuple[Toy, ...]

    @property
    def item(self) -> Toy:
        """Return the item to suggest for this size (the first by name)."""
        return self.items[0]


@dataclass(frozen=True)
class Gap:
    """Two neighbouring rungs further apart than the allowed step, and the sizes to fill it."""

    below_mm: float
    above_mm: float
    fill_mm: tuple[float, ...]


@dataclass(frozen=True)
class Ladder:
    """The usable items as a ladder, relative to the earned size."""

    rungs: tuple[Rung, ...]
    earned_mm: float | None
    earned_index: int | None
    next_index: int | None
    next_within_step: bool
    gaps: tuple[Gap, ...]

    @property
    def earned(self) -> Rung | None:
        return None if self.earned_index is None else self.rungs[self.earned_index]

    @property
    def next(self) -> Rung | None:
        return None if self.next_index is None else self.rungs[self.next_index]


def fill_sizes(below_mm: float, above_mm: float, policy: Policy) -> tuple[float, ...]:
    """Return the sizes, each one allowed step above the last, that bridge `below`..`above`."""
    sizes: list[float] = []
    current = below_mm
    while policy.max_next_mm(current) < above_mm and len(sizes) < 20:
        current = round(current * (1 + policy.max_step_percent / 100), 1)
        sizes.append(current)
    return tuple(sizes)


def build_ladder(toys: list[Toy], earned_mm: float | None, policy: Policy) -> Ladder:
    """Return the ladder of the usable, unretired `toys` around `earned_mm`.

    Items without a flared base or handle never appear (rule `toy.base_required`).
    """
    tol = policy.same_size_tolerance_mm
    usable = sorted(
        (t for t in toys if t.usable_anally and not t.retired),
        key=lambda t: (t.diameter_mm, t.name.lower()),
    )
    rungs: list[Rung] = []
    for toy in usable:
        if rungs and toy.diameter_mm - rungs[-1].diameter_mm <= tol:
            rungs[-1] = Rung(rungs[-1].diameter_mm, (*rungs[-1].items, toy))
        else:
            rungs.append(Rung(toy.diameter_mm, (toy,)))

    gaps = tuple(
        Gap(
            lower.diameter_mm,
            upper.diameter_mm,
            fill_sizes(lower.diameter_mm, upper.diameter_mm, policy),
        )
        for lower, upper in pairwise(rungs)
        if upper.diameter_mm > policy.max_next_mm(lower.diameter_mm)
    )

    earned_index: int | None = None
    next_index: int | None = None
    if earned_mm is None:
        next_index = 0 if rungs else None
        within = True
    else:
        for i, rung in enumerate(rungs):
            if rung.diameter_mm <= earned_mm + tol:
                earned_index = i
            elif next_index is None:
                next_index = i
        within = next_index is not None and rungs[next_index].diameter_mm <= policy.max_next_mm(
            earned_mm
        )
    return Ladder(tuple(rungs), earned_mm, earned_index, next_index, within, gaps)
