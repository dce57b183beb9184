"""Request and response bodies. Strict: a wrong type is a 422, never silently coerced."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import Path, Query
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr

Scale = Annotated[StrictInt, Field(ge=0, le=10)]
Kind = Literal["stretch", "wear", "partnered"]
ToyKindName = Literal[
    "plug", "dildo", "dilator", "beads", "wand", "vibrator", "prostate_massager",
    "finger", "fingers", "hand", "other",
]  # fmt: skip
BaseName = Literal["flared", "handle", "body", "none"]
# At least 0.1 mm: sizes are kept to 0.1 mm, and the domain refuses what rounds to 0
# (the schema said `> 0`, so 0.01 was valid by the document and refused by the app).
Diameter = Annotated[float, Field(ge=0.1, le=200, strict=True)]
Length = Annotated[float, Field(ge=0.1, le=1000, strict=True)]
# Ids are 32-bit on PostgreSQL: a larger one cannot exist, so it is refused up front.
ResourceId = Annotated[int, Path(ge=1, le=2**31 - 1)]
# `format: date` as well as the pattern: 0000-00-00 fits the pattern but is no day.
DAY_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
IsoDate = Annotated[
    str,
    Query(
        pattern=DAY_PATTERN,
        description="A local day, YYYY-MM-DD",
        json_schema_extra={"format": "date"},
    ),
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Register(Strict):
    username: StrictStr = Field(min_length=3, max_length=64)
    password: StrictStr = Field(min_length=8, max_length=256)
    adult: StrictBool
    timezone: StrictStr = Field(default="UTC", max_length=64)
    units: Literal["mm", "in"] = "mm"


class Login(Strict):
    username: StrictStr = Field(max_length=64)
    password: StrictStr = Field(max_length=256)
    totp: StrictStr | None = Field(
        default=None,
        max_length=64,
        description="With two-step sign-in on: the current 6-digit code, or a recovery code.",
    )


class SignedIn(BaseModel):
    username: str
    csrf_token: str


class Registered(SignedIn):
    recovery_key: str = Field(
        description="Shown once: it resets a forgotten password (POST "
        "/api/v1/account/recover). Only its hash is kept, so it cannot be shown again. "
        "The session notes are sealed under a key that only the password and this key "
        "open: lose both and nobody can read them again."
    )


class RecoveryKeyOut(BaseModel):
    recovery_key: str = Field(description="The new recovery key, shown once; the old one ended.")


class Recover(Strict):
    username: StrictStr = Field(max_length=64)
    recovery_key: StrictStr = Field(
        max_length=200, description="As shown: case, spaces and dashes do not matter."
    )
    new_password: StrictStr = Field(min_length=8, max_length=256)


class RecoveryKeyNew(Strict):
    password: StrictStr = Field(max_length=256)


class ProfileOut(BaseModel):
    username: str
    timezone: str
    units: str


class ProfileUpdate(Strict):
    timezone: StrictStr | None = Field(default=None, max_length=64)
    units: Literal["mm", "in"] | None = None


class PasswordChange(Strict):
    current_password: StrictStr = Field(max_length=256)
    new_password: StrictStr = Field(min_length=8, max_length=256)


class AccountDelete(Strict):
    password: StrictStr = Field(max_length=256)


class SignInOut(BaseModel):
    id: int
    kind: str
    name: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime | None
    current: bool


# A name is more than spaces (the services fold runs of spaces into one and trim).
NOT_BLANK = r"\S"


class TokenCreate(Strict):
    name: StrictStr = Field(min_length=1, max_length=80, pattern=NOT_BLANK)


class TokenCreated(BaseModel):
    id: int
    name: str
    token: str = Field(description="Shown once: keep it; only its hash is stored.")


class ToyCreate(Strict):
    name: StrictStr = Field(min_length=1, max_length=80, pattern=NOT_BLANK)
    kind: ToyKindName
    diameter_mm: Diameter
    base: BaseName | None = None
    length_mm: Length | None = None
    neck_mm: Diameter | None = None
    material: StrictStr | None = Field(default=None, max_length=40)


class ToyUpdate(Strict):
    name: StrictStr | None = Field(default=None, min_length=1, max_length=80, pattern=NOT_BLANK)
    kind: ToyKindName | None = None
    diameter_mm: Diameter | None = None
    base: BaseName | None = None
    length_mm: Length | None = None
    neck_mm: Diameter | None = None
    material: StrictStr | None = Field(default=None, max_length=40)
    retired: StrictBool | None = None


class ToyOut(BaseModel):
    id: int
    name: str
    kind: str
    diameter_mm: float
    circumference_mm: float
    length_mm: float | None
    neck_mm: float | None
    base: str
    material: str | None
    retired: bool
    usable: bool
    refusal: str | None


class SessionCreate(Strict):
    kind: Kind = "stretch"
    started_at: AwareDatetime | None = Field(
        default=None, description="Start; default: it just finished (now minus duration)."
    )
    duration_min: Annotated[StrictInt, Field(ge=1, le=1440)]
    item_ids: list[StrictInt] = Field(min_length=1, max_length=20)
    pain: Scale
    sharp: StrictBool = False
    comfort: Scale | None = None
    pleasure: Scale | None = None
    bleeding: Literal["none", "spotting", "lasting"] = "none"
    colour: Literal["bright", "dark"] | None = None
    outcome: Literal["completed", "stopped", "failed"] = "completed"
    lube: StrictBool = True
    relubed: StrictBool | None = None
    warm_up: StrictBool | None = None
    breath_phase: Literal["inhale", "exhale"] | None = None
    sensations: list[
        Literal["stretch", "burning", "tension", "cramping", "pressure", "urge_to_expel",
                "fullness"]
    ] = Field(default_factory=list, max_length=7)  # fmt: skip
    orgasm: StrictBool | None = None
    mess: StrictBool | None = None
    notes: StrictStr = Field(default="", max_length=10_000)


class ItemRef(BaseModel):
    id: int
    name: str | None


class Reached(BaseModel):
    id: int
    name: str | None
    diameter_mm: float


class SessionOut(BaseModel):
    id: int
    kind: str
    started_at: datetime
    duration_min: float
    items: list[ItemRef]
    reached: Reached
    pain: int
    sharp: bool
    comfort: int | None
    pleasure: int | None
    bleeding: str
    colour: str | None
    outcome: str
    lube: bool
    relubed: bool | None
    warm_up: bool | None
    breath_phase: str | None
    sensations: list[str]
    orgasm: bool | None
    mess: bool | None
    notes: str
    notes_locked: bool = Field(
        description="The notes are sealed under your password's key and this sign-in does "
        "not hold it (made before data keys): `notes` is empty. Sign in again to read them."
    )


class ReasonOut(BaseModel):
    rule: str
    message: str
    session_id: int | None


class ItemOut(BaseModel):
    id: int
    name: str
    diameter_mm: float


class RecommendationOut(BaseModel):
    action: Literal["advance", "hold", "step_back", "none"]
    item: ItemOut | None
    why: str


class StatusOut(BaseModel):
    state: Literal["ready", "rest", "paused", "medical_hold"]
    until: datetime | None
    reasons: list[ReasonOut]
    recommendation: RecommendationOut


class Clearance(Strict):
    confirm: StrictBool = Field(description="I have seen a doctor or am otherwise sure.")
    statement: StrictStr = Field(default="", max_length=2000)


class ConditionCreate(Strict):
    condition: Literal["haemorrhoids", "constipation", "diarrhoea", "other"]
    note: StrictStr = Field(default="", max_length=1000)


class ConditionOut(BaseModel):
    id: int
    condition: str
    note: str
    since: datetime
    cleared_at: datetime | None


class PlanCreate(Strict):
    name: StrictStr = Field(min_length=1, max_length=80, pattern=NOT_BLANK)
    kind: Kind = "stretch"
    schedule: StrictStr = Field(max_length=200, description="'every night', 'mon,wed,fri', RRULE")
    at: StrictStr = Field(
        pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="Local time of day, HH:MM"
    )
    duration_min: Annotated[StrictInt, Field(ge=1, le=1440)]


class PlanOut(BaseModel):
    id: int
    name: str
    kind: str
    rrule: str
    starts_on: str
    at: str
    duration_min: float
    ended_on: str | None


class RungOut(BaseModel):
    diameter_mm: float
    items: list[str]
    earned: bool
    next: bool


class GapOut(BaseModel):
    below_mm: float
    above_mm: float
    look_for_mm: list[float]


class LadderOut(BaseModel):
    earned_mm: float | None
    earned: float | None
    next: float | None
    next_within_step: bool
    rungs: list[RungOut]
    gaps: list[GapOut]


class WeekOut(BaseModel):
    week: str
    sessions: int
    stretch: int
    wear: int
    partnered: int
    active_minutes: float
    wear_hours: float
    avg_pain: float | None
    avg_comfort: float | None
    largest_mm: float | None
    bleeding: int


class EarnedOut(BaseModel):
    day: str
    earned_mm: float | None


class TrendOut(BaseModel):
    days: int
    pain_recent: float | None
    pain_before: float | None
    comfort_recent: float | None
    comfort_before: float | None


class AdherenceOut(BaseModel):
    done: int
    missed: int
    excused: int
    due: int
    rate: float | None
    current_streak: int
    best_streak: int
    habit_strength: float


class StatsOut(BaseModel):
    sessions: int
    wear_hours: float
    weeks: list[WeekOut]
    earned: list[EarnedOut]
    trend: TrendOut
    adherence: AdherenceOut | None
