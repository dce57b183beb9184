"""Training together as JSON-ready dicts, for the API (and any page that wants the same).

People appear by their role in the pairing ("trainee" or "partner"), never by id.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from easein.domain.agreement import AgreementVersion, Change
from easein.domain.audit import AuditEvent
from easein.domain.compliance import CheckIn
from easein.domain.conversation import QUESTIONS, AnswerSheet, AnswerValue, Row
from easein.domain.directives import Directive
from easein.domain.pairing import Pairing, Role
from easein.domain.stop_and_talk import StopAndTalk
from easein.services.together.agreement import VersionView
from easein.services.together.checkins import ComplianceView
from easein.services.together.comments import Comment
from easein.services.together.directives import DirectiveView
from easein.services.together.pairing import NewInvitation, OpenInvitation, PairingView
from easein.services.together.views import UsableItem


def role_name(pairing: Pairing, person_id: int | None) -> str | None:
    if person_id is None:
        return None
    if person_id == pairing.trainee_id:
        return Role.TRAINEE.value
    if person_id == pairing.partner_id:
        return Role.PARTNER.value
    return None


def invitation_json(made: NewInvitation) -> dict[str, Any]:
    return {
        "id": made.id,
        "code": made.code,
        "created_at": made.created_at,
        "expires_at": made.expires_at,
    }


def open_invitation_json(invite: OpenInvitation) -> dict[str, Any]:
    return {"id": invite.id, "created_at": invite.created_at, "expires_at": invite.expires_at}


def usable_item_json(item: UsableItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "name": item.name,
        "diameter_mm": item.diameter_mm,
        "base": item.base.value,
    }


def pairing_json(view: PairingView) -> dict[str, Any]:
    p, s = view.pairing, view.summary
    other = p.partner_id if view.role is Role.TRAINEE else p.trainee_id
    return {
        "id": p.id,
        "role": view.role.value,
        "status": p.status.value,
        "words": {"trainee": p.words.trainee, "partner": p.words.partner},
        "sharing": p.sharing.value,
        "created_at": p.created_at,
        "activated_at": p.activated_at,
        "ended_at": p.ended_at,
        "ended_by": role_name(p, p.ended_by),
        "accepted_by_me": view.accepted_by_me,
        "accepted_by_other": other in p.summary_accepted_by,
        "summary": {
            "sharing": s.level.value,
            "text": s.text,
            "partner_sees": list(s.partner_sees),
            "partner_can": list(s.partner_can),
            "trainee_can": list(s.trainee_can),
            "no_one_can_override": list(s.no_one_can_override),
        },
    }


def stop_json(stop: StopAndTalk, pairing: Pairing) -> dict[str, Any]:
    return {
        "id": stop.id,
        "called_by": role_name(pairing, stop.called_by),
        "called_at": stop.called_at,
        "resumed_at": stop.resumed_at,
        "open": stop.resumed_at is None,
    }


def _minutes(value: timedelta) -> float:
    return round(value.total_seconds() / 60, 1)


def directive_json(d: Directive, pairing: Pairing) -> dict[str, Any]:
    window = d.window
    return {
        "id": d.id,
        "revision": d.revision,
        "kind": d.kind.value,
        "duration_min": _minutes(d.duration),
        "schedule": d.rrule,
        "starts_on": d.starts_on.isoformat(),
        "window": {"start": window.start.strftime("%H:%M"), "end": window.end.strftime("%H:%M")}
        if window
        else None,
        "note": d.note,
        "item_id": d.item_id,
        "set_by": role_name(pairing, d.created_by),
        "revised_at": d.revised_at,
        "acknowledged_at": d.acknowledged_at,
        "ended_at": d.ended_at,
    }


def directive_view_json(view: DirectiveView, pairing: Pairing) -> dict[str, Any]:
    return {
        **directive_json(view.directive, pairing),
        "status": {"state": view.status.state.value, "rule": view.rule, "message": view.message},
    }


def check_in_json(c: CheckIn) -> dict[str, Any]:
    return {
        "day": c.day.isoformat(),
        "result": c.result.value,
        "at": c.at,
        "session_id": c.session_id,
        "note": c.note,
        "note_locked": c.note_locked,
    }


def compliance_json(view: ComplianceView) -> dict[str, Any]:
    t = view.totals
    return {
        "since": view.since,
        "until": view.until,
        "done": t.done,
        "partly": t.partly,
        "skipped": t.skipped,
        "missed": t.missed,
        "excused": t.excused,
        "due": t.due,
        "rate": t.rate,
        "slots": [
            {
                "directive_id": s.directive_id,
                "revision": s.revision,
                "at": s.at,
                "day": s.day.isoformat(),
                "outcome": s.outcome.value,
                "excuse": s.excuse,
                "session_id": s.session_id,
            }
            for s in view.slots
        ],
    }


def comment_json(c: Comment, pairing: Pairing) -> dict[str, Any]:
    return {
        "id": c.id,
        "author": role_name(pairing, c.author_id),
        "at": c.at,
        "text": c.text,
        "text_locked": c.locked,
    }


def audit_json(e: AuditEvent, pairing: Pairing) -> dict[str, Any]:
    return {
        "at": e.at,
        "actor": role_name(pairing, e.actor_id),
        "kind": e.kind.value,
        "details": dict(e.details),
    }


def _term(value: object) -> object:
    if isinstance(value, timedelta):
        return round(value.total_seconds() / 3600, 2)
    return getattr(value, "value", value)


def terms_json(version: AgreementVersion) -> dict[str, Any]:
    t = version.terms
    return {
        "goal": t.goal,
        "target_mm": t.target_mm,
        "target_wear_hours": _term(t.target_wear),
        "target_activity": t.target_activity,
        "per_week": t.per_week,
        "schedule": t.schedule,
        "mess_plan": t.mess_plan,
        "sharing": t.sharing.value,
    }


def version_json(view: VersionView, pairing: Pairing) -> dict[str, Any]:
    v = view.version
    return {
        "number": v.number,
        "status": view.status.value,
        "proposed_by": role_name(pairing, v.proposed_by),
        "created_at": v.created_at,
        "based_on": v.based_on,
        "terms": terms_json(v),
        "signatures": [{"by": role_name(pairing, s.person_id), "at": s.at} for s in v.signatures],
    }


def change_json(c: Change) -> dict[str, Any]:
    field = "target_wear_hours" if c.field == "target_wear" else c.field
    return {"field": field, "before": _term(c.before), "after": _term(c.after)}


def _answer(value: AnswerValue | None) -> object:
    return sorted(value) if isinstance(value, frozenset) else value


def answers_json(sheet: AnswerSheet) -> dict[str, Any]:
    return {
        "submitted_at": sheet.submitted_at,
        "answers": {k: _answer(v) for k, v in sheet.answers.items()},
    }


def questions_json() -> list[dict[str, Any]]:
    return [
        {
            "id": q.id,
            "topic": q.topic,
            "prompt": q.prompt,
            "answer_type": q.answer_type.value,
            "options": [{"id": o, "label": label} for o, label in q.options],
            "dynamic_only": q.dynamic_only,
        }
        for q in QUESTIONS
    ]


def comparison_json(rows: tuple[Row, ...]) -> list[dict[str, Any]]:
    return [
        {
            "question_id": r.question.id,
            "topic": r.question.topic,
            "prompt": r.question.prompt,
            "trainee": _answer(r.trainee),
            "partner": _answer(r.partner),
            "match": r.match.value,
            "differs": r.differs,
        }
        for r in rows
    ]
