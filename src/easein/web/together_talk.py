"""The conversation (each answers privately; then both answers side by side, differences
marked) and the agreement (propose, sign, reopen, every version kept, the diff)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from easein.domain.agreement import Terms, VersionStatus
from easein.domain.conversation import (
    QUESTIONS,
    AnswerSheet,
    AnswerType,
    AnswerValue,
    Match,
    Question,
)
from easein.domain.errors import Conflict, EaseInError
from easein.domain.goals import parse_wear_hours
from easein.domain.pairing import Pairing, PairingStatus, Role
from easein.domain.sharing import SharingLevel
from easein.domain.units import Units, format_size, parse_size
from easein.services.accounts import Principal
from easein.services.app import App
from easein.services.together import agreement as agreement_service
from easein.services.together import conversation as conversation_service
from easein.web import forms
from easein.web.auth import Core, Form, Poster, Viewer
from easein.web.render import page
from easein.web.together_common import (
    SHARING_LABELS,
    act,
    me,
    or_404,
    pairing_of,
    refused,
    words_of,
)
from easein.web.together_header import schedule_words

router = APIRouter(include_in_schema=False)

VERSION_WORDS = {
    VersionStatus.DRAFT: "draft",
    VersionStatus.IN_FORCE: "in force",
    VersionStatus.PAST: "past",
    VersionStatus.SUPERSEDED: "replaced before both signed",
}
TERM_LABELS = {
    "goal": "Goal",
    "target_mm": "Target size",
    "target_wear": "Wear per session",
    "target_activity": "Target activity",
    "per_week": "Sessions a week",
    "schedule": "Schedule",
    "mess_plan": "Mess plan",
    "sharing": "What is shared",
}


# --- the conversation ---------------------------------------------------------------------


def answers_of(form: FormData) -> dict[str, object]:
    """Return the posted answers by question id (parsing only; the domain checks them)."""
    raw: dict[str, object] = {}
    for q in QUESTIONS:
        name = f"q_{q.id}"
        if q.answer_type is AnswerType.MANY:
            raw[q.id] = [str(v) for v in form.getlist(name)]
        elif q.answer_type is AnswerType.SCALE:
            raw[q.id] = forms.integer(form, name, label=q.prompt)
        else:
            raw[q.id] = forms.text(form, name)
    return raw


def answer_text(question: Question, value: AnswerValue | None) -> str | None:
    """Return an answer as people read it: option labels, n/10, or the text."""
    if value is None:
        return None
    labels = dict(question.options)
    if isinstance(value, frozenset):
        return ", ".join(labels.get(v, v) for v in sorted(value))
    if isinstance(value, int):
        return f"{value}/10"
    return labels.get(value, value)


def conversation_context(app: App, who: Principal, pairing_id: int) -> dict[str, Any]:
    view = pairing_of(app, who, pairing_id)
    locked = False
    try:
        mine = conversation_service.my_answers(app, me(who), pairing_id, data_key=who.data_key)
    except Conflict:  # sealed under the pairing key, and this sign-in does not hold it
        mine, locked = AnswerSheet(me(who), view.role, {}, None), True
    try:
        rows = conversation_service.comparison(app, me(who), pairing_id, data_key=who.data_key).rows
    except Conflict:
        rows = None
    values = {
        q_id: sorted(v) if isinstance(v, frozenset) else v for q_id, v in mine.answers.items()
    }
    shown = None
    if rows is not None:
        shown = [
            {
                "prompt": row.question.prompt,
                "trainee": answer_text(row.question, row.trainee),
                "partner": answer_text(row.question, row.partner),
                "differs": row.differs,
                "open": row.match is Match.OPEN,
            }
            for row in rows
        ]
    return {
        "view": view,
        "pairing": view.pairing,
        "words": words_of(view),
        "questions": QUESTIONS,
        "mine": mine,
        "answers": values,
        "rows": shown,
        "locked": locked,
    }


def _conversation_page(
    request: Request, app: App, who: Principal, pairing_id: int, extra: dict[str, Any], status: int
) -> Response:
    context = conversation_context(app, who, pairing_id)
    context.update(extra)
    return page(request, "together_conversation.html", context, who=who, status=status)


@router.get("/together/{pairing_id}/conversation", response_class=HTMLResponse)
def conversation(
    pairing_id: int, request: Request, app: Core, who: Viewer, saved: str = ""
) -> Response:
    return _conversation_page(request, app, who, pairing_id, {"saved": saved[:40]}, 200)


@router.post("/together/{pairing_id}/conversation", response_class=HTMLResponse)
def save_answers(pairing_id: int, request: Request, app: Core, who: Poster, form: Form) -> Response:
    submit = forms.text(form, "action") == "submit"
    try:
        conversation_service.save_answers(
            app, me(who), pairing_id, answers_of(form), submit=submit, data_key=who.data_key
        )
    except EaseInError as error:
        return refused(
            request,
            error,
            lambda extra, status: _conversation_page(request, app, who, pairing_id, extra, status),
        )
    done = "submitted" if submit else "saved"
    return RedirectResponse(f"/together/{pairing_id}/conversation?saved={done}", status_code=303)


# --- the agreement ------------------------------------------------------------------------


def term_text(name: str, value: object, units: Units) -> str:
    """Return one term as people read it."""
    if value is None or value == "":
        return "-"
    if name == "target_mm" and isinstance(value, int | float):
        return format_size(value, units)
    if name == "target_wear" and isinstance(value, timedelta):
        return f"{value.total_seconds() / 3600:g} h"
    if name == "sharing":
        return SHARING_LABELS[SharingLevel(str(value))]
    if name == "schedule":
        return schedule_words(str(value))
    return str(value)


def signer_words(pairing: Pairing, person_ids: frozenset[int]) -> list[str]:
    return [
        word
        for person, word in (
            (pairing.trainee_id, pairing.words.trainee),
            (pairing.partner_id, pairing.words.partner),
        )
        if person in person_ids
    ]


def agreement_context(app: App, who: Principal, pairing_id: int) -> dict[str, Any]:
    view = pairing_of(app, who, pairing_id)
    versions = agreement_service.list_versions(app, me(who), pairing_id)
    latest = versions[-1] if versions else None
    terms = latest.version.terms if latest else None
    units = who.profile.units
    values: dict[str, Any] = {"sharing": view.pairing.sharing.value}
    if terms is not None:
        values = {
            "goal": terms.goal,
            "target": f"{terms.target_mm:g}mm" if terms.target_mm else "",
            "wear_hours": f"{terms.target_wear.total_seconds() / 3600:g}"
            if terms.target_wear
            else "",
            "target_activity": terms.target_activity,
            "per_week": terms.per_week or "",
            "schedule": terms.schedule or "",
            "mess_plan": terms.mess_plan,
            "sharing": terms.sharing.value,
        }
    return {
        "view": view,
        "pairing": view.pairing,
        "words": words_of(view),
        "is_trainee": view.role is Role.TRAINEE,
        "active": view.pairing.status is PairingStatus.ACTIVE,
        "versions": list(reversed(versions)),
        "latest": latest,
        "signed_by_me": latest is not None and me(who) in latest.version.signed_by,
        "signed_by_both": latest is not None
        and latest.version.signed_by >= frozenset(view.pairing.members),
        "version_words": VERSION_WORDS,
        "term_labels": TERM_LABELS,
        "term_text": lambda name, value: term_text(name, value, units),
        "signers": lambda ids: signer_words(view.pairing, ids),
        "sharing_choices": [(level.value, label) for level, label in SHARING_LABELS.items()],
        "sharing_word": SHARING_LABELS[SharingLevel(values["sharing"])],
        "values": values,
    }


def _agreement_page(
    request: Request, app: App, who: Principal, pairing_id: int, extra: dict[str, Any], status: int
) -> Response:
    context = agreement_context(app, who, pairing_id)
    context.update(extra)
    return page(request, "together_agreement.html", context, who=who, status=status)


@router.get("/together/{pairing_id}/agreement", response_class=HTMLResponse)
def agreement(
    pairing_id: int, request: Request, app: Core, who: Viewer, saved: str = ""
) -> Response:
    return _agreement_page(request, app, who, pairing_id, {"saved": saved[:40]}, 200)


def terms_of(form: FormData, who: Principal) -> Terms:
    """Return the terms the form describes (parsing only; the domain checks them)."""
    target = forms.text(form, "target")
    hours = forms.text(form, "wear_hours")
    schedule = forms.text(form, "schedule")
    level = forms.choice(form, "sharing", SharingLevel, SharingLevel.NOTHING)
    return Terms(
        goal=forms.text(form, "goal"),
        target_mm=parse_size(target, field="target", default_unit=who.profile.units)
        if target
        else None,
        target_wear=timedelta(hours=parse_wear_hours(hours)) if hours else None,
        target_activity=forms.text(form, "target_activity"),
        per_week=forms.integer(form, "per_week", label="sessions a week"),
        schedule=schedule or None,
        mess_plan=forms.text(form, "mess_plan"),
        sharing=level or SharingLevel.NOTHING,
    )


def _agreement_act(
    request: Request,
    app: App,
    who: Principal,
    pairing_id: int,
    form: FormData,
    action: Callable[[], object],
) -> Response:
    return act(
        request,
        form,
        action,
        lambda extra, status: _agreement_page(request, app, who, pairing_id, extra, status),
        lambda: RedirectResponse(f"/together/{pairing_id}/agreement?saved=1", status_code=303),
    )


@router.post("/together/{pairing_id}/agreement", response_class=HTMLResponse)
def propose(pairing_id: int, request: Request, app: Core, who: Poster, form: Form) -> Response:
    return _agreement_act(
        request,
        app,
        who,
        pairing_id,
        form,
        lambda: agreement_service.propose(app, me(who), pairing_id, terms_of(form, who)),
    )


@router.post("/together/{pairing_id}/agreement/reopen", response_class=HTMLResponse)
def reopen(pairing_id: int, request: Request, app: Core, who: Poster, form: Form) -> Response:
    return _agreement_act(
        request,
        app,
        who,
        pairing_id,
        form,
        lambda: agreement_service.reopen(app, me(who), pairing_id),
    )


@router.post("/together/{pairing_id}/agreement/{number}/sign", response_class=HTMLResponse)
def sign(
    pairing_id: int, number: int, request: Request, app: Core, who: Poster, form: Form
) -> Response:
    return _agreement_act(
        request,
        app,
        who,
        pairing_id,
        form,
        lambda: agreement_service.sign(app, me(who), pairing_id, number),
    )


@router.get("/together/{pairing_id}/agreement/{number}/diff", response_class=HTMLResponse)
def diff(
    pairing_id: int, number: int, request: Request, app: Core, who: Viewer, against: str = ""
) -> Response:
    view = pairing_of(app, who, pairing_id)
    base = forms.query_int(against, 0) or None
    before, after, changes = or_404(
        lambda: agreement_service.diff(app, me(who), pairing_id, number, base)
    )
    units = who.profile.units
    context = {
        "view": view,
        "pairing": view.pairing,
        "words": words_of(view),
        "before": before,
        "after": after,
        "changes": [
            {
                "label": TERM_LABELS.get(c.field, c.field),
                "before": term_text(c.field, c.before, units),
                "after": term_text(c.field, c.after, units),
            }
            for c in changes
        ],
    }
    return page(request, "together_diff.html", context, who=who)
