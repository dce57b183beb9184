"""Request and response bodies of training together. Strict, like api.schemas.

Partner views (`SharedStatusOut`, `SharedSessionOut`) declare every field the
fullest sharing level allows as optional; the routes send only the fields the
level lets through (`response_model_exclude_unset`), never a null in their place.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StrictBool, StrictInt, StrictStr

from easein.api.schemas import Diameter, ItemRef, Reached, RecommendationOut, Strict

SharingName = Literal["nothing", "summary", "full", "full_with_notes"]
RoleName = Literal["trainee", "partner"]
Word = Annotated[StrictStr, Field(min_length=1, max_length=24)]
# `format: date`: 0000-00-00 fits the pattern but is no day; the clock's pattern admits
# only real times (24:61 fitted the old one and was refused).
Day = Annotated[
    StrictStr,
    Field(
        pattern=r"^\d{4}-\d{2}-\d{2}$",
        description="YYYY-MM-DD",
        json_schema_extra={"format": "date"},
    ),
]
ClockTime = Annotated[
    StrictStr, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="HH:MM, local")
]
RowId = Annotated[StrictInt, Field(ge=1, le=2**31 - 1)]
Detail = str | int | bool | None


# --- pairing ------------------------------------------------------------------------------


class InvitationOut(BaseModel):
    id: int
    code: str = Field(description="Shown once: send it to your partner; only its hash is kept.")
    created_at: datetime
    expires_at: datetime


class OpenInvitationOut(BaseModel):
    """An invitation still open: the code is never shown again, only when it was made and
    when it expires."""

    id: int
    created_at: datetime
    expires_at: datetime


class InvitationAccept(Strict):
    code: StrictStr = Field(min_length=1, max_length=64)


class WordsIn(Strict):
    trainee: Word
    partner: Word


class WordsOut(BaseModel):
    trainee: str
    partner: str


class SummaryOut(BaseModel):
    sharing: SharingName
    text: str
    partner_sees: list[str]
    partner_can: list[str]
    trainee_can: list[str]
    no_one_can_override: list[str]


class PairingOut(BaseModel):
    id: int
    role: RoleName
    status: Literal["pending", "active", "ended"]
    words: WordsOut
    sharing: SharingName
    created_at: datetime
    activated_at: datetime | None
    ended_at: datetime | None
    ended_by: RoleName | None
    accepted_by_me: bool
    accepted_by_other: bool
    summary: SummaryOut


class SummaryAccept(Strict):
    """What the summary you read was made of: refused (409) if it changed since."""

    sharing: SharingName
    words: WordsIn


class SharingChange(Strict):
    sharing: SharingName


class SessionSharing(Strict):
    shared: StrictBool = Field(description="false: 'don't share this one' with any partner.")


class SessionSharingOut(BaseModel):
    session_id: int
    shared: bool


# --- partner views ------------------------------------------------------------------------


class SharedReasonOut(BaseModel):
    rule: str | None = None
    message: str | None = None
    session_id: int | None = None


class SharedStatusOut(BaseModel):
    """The trainee's status, with only the fields the sharing level lets through."""

    state: Literal["ready", "rest", "paused", "medical_hold"] | None = None
    until: datetime | None = None
    reasons: list[SharedReasonOut] | None = None
    recommendation: RecommendationOut | None = None


class SharedSessionOut(BaseModel):
    """One of the trainee's sessions, with only the fields the sharing level lets through."""

    id: int
    kind: str | None = None
    started_at: datetime | None = None
    duration_min: float | None = None
    outcome: str | None = None
    items: list[ItemRef] | None = None
    reached: Reached | None = None
    pain: int | None = None
    sharp: bool | None = None
    comfort: int | None = None
    pleasure: int | None = None
    bleeding: str | None = None
    colour: str | None = None
    lube: bool | None = None
    relubed: bool | None = None
    warm_up: bool | None = None
    breath_phase: str | None = None
    sensations: list[str] | None = None
    orgasm: bool | None = None
    mess: bool | None = None
    notes: str | None = None


class UsableItemOut(BaseModel):
    """One of the trainee's usable items, for choosing a directive's item (every level)."""

    id: int
    name: str
    diameter_mm: float
    base: Literal["flared", "handle", "body"]


# --- stop and talk, audit -----------------------------------------------------------------


class StopOut(BaseModel):
    id: int
    called_by: RoleName | None
    called_at: datetime
    resumed_at: datetime | None
    open: bool


class StopCalledOut(BaseModel):
    stop: StopOut
    new: bool = Field(description="false: one was already open, and this is it.")
    tell: RoleName = Field(description="Who is told: the other member.")


class AuditEventOut(BaseModel):
    at: datetime
    actor: RoleName | None
    kind: str
    details: dict[str, Detail]


# --- directives ---------------------------------------------------------------------------


class WindowIn(Strict):
    start: ClockTime
    end: ClockTime


