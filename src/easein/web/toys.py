"""Items and the ladder: the ladder drawn to scale, the inventory, add and retire."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from easein.domain.errors import EaseInError, InvalidInput
from easein.domain.ladder import Ladder
from easein.domain.toys import BODY_KINDS, ToyKind, base_refusal
from easein.domain.units import parse_size
from easein.services import toys as toy_service
from easein.services import training
from easein.services.accounts import Principal
from easein.services.app import App
from easein.web import forms
from easein.web.auth import Core, Form, Poster, Viewer
from easein.web.render import page

router = APIRouter(include_in_schema=False)

# The largest rung is drawn this wide; every other one in proportion to its diameter.
LARGEST_PX = 112
KIND_LABELS = [(k.value, k.value.replace("_", " ")) for k in ToyKind]
BASES = [("flared", "Flared base"), ("handle", "Handle"), ("none", "None")]


def ladder_picture(ladder: Ladder) -> list[dict[str, Any]]:
    """Return the rows of the ladder picture, smallest first: rungs to scale, gaps between."""
    if not ladder.rungs:
        return []
    scale = LARGEST_PX / max(r.diameter_mm for r in ladder.rungs)
    gaps = {g.below_mm: g for g in ladder.gaps}
    rows: list[dict[str, Any]] = []
    for i, rung in enumerate(ladder.rungs):
        px = max(4.0, rung.diameter_mm * scale)
        role = "earned" if i == ladder.earned_index else "next" if i == ladder.next_index else ""
        rows.append({"rung": rung, "px": round(px, 1), "role": role})
        gap = gaps.get(rung.diameter_mm)
        if gap is not None:
            rows.append({"gap": gap})
    return rows


def toys_context(app: App, who: Principal) -> dict[str, Any]:
    result = training.status(app, who.profile)
    everything = toy_service.list_toys(app, who.profile.person_id, include_retired=True)
    return {
        "ladder": result.ladder,
        "picture": ladder_picture(result.ladder),
        "rec": result.recommendation,
        "toys": [t for t in everything if not t.retired],
        "retired": [t for t in everything if t.retired],
        "refusal": base_refusal,
        "kinds": KIND_LABELS,
        "bases": BASES,
        "values": {"kind": "plug", "base": "flared"},
    }


@router.get("/toys", response_class=HTMLResponse)
def toys_page(request: Request, app: Core, who: Viewer, welcome: str = "") -> Response:
    context = toys_context(app, who)
    context["welcome"] = bool(welcome)
    return page(request, "toys.html", context, who=who)


def _size(form: Any, name: str, who: Principal, *, required: bool = False) -> float | None:
    raw = forms.text(form, name)
    if not raw:
        if required:
            raise InvalidInput(f"{name}: fill this in, like 32mm or 1.25in", field=name)
        return None
    return parse_size(raw, field=name, default_unit=who.profile.units)


@router.post("/toys", response_class=HTMLResponse)
def add_toy(request: Request, app: Core, who: Poster, form: Form) -> Response:
    """Add an item. One without a flared base or handle is kept, but never used anally."""
    try:
        kind = toy_service.parse_kind(forms.text(form, "kind") or "other")
        base_text = forms.text(form, "base")
        # Fingers and hands have no base to choose: the service gives them theirs.
        base = None if kind in BODY_KINDS or not base_text else toy_service.parse_base(base_text)
        toy_service.add_toy(
            app,
            who.profile.person_id,
            name=forms.text(form, "name"),
            kind=kind,
            diameter_mm=_size(form, "diameter", who, required=True) or 0,
            base=base,
            length_mm=_size(form, "length", who),
            neck_mm=_size(form, "neck", who),
            material=forms.text(form, "material") or None,
        )
    except EaseInError as error:
        context = toys_context(app, who)
        context.update(errors=forms.errors_of(error), values=forms.values_of(form))
        return page(request, "toys.html", context, who=who, status=422)
    return RedirectResponse("/toys#items", status_code=303)


@router.post("/toys/{toy_id}", response_class=HTMLResponse)
def edit_toy(toy_id: int, request: Request, app: Core, who: Poster, form: Form) -> Response:
    """Change an item's name, size, base, length, neck or material (empty leaves it)."""
    try:
        base_text = forms.text(form, "base")
        toy_service.edit_toy(
            app,
            who.profile.person_id,
            toy_id,
            name=forms.text(form, "name") or None,
            diameter_mm=_size(form, "diameter", who),
            base=toy_service.parse_base(base_text) if base_text else None,
            length_mm=_size(form, "length", who),
            neck_mm=_size(form, "neck", who),
            material=forms.text(form, "material") or None,
        )
    except EaseInError as error:
        context = toys_context(app, who)
        # Shown in that item's own form (and on top), not in the "add" form.
        context.update(edit_errors=forms.errors_of(error), editing=toy_id)
        return page(request, "toys.html", context, who=who, status=422)
    return RedirectResponse("/toys#items", status_code=303)


@router.post("/toys/{toy_id}/retire")
def retire(toy_id: int, request: Request, app: Core, who: Poster, form: Form) -> Response:
    """Retire an item (kept for history, off the ladder) or bring it back."""
    try:
        toy_service.set_retired(
            app, who.profile.person_id, toy_id, retired=not forms.checkbox(form, "back")
        )
    except EaseInError as error:
        context = toys_context(app, who)
        context.update(errors=forms.errors_of(error))
        return page(request, "toys.html", context, who=who, status=422)
    return RedirectResponse("/toys#items", status_code=303)
