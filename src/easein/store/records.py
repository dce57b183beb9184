"""Rows <-> domain values. Payload shapes live here, and only here."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from easein.domain.safety import Condition, ConditionKind
from easein.domain.sessions import (
    Bleeding,
    BloodColour,
    BreathPhase,
    Outcome,
    Sensation,
    Session,
    SessionKind,
)
from easein.domain.toys import Base, Toy, ToyKind
from easein.domain.training import Earned, Hold, Qualifier, TrainingState, Trigger
from easein.store.codec import Context, PayloadCodec
from easein.store.models import ConditionRow, SessionRow, ToyRow


def toy_payload(toy: Toy) -> dict[str, Any]:
    return {
        "name": toy.name,
        "kind": toy.kind.value,
        "diameter_mm": toy.diameter_mm,
        "base": toy.base.value,
        "length_mm": toy.length_mm,
        "neck_mm": toy.neck_mm,
        "material": toy.material,
    }


def toy_from_row(row: ToyRow, codec: PayloadCodec) -> Toy:
    data = codec.decode(row.payload, Context("toys", row.person_id, row.id))
    return Toy(
        id=row.id,
        name=data["name"],
        kind=ToyKind(data["kind"]),
        diameter_mm=data["diameter_mm"],
        base=Base(data["base"]),
        length_mm=data.get("length_mm"),
        neck_mm=data.get("neck_mm"),
        material=data.get("material"),
        retired=row.retired_at is not None,
    )


# Where a session's notes, and a goal's, are sealed under the person's data key
# (`SessionRow.private`, `GoalRow.private`).
NOTES_CONTEXT = "sessions.private"
GOAL_NOTE_CONTEXT = "goals.private"


def session_payload(s: Session, *, with_notes: bool = True) -> dict[str, Any]:
    """The session's payload; without its notes when they go under the data key."""
    data = {
        "items": list(s.item_ids),
        "reached": s.reached_item_id,
        "reached_mm": s.reached_mm,
        "pain": s.pain,
        "sharp": s.sharp,
        "comfort": s.comfort,
        "pleasure": s.pleasure,
        "bleeding": s.bleeding.value,
        "colour": s.colour.value if s.colour else None,
        "outcome": s.outcome.value,
        "lube": s.lube,
        "relubed": s.relubed,
        "warm_up": s.warm_up,
        "breath_phase": s.breath_phase.value if s.breath_phase else None,
        "sensations": sorted(x.value for x in s.sensations),
        "orgasm": s.orgasm,
        "mess": s.mess,
    }
    if with_notes:
        data["notes"] = s.notes
    return data


def session_private(s: Session) -> dict[str, Any]:
    """What of a session is sealed under the person's data key: the notes."""
    return {"notes": s.notes}


def session_from_parts(
    id: int,
    kind: str,
    started_at: datetime,
    duration_s: int,
    recorded_at: datetime | None,
    data: dict[str, Any],
) -> Session:
    return Session(
        id=id,
        kind=SessionKind(kind),
        started_at=started_at,
        duration=timedelta(seconds=duration_s),
        item_ids=tuple(data["items"]),
        reached_item_id=data["reached"],
        reached_mm=data["reached_mm"],
        pain=data["pain"],
        sharp=data["sharp"],
        comfort=data.get("comfort"),
        pleasure=data.get("pleasure"),
        bleeding=Bleeding(data["bleeding"]),
        colour=BloodColour(data["colour"]) if data.get("colour") else None,
        outcome=Outcome(data["outcome"]),
        lube=data.get("lube", True),
        relubed=data.get("relubed"),
        warm_up=data.get("warm_up"),
        breath_phase=BreathPhase(data["breath_phase"]) if data.get("breath_phase") else None,
        sensations=frozenset(Sensation(x) for x in data.get("sensations", ())),
        orgasm=data.get("orgasm"),
        mess=data.get("mess"),
        notes=data.get("notes", ""),
        recorded_at=recorded_at,
        notes_locked=data.get("notes_locked", False),
    )


def session_from_row(
    row: SessionRow, codec: PayloadCodec, held: PayloadCodec | None = None
) -> Session:
    """The session in `row`; its notes opened with `held` (the owner's data key) if sealed
    under it, or left empty and `notes_locked` without it."""
    data = codec.decode(row.payload, Context("sessions", row.person_id, row.id))
    if row.private is not None:
        if held is None:
            data["notes"], data["notes_locked"] = "", True
        else:
            data.update(held.decode(row.private, Context(NOTES_CONTEXT, row.person_id, row.id)))
    return session_from_parts(
        row.id, row.kind, row.started_at, row.duration_s, row.recorded_at, data
    )


def condition_from_row(row: ConditionRow, codec: PayloadCodec) -> Condition:
    data = codec.decode(row.payload, Context("conditions", row.person_id, row.id))
    return Condition(
        id=row.id,
        kind=ConditionKind(data["kind"]),
        note=data.get("note", ""),
        since=row.since,
        cleared_at=row.cleared_at,
    )


# --- the folded training state -------------------------------------------------


def _dt(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _parse_dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _trigger(t: Trigger) -> list[Any]:
    return [t.rule, t.session_id, t.at.isoformat(), t.message]


def _parse_trigger(raw: list[Any]) -> Trigger:
    return Trigger(raw[0], raw[1], datetime.fromisoformat(raw[2]), raw[3])


def training_payload(state: TrainingState) -> dict[str, Any]:
    return {
        "earned": [[e.mm, e.since.isoformat(), e.session_id] for e in state.earned],
        "below_mm": state.below_mm,
        "streak": [[q.session_id, q.started_at.isoformat()] for q in state.streak],
        "latest": [_trigger(t) for t in state.latest],
        "step_back": state.step_back,
        "rest_until": _dt(state.rest_until),
        "rest_trigger": _trigger(state.rest_trigger) if state.rest_trigger else None,
        "holds": [[_trigger(h.trigger), h.logged_at.isoformat()] for h in state.holds],
        "last_clearance_at": _dt(state.last_clearance_at),
        "last_session_at": _dt(state.last_session_at),
        "sizes": [[at.isoformat(), mm] for at, mm in state.sizes],
        "sessions": state.sessions,
    }


def training_from_payload(data: dict[str, Any]) -> TrainingState:
    return TrainingState(
        earned=tuple(Earned(mm, datetime.fromisoformat(at), sid) for mm, at, sid in data["earned"]),
        below_mm=data.get("below_mm"),
        streak=tuple(Qualifier(sid, datetime.fromisoformat(at)) for sid, at in data["streak"]),
        latest=tuple(_parse_trigger(t) for t in data["latest"]),
        step_back=data["step_back"],
        rest_until=_parse_dt(data["rest_until"]),
        rest_trigger=_parse_trigger(data["rest_trigger"]) if data["rest_trigger"] else None,
        holds=tuple(Hold(_parse_trigger(t), datetime.fromisoformat(at)) for t, at in data["holds"]),
        last_clearance_at=_parse_dt(data["last_clearance_at"]),
        last_session_at=_parse_dt(data["last_session_at"]),
        sizes=tuple((datetime.fromisoformat(at), mm) for at, mm in data["sizes"]),
        sessions=data["sessions"],
    )
