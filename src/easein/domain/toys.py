"""Toys (and measured body parts): what they are and whether they may be used anally."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from easein.domain.errors import InvalidInput, UnsafeItem


class ToyKind(StrEnum):
    """What an item is."""

    PLUG = "plug"
    DILDO = "dildo"
    DILATOR = "dilator"
    BEADS = "beads"
    WAND = "wand"
    VIBRATOR = "vibrator"
    PROSTATE_MASSAGER = "prostate_massager"
    FINGER = "finger"
    FINGERS = "fingers"
    HAND = "hand"
    OTHER = "other"


BODY_KINDS = frozenset({ToyKind.FINGER, ToyKind.FINGERS, ToyKind.HAND})


class Base(StrEnum):
    """What stops an item from slipping inside: a flared base, a handle, or a body."""

    FLARED = "flared"
    HANDLE = "handle"
    BODY = "body"  # fingers and hands stay attached to a person
    NONE = "none"


RULE_BASE_REQUIRED = "toy.base_required"


@dataclass(frozen=True)
class Toy:
    """An item in the inventory. Sizes are in millimetres."""

    id: int
    name: str
    kind: ToyKind
    diameter_mm: float
    base: Base
    length_mm: float | None = None
    neck_mm: float | None = None
    material: str | None = None
    retired: bool = False

    @property
    def usable_anally(self) -> bool:
        """Whether the item can be used anally at all (rule `toy.base_required`)."""
        return self.base is not Base.NONE


def check_kind_and_base(kind: ToyKind, base: Base) -> None:
    """Refuse a base that does not fit the kind (a body part has a body, a toy does not)."""
    if kind in BODY_KINDS and base is not Base.BODY:
        raise InvalidInput(f"a {kind.value} is part of a body: its base is 'body'", field="base")
    if kind not in BODY_KINDS and base is Base.BODY:
        raise InvalidInput(
            "base 'body' is only for fingers and hands; use flared, handle or none",
            field="base",
        )


def default_base(kind: ToyKind) -> Base | None:
    """Return the base implied by the kind (body parts), or None if the person must say."""
    return Base.BODY if kind in BODY_KINDS else None


def base_refusal(toy: Toy) -> str | None:
    """Return why `toy` cannot be used anally, or None if it can."""
    if toy.usable_anally:
        return None
    return (
        f"{toy.name} has no flared base or handle, so it can slip fully inside: it is not "
        f"for anal use (rule {RULE_BASE_REQUIRED})"
    )


def check_usable(toy: Toy, *, field: str = "item") -> Toy:
    """Return `toy` if it may be used for anal training now, else raise with the reason."""
    reason = base_refusal(toy)
    if reason:
        raise UnsafeItem(reason, field=field, code=RULE_BASE_REQUIRED)
    if toy.retired:
        raise InvalidInput(
            f"{toy.name} is retired; bring it back (un-retire it) to use it",
            field=field,
            code="retired_item",
        )
    return toy
