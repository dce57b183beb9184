"""The toy inventory: add, list, edit, retire. Items are found by name or id."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from easein.domain.errors import Conflict, InvalidInput, NotFound
from easein.domain.toys import Base, Toy, ToyKind, check_kind_and_base, default_base
from easein.domain.units import check_diameter, check_length
from easein.services.app import App
from easein.store.codec import Context, add_sealed
from easein.store.models import ToyRow
from easein.store.records import toy_from_row, toy_payload

MAX_NAME = 80


def parse_kind(text: str) -> ToyKind:
    try:
        return ToyKind(text.strip().lower().replace("-", "_").replace(" ", "_"))
    except ValueError:
        allowed = ", ".join(k.value for k in ToyKind)
        raise InvalidInput(f"unknown kind {text!r}: use one of {allowed}", field="kind") from None


def parse_base(text: str) -> Base:
    try:
        return Base(text.strip().lower())
    except ValueError:
        raise InvalidInput(
            f"unknown base {text!r}: use flared, handle or none (body for fingers and hands)",
            field="base",
        ) from None


def check_name(name: str) -> str:
    clean = " ".join(name.split())
    if not clean:
        raise InvalidInput("name must not be empty", field="name", code="required")
    if len(clean) > MAX_NAME:
        raise InvalidInput(f"name must be at most {MAX_NAME} characters", field="name")
    return clean


def load_toys(db: DbSession, app: App, person_id: int) -> list[Toy]:
    rows = db.scalars(select(ToyRow).where(ToyRow.person_id == person_id).order_by(ToyRow.id))
    return [toy_from_row(row, app.codec) for row in rows]


def find_toy(toys: list[Toy], ref: str | int, *, field: str = "item") -> Toy:
    """Return the toy named (case-insensitive) or numbered by `ref`; an int is an id only."""
    if isinstance(ref, int):
        for toy in toys:
            if toy.id == ref:
                return toy
        raise NotFound(f"no item #{ref}", field=field)
    text = str(ref).strip()
    for toy in toys:
        if toy.name.casefold() == text.casefold():
            return toy
    if text.isdigit():
        for toy in toys:
            if toy.id == int(text):
                return toy
    names = ", ".join(t.name for t in toys if not t.retired) or "none yet"
    raise NotFound(f"unknown item {text!r} (your items: {names})", field=field)


def _check_unique(toys: list[Toy], name: str, except_id: int | None = None) -> None:
    for toy in toys:
        if toy.id != except_id and toy.name.casefold() == name.casefold():
            raise Conflict(f"you already have an item called {toy.name!r}", field="name")


def _validated(toy: Toy) -> Toy:
    check_kind_and_base(toy.kind, toy.base)
    toy = replace(
        toy,
        name=check_name(toy.name),
        diameter_mm=check_diameter(toy.diameter_mm),
        length_mm=None if toy.length_mm is None else check_length(toy.length_mm),
        neck_mm=None if toy.neck_mm is None else check_diameter(toy.neck_mm, field="neck"),
        material=(toy.material or "").strip()[:40] or None,
    )
    if toy.neck_mm is not None and toy.neck_mm > toy.diameter_mm:
        raise InvalidInput(
            "neck must not be wider than the diameter (the widest part)", field="neck"
        )
    return toy


def add_toy(
    app: App,
    person_id: int,
    *,
    name: str,
    kind: ToyKind,
    diameter_mm: float,
    base: Base | None = None,
    length_mm: float | None = None,
    neck_mm: float | None = None,
    material: str | None = None,
) -> Toy:
    """Add an item. An item without a base is stored, but never used anally."""
    resolved = base or default_base(kind)
    if resolved is None:
        raise InvalidInput(
            "base is required: flared, handle or none (an item needs a flared base or a "
            "handle to be used anally)",
            field="base",
            code="required",
        )
    toy = _validated(Toy(0, name, kind, diameter_mm, resolved, length_mm, neck_mm, material, False))
    with app.db.writing() as db:
        _check_unique(load_toys(db, app, person_id), toy.name)
        row = ToyRow(
            person_id=person_id,
            created_at=app.now(),
        )
        add_sealed(db, row, app.codec, toy_payload(toy), "toys", person_id)
        return replace(toy, id=row.id)


def list_toys(app: App, person_id: int, *, include_retired: bool = False) -> list[Toy]:
    with app.db.reading() as db:
        toys = load_toys(db, app, person_id)
    toys = [t for t in toys if include_retired or not t.retired]
    return sorted(toys, key=lambda t: (t.diameter_mm, t.name.casefold()))


def edit_toy(app: App, person_id: int, ref: str | int, **changes: object) -> Toy:
    """Change the given fields of an item (None leaves a field as it is)."""
    clean = {k: v for k, v in changes.items() if v is not None}
    with app.db.writing() as db:
        toys = load_toys(db, app, person_id)
        toy = find_toy(toys, ref)
        updated = _validated(replace(toy, **clean))  # type: ignore[arg-type]
        _check_unique(toys, updated.name, except_id=toy.id)
        row = db.get(ToyRow, toy.id)
        assert row is not None
        row.payload = app.codec.encode(toy_payload(updated), Context("toys", person_id, row.id))
        return updated


def set_retired(app: App, person_id: int, ref: str | int, *, retired: bool) -> Toy:
    """Retire an item (kept for history, off the ladder) or bring it back."""
    with app.db.writing() as db:
        toy = find_toy(load_toys(db, app, person_id), ref)
        row = db.get(ToyRow, toy.id)
        assert row is not None
        row.retired_at = app.now() if retired else None
        return replace(toy, retired=retired)
