"""The person's goal: set (replacing the last one), read with its distance, clear."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from easein.domain.errors import NotFound
from easein.domain.goals import Goal, GoalDistance, check_goal, goal_distance
from easein.services import training
from easein.services.app import App
from easein.services.profile import Profile
from easein.store.codec import Context, add_sealed
from easein.store.models import GoalRow, Person


def goal_payload(goal: Goal) -> dict[str, Any]:
    return {"target_mm": goal.target_mm, "wear_hours": goal.wear_hours, "note": goal.note}


def goal_from_row(row: GoalRow, app: App) -> Goal:
    data = app.codec.decode(row.payload, Context("goals", row.person_id, row.id))
    return Goal(
        target_mm=data["target_mm"],
        wear_hours=data.get("wear_hours"),
        note=data.get("note", ""),
        set_at=row.set_at,
    )


def _row(db: DbSession, person_id: int) -> GoalRow | None:
    return db.scalars(select(GoalRow).where(GoalRow.person_id == person_id)).first()


def get_goal(app: App, profile: Profile) -> Goal | None:
    """Return this person's current goal, or None."""
    with app.db.reading() as db:
        row = _row(db, profile.person_id)
        return None if row is None else goal_from_row(row, app)


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
            row = GoalRow(person_id=profile.person_id, set_at=now)
            add_sealed(db, row, app.codec, goal_payload(goal), "goals", profile.person_id)
        else:
            row.set_at = now
            row.payload = app.codec.encode(
                goal_payload(goal), Context("goals", profile.person_id, row.id)
            )
    return goal


def clear_goal(app: App, profile: Profile) -> Goal:
    """Remove the current goal and return it; raise NotFound when there is none."""
    with app.db.writing() as db:
        row = _row(db, profile.person_id)
        if row is None:
            raise NotFound("no goal is set", field="goal")
        goal = goal_from_row(row, app)
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
