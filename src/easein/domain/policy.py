"""The safety thresholds, with safe defaults and the bounds a person may set them within.

Defaults are borrowed from published dilator-therapy practice (see the guide,
topic "progression"): they are analogies, not medical advice, and every one is a
setting. The bounds stop a setting from switching a safety rule off.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from easein.domain.errors import InvalidInput


@dataclass(frozen=True)
class Threshold:
    """One setting: its default, its allowed range and why it has that default."""

    name: str
    default: float
    minimum: float
    maximum: float
    unit: str
    rationale: str


THRESHOLDS: tuple[Threshold, ...] = (
    Threshold(
        "pain_limit",
        4,
        1,
        6,
        "/10",
        "Hold or advance only below this pain; physiotherapy handouts say to hold only once "
        "discomfort is below about 3-4/10 ('pressure but not pain').",
    ),
    Threshold(
        "sessions_to_advance",
        3,
        2,
        10,
        "sessions",
        "Comfortable sessions at the earned size before the next size; dilator programmes "
        "move up after one to several weeks per size.",
    ),
    Threshold(
        "min_days_at_size",
        7,
        3,
        60,
        "days",
        "Those sessions must be spread over at least this many days (first to last).",
    ),
    Threshold(
        "max_step_percent",
        15,
        5,
        25,
        "%",
        "The next item may be at most this much larger in diameter; larger jumps leave a gap "
        "to fill.",
    ),
    Threshold(
        "rest_days_after_spotting",
        3,
        2,
        14,
        "days",
        "A little bright blood means rest and gentleness for a few days, then one size down.",
    ),
    Threshold(
        "acute_pain",
        7,
        5,
        8,
        "/10",
        "Pain at or above this (or sharp pain together with bleeding) means stop and see a doctor.",
    ),
)


@dataclass(frozen=True)
class Policy:
    """The thresholds the engines apply. Build it with `Policy.checked(...)` from settings."""

    pain_limit: int = 4
    sessions_to_advance: int = 3
    min_days_at_size: int = 7
    max_step_percent: float = 15.0
    rest_days_after_spotting: int = 3
    acute_pain: int = 7
    # Two items whose diameters differ by no more than this are the same size:
    # people measure toys with a ruler, not callipers.
    same_size_tolerance_mm: float = 0.5

    @classmethod
    def checked(cls, **values: float) -> Policy:
        """Return a policy from `values`, refusing any outside its safe bounds."""
        known = {t.name: t for t in THRESHOLDS}
        clean: dict[str, float] = {}
        for name, value in values.items():
            threshold = known.get(name)
            if threshold is None:
                raise InvalidInput(f"unknown threshold {name!r}", field=name)
            if not threshold.minimum <= value <= threshold.maximum:
                raise InvalidInput(
                    f"{name} must be between {threshold.minimum:g} and {threshold.maximum:g}"
                    f"{threshold.unit if threshold.unit.startswith('/') else ' ' + threshold.unit}",
                    field=name,
                    code="out_of_range",
                )
            clean[name] = value
        if clean.get("acute_pain", cls.acute_pain) <= clean.get("pain_limit", cls.pain_limit):
            raise InvalidInput(
                "acute_pain must be above pain_limit", field="acute_pain", code="out_of_range"
            )
        typed: dict[str, float | int] = {
            name: (int(v) if isinstance(cls.__dataclass_fields__[name].default, int) else float(v))
            for name, v in clean.items()
        }
        return cls(**typed)  # type: ignore[arg-type]

    def max_next_mm(self, earned_mm: float) -> float:
        """Return the largest diameter allowed as the next rung above `earned_mm`."""
        return earned_mm * (1 + self.max_step_percent / 100) + self.same_size_tolerance_mm

    def as_dict(self) -> dict[str, float]:
        """Return the thresholds by name."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


DEFAULT_POLICY = Policy()