class WindowOut(BaseModel):
    start: str
    end: str


class DirectiveIn(Strict):
    kind: Literal["stretch", "wear", "item", "next_rung"]
    duration_min: Annotated[StrictInt, Field(ge=1, le=1440)]
    schedule: StrictStr = Field(
        max_length=200, description="'every night', 'mon,wed,fri' or an RRULE"
    )
    starts_on: Day
    window: WindowIn | None = None
    note: StrictStr = Field(default="", max_length=1000)
    item_id: RowId | None = None


class DirectiveStatusOut(BaseModel):
    state: Literal[
        "active",
        "awaiting_acknowledgement",
        "suspended_for_safety",
        "paused_by_stop_and_talk",
        "ended",
    ]
    rule: str | None
    message: str


class DirectiveOut(BaseModel):
    id: int
    revision: int
    kind: str
    duration_min: float
    schedule: str
    starts_on: str
    window: WindowOut | None
    note: str
    item_id: int | None
    set_by: RoleName | None
    revised_at: datetime
    acknowledged_at: datetime | None
    ended_at: datetime | None


class DirectiveViewOut(DirectiveOut):
    status: DirectiveStatusOut


class CheckInIn(Strict):
    day: Day
    result: Literal["done", "partly", "skipped"]
    session_id: RowId | None = None
    note: StrictStr = Field(default="", max_length=1000)


class CheckInOut(BaseModel):
    day: str
    result: str
    at: datetime
    session_id: int | None
    note: str
    note_locked: bool = Field(
        description="The note is sealed under the pairing key and this sign-in does not hold "
        "your data key (made before data keys): `note` is empty. Sign in again to read it."
    )


class SlotOut(BaseModel):
    directive_id: int
    revision: int
    at: datetime
    day: str
    outcome: Literal["done", "partly", "skipped", "missed", "excused", "due"]
    excuse: Literal["safety", "stop_and_talk"] | None
    session_id: int | None


class ComplianceOut(BaseModel):
    since: datetime
    until: datetime
    done: int
    partly: int
    skipped: int
    missed: int
    excused: int
    due: int
    rate: float | None
    slots: list[SlotOut]


class CommentIn(Strict):
    text: StrictStr = Field(min_length=1, max_length=2000)


class CommentOut(BaseModel):
    id: int
    author: RoleName | None
    at: datetime
    text: str
    text_locked: bool = Field(
        description="Sealed under the pairing key and this sign-in does not hold your data "
        "key (made before data keys): `text` is empty. Sign in again to read it."
    )


# --- agreement and conversation ------------------------------------------------------------


class TermsIn(Strict):
    goal: StrictStr = Field(min_length=1, max_length=500)
    target_mm: Diameter | None = None
    target_wear_hours: Annotated[float, Field(gt=0, le=24, strict=True)] | None = None
    target_activity: StrictStr = Field(default="", max_length=200)
    per_week: Annotated[StrictInt, Field(ge=1, le=14)] | None = None
    schedule: StrictStr | None = Field(default=None, max_length=200)
    mess_plan: StrictStr = Field(default="", max_length=2000)
    sharing: SharingName = Field(
        description="What is shared: only the trainee may change it from the current level."
    )


class TermsOut(BaseModel):
    goal: str
    target_mm: float | None
    target_wear_hours: float | None
    target_activity: str
    per_week: int | None
    schedule: str | None
    mess_plan: str
    sharing: SharingName


class SignatureOut(BaseModel):
    by: RoleName | None
    at: datetime


class VersionOut(BaseModel):
    number: int
    status: Literal["draft", "in_force", "past", "superseded"]
    proposed_by: RoleName | None
    created_at: datetime
    based_on: int | None
    terms: TermsOut
    signatures: list[SignatureOut]


class ChangeOut(BaseModel):
    field: str
    before: str | float | int | None
    after: str | float | int | None


class DiffOut(BaseModel):
    before: int
    after: int
    changes: list[ChangeOut]


class OptionOut(BaseModel):
    id: str
    label: str


class QuestionOut(BaseModel):
    id: str
    topic: str
    prompt: str
    answer_type: Literal["one", "many", "scale", "text"]
    options: list[OptionOut]
    dynamic_only: bool


AnswerIn = StrictStr | StrictInt | list[StrictStr] | None
AnswerOut = str | int | list[str] | None


class AnswersIn(Strict):
    answers: dict[Annotated[str, Field(max_length=40)], AnswerIn] = Field(max_length=40)
    submit: StrictBool = Field(
        default=False, description="true: share them once the other has submitted too."
    )


class AnswersOut(BaseModel):
    submitted_at: datetime | None
    answers: dict[str, AnswerOut]


class ComparisonRowOut(BaseModel):
    question_id: str
    topic: str
    prompt: str
    trainee: AnswerOut
    partner: AnswerOut
    match: Literal["same", "partly", "different", "open", "unanswered"]
    differs: bool
