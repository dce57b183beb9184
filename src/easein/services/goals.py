"""The person's goal: set (replacing the last one), read with its distance, clear.

Its note ("why this matters to you") is sealed under the person's data key when the
sign-in setting it holds the key (`GoalRow.private`, as session notes: services.sealed_notes);
read without the key it is empty and `note_locked`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from easein.domain.errors import NotFound
from easein.domain.goals import Goal, GoalDistance, check_goal, goal_distance
from easein.services import sealed_notes, training
from easein.services.app import App
from easein.services.profile import Profile
from easein.store.codec import Context
from easein.store.models import GoalRow, Person
from easein.store.records import GOAL_NOTE_CONTEXT


def goal_payload(goal: Goal, *, with_note: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {"target_mm": goal.target_mm, "wear_hours": goal.wear_hours}
    if with_note:
        data["note"] = goal.note
    return data


def goal_from_row(row: GoalRow, app: App, data_key: bytes | None = None) -> Goal:
    """The goal in `row`; its note opened with the owner's `data_key` if sealed under it."""
    data = app.codec.decode(row.payload, Context("goals", row.person_id, row.id))
    locked = False
    held = sealed_notes.notes_codec(data_key)
    if row.private is not None:
        if held is None:
            data["note"], locked = "", True
        else:
            context = Context(GOAL_NOTE_CONTEXT, row.person_id, row.id)
            data["note"] = held.decode(row.private, context)["note"]
    return Goal(
        target_mm=data["target_mm"],
        wear_hours=data.get("wear_hours"),
        note=data.get("note", ""),
        set_at=row.set_at,
        note_locked=locked,
    )


def store_goal(row: GoalRow, goal: Goal, app: App, data_key: bytes | None) -> None:
    """Write `goal` into its (flushed) row: the note under the data key if at hand.

    Without the key, an empty note keeps a note already sealed (it could not be shown to
    be edited, so it was not meant to be cleared); a new note replaces it, in the payload.
    """
    held = sealed_notes.notes_codec(data_key)
    context = Context("goals", row.person_id, row.id)
    if held is not None:
        row.payload = app.codec.encode(goal_payload(goal, with_note=False), context)
        note_context = Context(GOAL_NOTE_CONTEXT, row.person_id, row.id)
        row.private = held.encode({"note": goal.note}, note_context)
    elif row.private is not None and not goal.note:
        row.payload = app.codec.encode(goal_payload(goal, with_note=False), context)
    else:
        row.payload = app.codec.encode(goal_payload(goal), context)
        row.private = None


def _row(db: DbSession, person_id: int) -> GoalRow | None:
    return db.scalars(select(GoalRow).where(GoalRow.person_id == person_id)).first()


def get_goal(app: App, profile: Profile) -> Goal | None:
    """Return this person's current goal, or None."""
    with app.db.reading() as db:
        row = _row(db, profile.person_id)
        return None if row is None else goal_from_row(row, app, profile.data_key)


def set_goal(
    app: App,
    profile: Profile,
    *,
    target_mm: float,
    wear_hours: float | None = None,
    note: str = "",
) -> Goal:
    """Set the goal, replacing the current one. Every value is checked before writing."""
    now = app.now()
    goal = check_goal(target_mm, wear_hours, note, set_at=now)
    with app.db.writing() as db:
        # One goal per person: lock the person so that two first goals set at once
        # cannot both insert (SQLite's write transaction already serialises this).
        db.execute(select(Person.id).where(Person.id == profile.person_id).with_for_update())
        row = _row(db, profile.person_id)
        if row is None:
            row = GoalRow(person_id=profile.person_id, set_at=now, payload=b"")
            db.add(row)
            db.flush()  # the id, bound into the sealed payloads
        row.set_at = now
        store_goal(row, goal, app, profile.data_key)
    return goal


def clear_goal(app: App, profile: Profile) -> Goal:
    """Remove the current goal and return it; raise NotFound when there is none."""
    with app.db.writing() as db:
        row = _row(db, profile.person_id)
        if row is None:
            raise NotFound("no goal is set", field="goal")
        goal = goal_from_row(row, app, profile.data_key)
        db.delete(row)  # through the session, so that the person's revision is bumped
    return goal


@dataclass(frozen=True)
class GoalView:
    goal: Goal
    distance: GoalDistance


def goal_view(app: App, profile: Profile, status: training.Status | None = None) -> GoalView | None:
    """Return the goal with its distance from the earned size, or None without a goal.

    Pass the `status` already computed for the same page to save a second fold.
    """
    goal = get_goal(app, profile)
    if goal is None:
        return None
    current = status if status is not None else training.status(app, profile)
    distance = goal_distance(
        goal, current.training.earned_mm, current.ladder, app.policy, profile.units
    )
    return GoalView(goal, distance)


def goal_json(view: GoalView) -> dict[str, Any]:
    """Return the goal and its distance as the API and `easein goal show --json` print it."""
    goal, d = view.goal, view.distance
    return {
        "target_mm": goal.target_mm,
        "wear_hours": goal.wear_hours,
        "note": goal.note,
        "note_locked": goal.note_locked,
        "set_at": goal.set_at.isoformat() if goal.set_at else None,
        "distance": {
            "earned_mm": d.earned_mm,
            "to_go_mm": d.to_go_mm,
            "reached": d.reached,
            "largest_mm": d.largest_mm,
            "gap": d.gap,
            "look_for_mm": list(d.look_for_mm),
            "headline": d.headline,
            "detail": d.detail,
        },
    }
