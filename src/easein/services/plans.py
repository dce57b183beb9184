"""Training plans: what to do, on which days, at what time (RRULE in the person's zone)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from easein.domain.errors import Conflict, InvalidInput, NotFound
from easein.domain.schedule import Plan, parse_schedule
from easein.domain.sessions import SessionKind
from easein.domain.units import check_duration
from easein.services.app import App
from easein.services.profile import Profile
from easein.services.toys import check_name
from easein.store.codec import Context, add_sealed
from easein.store.models import PlanRow


def plan_payload(plan: Plan) -> dict[str, Any]:
    return {
        "name": plan.name,
        "kind": plan.kind.value,
        "rrule": plan.rrule,
        "starts_on": plan.starts_on.isoformat(),
        "at": plan.at.strftime("%H:%M"),
        "duration_s": int(plan.duration.total_seconds()),
        "ended_on": plan.ended_on.isoformat() if plan.ended_on else None,
    }


def plan_from_row(row: PlanRow, app: App) -> Plan:
    data = app.codec.decode(row.payload, Context("plans", row.person_id, row.id))
    return Plan(
        id=row.id,
        name=data["name"],
        kind=SessionKind(data["kind"]),
        rrule=data["rrule"],
        starts_on=date.fromisoformat(data["starts_on"]),
        at=time.fromisoformat(data["at"]),
        duration=timedelta(seconds=data["duration_s"]),
        ended_on=date.fromisoformat(data["ended_on"]) if data["ended_on"] else None,
    )


def load_plans(db: DbSession, app: App, person_id: int) -> list[Plan]:
    rows = db.scalars(select(PlanRow).where(PlanRow.person_id == person_id).order_by(PlanRow.id))
    return [plan_from_row(r, app) for r in rows]


def parse_clock(text: str) -> time:
    try:
        return time.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            f"at: {text!r} is not a time of day; write it like 21:30", field="at"
        ) from None


def add_plan(
    app: App,
    profile: Profile,
    *,
    name: str,
    kind: SessionKind,
    schedule: str,
    at: time,
    duration: timedelta,
    starts_on: date | None = None,
) -> Plan:
    """Add a recurring plan (e.g. a wear session every night at 22:30 for 2 hours)."""
    today = app.now().astimezone(profile.tz).date()
    plan = Plan(
        id=0,
        name=check_name(name),
        kind=kind,
        rrule=parse_schedule(schedule),
        starts_on=starts_on or today,
        at=at.replace(second=0, microsecond=0),
        duration=check_duration(duration),
    )
    with app.db.writing() as db:
        for other in load_plans(db, app, profile.person_id):
            if other.name.casefold() == plan.name.casefold() and other.ended_on is None:
                raise Conflict(f"you already have a plan called {other.name!r}", field="name")
        row = PlanRow(
            person_id=profile.person_id,
            created_at=app.now(),
        )
        add_sealed(db, row, app.codec, plan_payload(plan), "plans", profile.person_id)
        return replace(plan, id=row.id)


def _all_plans(app: App, profile: Profile) -> tuple[Plan, ...]:
    with app.db.reading() as db:
        return tuple(load_plans(db, app, profile.person_id))


def list_plans(app: App, profile: Profile, *, include_ended: bool = False) -> list[Plan]:
    """Return the plans, the ended ones too if asked (reused while the data is unchanged)."""
    plans = app.memo.get(
        "plans", profile.person_id, profile.version, lambda: _all_plans(app, profile)
    )
    return [p for p in plans if include_ended or p.ended_on is None]


def end_plan(app: App, profile: Profile, ref: str | int) -> Plan:
    """End a plan today (by name, or by id when `ref` is an int); its past stays."""
    today = app.now().astimezone(profile.tz).date()
    with app.db.writing() as db:
        for plan in load_plans(db, app, profile.person_id):
            by_id = isinstance(ref, int)
            if plan.ended_on is None and (
                (by_id and plan.id == ref)
                or (
                    not by_id
                    and (
                        plan.name.casefold() == str(ref).strip().casefold()
                        or str(plan.id) == str(ref).strip()
                    )
                )
            ):
                ended = replace(plan, ended_on=max(today, plan.starts_on))
                row = db.get(PlanRow, plan.id)
                assert row is not None
                row.payload = app.codec.encode(
                    plan_payload(ended), Context("plans", profile.person_id, row.id)
                )
                return ended
    raise NotFound(f"no running plan called {ref!r}", field="plan")
