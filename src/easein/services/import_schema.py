"""The schema of an export document, checked strictly before anything is written."""

from __future__ import annotations

from datetime import date, time
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from easein.domain.errors import InvalidInput
from easein.domain.goals import check_goal
from easein.domain.schedule import parse_schedule
from easein.domain.toys import Base, ToyKind, check_kind_and_base
from easein.domain.units import Units
from easein.services.profile import parse_timezone

Scale = Field(ge=0, le=10)
# `format: date` as well as the pattern: 2026-13-45 fits the pattern but is no day.
DAY = r"^\d{4}-\d{2}-\d{2}$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class ProfileDoc(Strict):
    timezone: str
    units: Literal["mm", "in"]
    created_at: AwareDatetime
    adult_confirmed_at: AwareDatetime

    @property
    def units_enum(self) -> Units:
        return Units(self.units)


class ToyDoc(Strict):
    ref: str
    created_at: AwareDatetime
    retired_at: AwareDatetime | None
    name: str = Field(min_length=1, max_length=80)
    kind: Literal[
        "plug", "dildo", "dilator", "beads", "wand", "vibrator", "prostate_massager",
        "finger", "fingers", "hand", "other",
    ]  # fmt: skip
    diameter_mm: float = Field(gt=0, le=200)
    base: Literal["flared", "handle", "body", "none"]
    length_mm: float | None = Field(default=None, gt=0, le=1000)
    neck_mm: float | None = Field(default=None, gt=0, le=200)
    material: str | None = None

    def payload(self) -> dict[str, Any]:
        return self.model_dump(exclude={"ref", "created_at", "retired_at"})


class SessionDoc(Strict):
    kind: Literal["stretch", "wear", "partnered"]
    started_at: AwareDatetime
    duration_s: int = Field(gt=0, le=86400)
    recorded_at: AwareDatetime
    items: list[str] = Field(min_length=1)
    reached: str
    reached_mm: float = Field(gt=0, le=200)
    pain: int = Scale
    sharp: bool
    comfort: int | None = Scale
    pleasure: int | None = Scale
    bleeding: Literal["none", "spotting", "lasting"]
    colour: Literal["bright", "dark"] | None
    outcome: Literal["completed", "stopped", "failed"]
    lube: bool
    relubed: bool | None
    warm_up: bool | None
    breath_phase: Literal["inhale", "exhale"] | None
    sensations: list[
        Literal[
            "stretch", "burning", "tension", "cramping", "pressure", "urge_to_expel", "fullness"
        ]
    ]
    orgasm: bool | None
    mess: bool | None
    notes: str = Field(max_length=10_000)

    def payload(self, ids: dict[str, int]) -> dict[str, Any]:
        data = self.model_dump(exclude={"kind", "started_at", "duration_s", "recorded_at"})
        data["items"] = [ids[r] for r in self.items]
        data["reached"] = ids[self.reached]
        return data


class ConditionDoc(Strict):
    since: AwareDatetime
    cleared_at: AwareDatetime | None
    kind: Literal["haemorrhoids", "constipation", "diarrhoea", "other"]
    note: str = Field(max_length=1000)

    def payload(self) -> dict[str, Any]:
        return {"kind": self.kind, "note": self.note}


class AcknowledgementDoc(Strict):
    kind: Literal["medical_clearance"]
    at: AwareDatetime
    statement: str = Field(max_length=2000)

    def payload(self) -> dict[str, Any]:
        return {"statement": self.statement}


class PlanDoc(Strict):
    created_at: AwareDatetime
    name: str = Field(min_length=1, max_length=80)
    kind: Literal["stretch", "wear", "partnered"]
    rrule: str
    starts_on: str = Field(pattern=DAY, json_schema_extra={"format": "date"})
    at: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")  # a real time of day
    duration_s: int = Field(gt=0, le=86400)
    ended_on: str | None = Field(pattern=DAY, json_schema_extra={"format": "date"})

    def payload(self) -> dict[str, Any]:
        return self.model_dump(exclude={"created_at"})


class GoalDoc(Strict):
    set_at: AwareDatetime
    target_mm: float = Field(gt=0, le=200)
    wear_hours: float | None = Field(gt=0, le=24)
    note: str = Field(max_length=200)

    def payload(self) -> dict[str, Any]:
        return self.model_dump(exclude={"set_at"})


class Document(Strict):
    format: Literal["easein-export"]
    version: Literal[1]
    profile: ProfileDoc
    toys: list[ToyDoc]
    sessions: list[SessionDoc]
    conditions: list[ConditionDoc]
    acknowledgements: list[AcknowledgementDoc]
    plans: list[PlanDoc]
    goal: GoalDoc | None = None  # exports made before goals existed have none


def _where(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc)


def parse_document(raw: Any) -> Document:
    """Return the validated document, or raise naming the first wrong field and the rule."""
    try:
        # JSON has no datetime type: validate in JSON mode so ISO strings are accepted.
        import orjson

        doc = Document.model_validate_json(orjson.dumps(raw))
    except TypeError as error:  # e.g. an integer beyond 64 bits
        raise InvalidInput(
            f"import: not a document EaseIn can read ({error})",
            field="document",
            code="invalid_document",
        ) from None
    except ValidationError as error:
        first = error.errors()[0]
        where = _where(first["loc"]) or "document"
        raise InvalidInput(
            f"import: {where}: {first['msg']} ({len(error.errors())} problem(s) in all)",
            field=where,
            code="invalid_document",
        ) from None
    parse_timezone(doc.profile.timezone)
    for n, toy in enumerate(doc.toys):
        try:
            check_kind_and_base(ToyKind(toy.kind), Base(toy.base))
        except InvalidInput as error:
            raise InvalidInput(
                f"import: toys.{n}.base: {error.message}", field=f"toys.{n}.base"
            ) from None
    for n, plan in enumerate(doc.plans):
        try:
            if parse_schedule(plan.rrule) != plan.rrule:
                raise InvalidInput("not a normalised schedule", field="schedule")
            date.fromisoformat(plan.starts_on)
            time.fromisoformat(plan.at)
            if plan.ended_on:
                date.fromisoformat(plan.ended_on)
        except (InvalidInput, ValueError) as error:
            raise InvalidInput(
                f"import: plans.{n}: {error}", field=f"plans.{n}", code="invalid_document"
            ) from None
    if doc.goal is not None:
        try:
            check_goal(doc.goal.target_mm, doc.goal.wear_hours, doc.goal.note)
        except InvalidInput as error:
            where = f"goal.{'target_mm' if error.field == 'size' else error.field}"
            raise InvalidInput(
                f"import: {where}: {error.message}", field=where, code="invalid_document"
            ) from None
    refs = {t.ref for t in doc.toys}
    if len(refs) != len(doc.toys):
        raise InvalidInput("import: toys: two toys share a ref", field="toys")
    for n, s in enumerate(doc.sessions):
        for ref in (*s.items, s.reached):
            if ref not in refs:
                raise InvalidInput(
                    f"import: sessions.{n}: unknown item ref {ref!r}", field=f"sessions.{n}"
                )
        if s.reached not in s.items:
            raise InvalidInput(
                f"import: sessions.{n}: reached must be one of its items", field=f"sessions.{n}"
            )
    return doc
