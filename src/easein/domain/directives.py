"""Directives: a partner's assignment to the trainee, and why safety always wins over it.

A directive asks for a stretch session, long wear, a specific item or the next
size, on an RRULE schedule, inside a daily window, with a note. It is refused
at creation (and at every edit) if it asks for an item above the earned rung
plus one, beyond the allowed step, or without a flared base or handle. What it
means at a given moment (active, suspended for safety...) is computed by
`directive_status`, never stored.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from easein.domain import rules
from easein.domain.errors import InvalidInput, UnsafeItem
from easein.domain.ladder import Ladder
from easein.domain.pairing import Pairing, Role, require_active, require_role
from easein.domain.policy import Policy
from easein.domain.schedule import parse_schedule
from easein.domain.toys import Toy, base_refusal, check_usable
from easein.domain.units import check_duration, format_size

MAX_NOTE = 1000


class DirectiveKind(StrEnum):
    STRETCH = "stretch"  # a stretch session
    WEAR = "wear"  # long wear, up to overnight
    ITEM = "item"  # a specific item
    NEXT_RUNG = "next_rung"  # the next size, when the progression engine says it is earned


@dataclass(frozen=True)
class Window:
    """The local wall-clock window of each day; it may cross midnight (22:00-07:00)."""

    start: time
    end: time

    @property
    def length(self) -> timedelta:
        """Return how long the window lasts; equal start and end mean the whole day."""
        start = timedelta(hours=self.start.hour, minutes=self.start.minute)
        end = timedelta(hours=self.end.hour, minutes=self.end.minute)
        return (end - start) % timedelta(days=1) or timedelta(days=1)


@dataclass(frozen=True)
class DirectiveSpec:
    """What the partner asks for; `schedule` is a phrase or an RRULE (see domain.schedule)."""

    kind: DirectiveKind
    duration: timedelta
    schedule: str
    starts_on: date
    window: Window | None = None  # None: any time of the day
    note: str = ""
    item_id: int | None = None


@dataclass(frozen=True)
class Directive:
    """A directive as in force: one revision. An edit makes the next revision."""

    id: int
    pairing_id: int
    kind: DirectiveKind
    duration: timedelta
    rrule: str  # normalised RRULE body
    starts_on: date
    window: Window | None
    note: str
    item_id: int | None
    created_by: int
    revised_at: datetime  # when this revision was set (the creation for revision 1)
    revision: int = 1
    acknowledged_at: datetime | None = None  # by the trainee, for this revision
    ended_at: datetime | None = None
    ended_by: int | None = None


@dataclass(frozen=True)
class Refusal:
    """Why safety refuses an item for a directive, with the rule."""

    rule: str
    message: str


def item_refusal(
    item: Toy, ladder: Ladder, policy: Policy, *, below_mm: float | None = None
) -> Refusal | None:
    """Return why a directive may not ask for `item` now, or None if safety allows it.

    Allowed: any usable item at or below the earned size, or the next rung above
    it if that is within the allowed step. With nothing earned, the first rung
    (and, after a step back, only sizes below `below_mm`, the size that hurt).
    """
    base = base_refusal(item)
    if base is not None:
        return Refusal(rules.TOY_BASE_REQUIRED, base)
    if item.retired:  # put away (worn, damaged...) after the directive was set
        return Refusal(
            rules.DIRECTIVE_ITEM_RETIRED,
            f"{item.name} is retired: a directive cannot ask for it "
            f"(rule {rules.DIRECTIVE_ITEM_RETIRED})",
        )
    tol = policy.same_size_tolerance_mm
    earned = ladder.earned_mm
    size = format_size(item.diameter_mm)
    if earned is not None and item.diameter_mm <= earned + tol:
        return None
    upcoming = ladder.next
    if upcoming is None or item.diameter_mm > upcoming.diameter_mm + tol:
        return Refusal(
            rules.DIRECTIVE_ABOVE_NEXT_RUNG,
            f"{item.name} ({size}) is above the earned size plus one rung: a directive can ask "
            f"for the next size at most (rule {rules.DIRECTIVE_ABOVE_NEXT_RUNG})",
        )
    if earned is not None and item.diameter_mm > policy.max_next_mm(earned):
        return Refusal(
            rules.DIRECTIVE_STEP_TOO_LARGE,
            f"{item.name} ({size}) is more than {policy.max_step_percent:g}% larger than the "
            f"earned size: the step is too big (rule {rules.DIRECTIVE_STEP_TOO_LARGE})",
        )
    if earned is None and below_mm is not None and item.diameter_mm >= below_mm - tol:
        return Refusal(
            rules.DIRECTIVE_ABOVE_NEXT_RUNG,
            f"{item.name} ({size}) is not below the size that last hurt: after a step back, "
            f"smaller sizes come first (rule {rules.DIRECTIVE_ABOVE_NEXT_RUNG})",
        )
    return None


def _check_spec(
    spec: DirectiveSpec, item: Toy | None, ladder: Ladder, policy: Policy, below_mm: float | None
) -> DirectiveSpec:
    """Return `spec` normalised, or raise with the field, the reason and the rule."""
    if spec.kind is DirectiveKind.ITEM and spec.item_id is None:
        raise InvalidInput("a directive for a specific item needs the item", field="item")
    if spec.kind is DirectiveKind.NEXT_RUNG and spec.item_id is not None:
        raise InvalidInput(
            "'next rung' follows the ladder: leave the item out", field="item", code="inconsistent"
        )
    if spec.item_id is not None:
        if item is None or item.id != spec.item_id:
            raise InvalidInput("the item is not one of the trainee's items", field="item")
        check_usable(item)  # no flared base or handle: refused (rule toy.base_required)
        refusal = item_refusal(item, ladder, policy, below_mm=below_mm)
        if refusal is not None:
            raise UnsafeItem(refusal.message, field="item", code=refusal.rule)
    duration = check_duration(spec.duration)
    if spec.window is not None and duration > spec.window.length:
        raise InvalidInput(
            "the duration does not fit in the daily window", field="window", code="inconsistent"
        )
    note = spec.note.strip()
    if len(note) > MAX_NOTE:
        raise InvalidInput(f"note must be at most {MAX_NOTE} characters", field="note")
    return replace(spec, duration=duration, schedule=parse_schedule(spec.schedule), note=note)


def create_directive(
    spec: DirectiveSpec,
    *,
    new_id: int,
    pairing: Pairing,
    person_id: int,
    now: datetime,
    item: Toy | None,
    ladder: Ladder,
    policy: Policy,
    below_mm: float | None = None,
) -> Directive:
    """Return a new directive set by the partner, if safety allows it; else raise why not.

    `ladder` is the trainee's, built from their earned size; `below_mm` is
    `TrainingState.below_mm` (the size to stay under after a step back).
    """
    require_active(pairing)
    require_role(pairing, person_id, Role.PARTNER, "set a directive")
    clean = _check_spec(spec, item, ladder, policy, below_mm)
    return Directive(
        new_id,
        pairing.id,
        clean.kind,
        clean.duration,
        clean.schedule,
        clean.starts_on,
        clean.window,
        clean.note,
        clean.item_id,
        person_id,
        now,
    )


def edit_directive(
    directive: Directive,
    spec: DirectiveSpec,
    *,
    pairing: Pairing,
    person_id: int,
    now: datetime,
    item: Toy | None,
    ladder: Ladder,
    policy: Policy,
    below_mm: float | None = None,
) -> Directive:
    """Return the next revision, checked like a new one; the trainee acknowledges it afresh."""
    require_active(pairing)
    require_role(pairing, person_id, Role.PARTNER, "change a directive")
    _require_open(directive)
    clean = _check_spec(spec, item, ladder, policy, below_mm)
    return replace(
        directive,
        kind=clean.kind,
        duration=clean.duration,
        rrule=clean.schedule,
        starts_on=clean.starts_on,
        window=clean.window,
        note=clean.note,
        item_id=clean.item_id,
        revised_at=now,
        revision=directive.revision + 1,
        acknowledged_at=None,
    )


def _require_open(directive: Directive) -> None:
    if directive.ended_at is not None:
        raise InvalidInput("this directive has ended", field="directive", code="directive_ended")


def acknowledge(directive: Directive, pairing: Pairing, person_id: int, now: datetime) -> Directive:
    """Return the directive acknowledged by the trainee (this revision)."""
    require_active(pairing)
    require_role(pairing, person_id, Role.TRAINEE, "acknowledge a directive")
    _require_open(directive)
    return directive if directive.acknowledged_at else replace(directive, acknowledged_at=now)


def end_directive(
    directive: Directive, pairing: Pairing, person_id: int, now: datetime
) -> Directive:
    """Return the directive ended by the partner who sets directives."""
    require_role(pairing, person_id, Role.PARTNER, "end a directive")
    _require_open(directive)
    return replace(directive, ended_at=now, ended_by=person_id)
