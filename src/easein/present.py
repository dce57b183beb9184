"""Domain values as JSON documents and short human strings, shared by the CLI and the API."""

from typing import Any

from easein.domain.ladder import Ladder
from easein.domain.progression import Recommendation
from easein.domain.safety import Condition, SafetyState
from easein.domain.sessions import Session
from easein.domain.toys import Toy, base_refusal
from easein.domain.units import Units, format_circumference, format_duration, format_size


def toy_json(toy: Toy) -> dict[str, Any]:
    return {
        "id": toy.id,
        "name": toy.name,
        "kind": toy.kind.value,
        "diameter_mm": toy.diameter_mm,
        "circumference_mm": round(toy.diameter_mm * 3.141592653589793, 1),
        "length_mm": toy.length_mm,
        "neck_mm": toy.neck_mm,
        "base": toy.base.value,
        "material": toy.material,
        "retired": toy.retired,
        "usable": toy.usable_anally,
        "refusal": base_refusal(toy),
    }


def size(mm: float | None, units: Units) -> str:
    return "-" if mm is None else format_size(mm, units)


def toy_line(toy: Toy, units: Units) -> str:
    extra = f", {toy.material}" if toy.material else ""
    return (
        f"{toy.name} ({toy.kind.value}, {format_size(toy.diameter_mm, units)} / "
        f"{format_circumference(toy.diameter_mm, units)} around, base {toy.base.value}{extra})"
    )


def session_json(s: Session, names: dict[int, Toy] | None = None) -> dict[str, Any]:
    names = names or {}
    return {
        "id": s.id,
        "kind": s.kind.value,
        "started_at": s.started_at.isoformat(),
        "duration_min": round(s.duration.total_seconds() / 60, 1),
        "items": [{"id": i, "name": names[i].name if i in names else None} for i in s.item_ids],
        "reached": {
            "id": s.reached_item_id,
            "name": names[s.reached_item_id].name if s.reached_item_id in names else None,
            "diameter_mm": s.reached_mm,
        },
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
        "notes": s.notes,
        "notes_locked": s.notes_locked,
    }


def safety_json(safety: SafetyState, rec: Recommendation) -> dict[str, Any]:
    return {
        "state": safety.state.value,
        "until": safety.until.isoformat() if safety.until else None,
        "reasons": [
            {"rule": r.rule, "message": r.message, "session_id": r.session_id}
            for r in safety.reasons
        ],
        "recommendation": {
            "action": rec.action.value,
            "item": (
                {"id": rec.item.id, "name": rec.item.name, "diameter_mm": rec.item.diameter_mm}
                if rec.item
                else None
            ),
            "why": rec.why,
        },
    }


def ladder_json(ladder: Ladder) -> dict[str, Any]:
    return {
        "earned_mm": ladder.earned_mm,
        "earned": ladder.earned.diameter_mm if ladder.earned else None,
        "next": ladder.next.diameter_mm if ladder.next else None,
        "next_within_step": ladder.next_within_step,
        "rungs": [
            {
                "diameter_mm": r.diameter_mm,
                "items": [t.name for t in r.items],
                "earned": i == ladder.earned_index,
                "next": i == ladder.next_index,
            }
            for i, r in enumerate(ladder.rungs)
        ],
        "gaps": [
            {"below_mm": g.below_mm, "above_mm": g.above_mm, "look_for_mm": list(g.fill_mm)}
            for g in ladder.gaps
        ],
    }


def condition_json(c: Condition) -> dict[str, Any]:
    return {
        "id": c.id,
        "condition": c.kind.value,
        "note": c.note,
        "since": c.since.isoformat(),
        "cleared_at": c.cleared_at.isoformat() if c.cleared_at else None,
    }


def duration(s: Session) -> str:
    return format_duration(s.duration)


def plan_json(plan: Any) -> dict[str, Any]:
    return {
        "id": plan.id,
        "name": plan.name,
        "kind": plan.kind.value,
        "rrule": plan.rrule,
        "starts_on": plan.starts_on.isoformat(),
        "at": plan.at.strftime("%H:%M"),
        "duration_min": plan.duration.total_seconds() / 60,
        "ended_on": plan.ended_on.isoformat() if plan.ended_on else None,
    }


def stats_json(result: Any) -> dict[str, Any]:
    summary = result.adherence
    return {
        "sessions": result.sessions,
        "wear_hours": result.wear_hours,
        "weeks": [
            {
                "week": w.start.isoformat(),
                "sessions": w.sessions,
                "stretch": w.stretch,
                "wear": w.wear,
                "partnered": w.partnered,
                "active_minutes": w.active_minutes,
                "wear_hours": w.wear_hours,
                "avg_pain": w.avg_pain,
                "avg_comfort": w.avg_comfort,
                "largest_mm": w.largest_mm,
                "bleeding": w.bleeding,
            }
            for w in result.weeks
        ],
        "earned": [{"day": d.isoformat(), "earned_mm": mm} for d, mm in result.earned],
        "trend": {
            "days": result.trend.days,
            "pain_recent": result.trend.pain_recent,
            "pain_before": result.trend.pain_before,
            "comfort_recent": result.trend.comfort_recent,
            "comfort_before": result.trend.comfort_before,
        },
        "adherence": None
        if summary is None
        else {
            "done": summary.done,
            "missed": summary.missed,
            "excused": summary.excused,
            "due": summary.due,
            "rate": summary.rate,
            "current_streak": summary.current_streak,
            "best_streak": summary.best_streak,
            "habit_strength": summary.habit_strength,
        },
    }
