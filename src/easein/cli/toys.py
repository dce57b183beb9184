"""`easein toy ...` and `easein ladder`."""

from typing import Annotated

import typer

from easein.cli.context import STATE, console, emit_json
from easein.domain.errors import InvalidInput
from easein.domain.units import Units, diameter_from_circumference, parse_size
from easein.present import ladder_json, size, toy_json, toy_line
from easein.services import toys as toy_service
from easein.services import training as training_service

toy_app = typer.Typer(help="Your items: toys, and fingers or a hand you measured.")

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def _diameter(
    diameter: str | None, circumference: str | None, units: Units, *, required: bool
) -> float | None:
    if diameter and circumference:
        raise InvalidInput("give either --diameter or --circumference, not both", field="diameter")
    if diameter:
        return parse_size(diameter, field="diameter", default_unit=units)
    if circumference:
        return diameter_from_circumference(
            parse_size(circumference, field="circumference", default_unit=units)
        )
    if required:
        raise InvalidInput(
            "the size is required: --diameter 32mm (widest part) or --circumference 10cm",
            field="diameter",
            code="required",
        )
    return None


def _optional_size(text: str | None, field: str, units: Units) -> float | None:
    return None if text is None else parse_size(text, field=field, default_unit=units)


@toy_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="A name you will recognise, e.g. 'small plug'.")],
    kind: Annotated[
        str,
        typer.Option(
            help="plug, dildo, dilator, beads, wand, vibrator, "
            "prostate_massager, finger, fingers, hand, other"
        ),
    ],
    diameter: Annotated[
        str | None, typer.Option(help="Widest diameter: 32mm, 3.2cm, 1.25in.")
    ] = None,
    circumference: Annotated[str | None, typer.Option(help="Or the circumference: 10cm.")] = None,
    length: Annotated[str | None, typer.Option(help="Insertable length: 10cm.")] = None,
    base: Annotated[
        str | None, typer.Option(help="flared, handle or none (fingers/hand: body, the default).")
    ] = None,
    neck: Annotated[str | None, typer.Option(help="Neck diameter of a plug: 15mm.")] = None,
    material: Annotated[str | None, typer.Option(help="silicone, glass, steel...")] = None,
    json: JsonFlag = False,
) -> None:
    """Add an item. One without a flared base or handle is kept but never used anally."""
    profile = STATE.profile()
    units = profile.units
    toy = toy_service.add_toy(
        STATE.app(),
        profile.person_id,
        name=name,
        kind=toy_service.parse_kind(kind),
        diameter_mm=_diameter(diameter, circumference, units, required=True) or 0,
        base=toy_service.parse_base(base) if base else None,
        length_mm=_optional_size(length, "length", units),
        neck_mm=_optional_size(neck, "neck", units),
        material=material,
    )
    if json:
        emit_json(toy_json(toy))
        return
    typer.echo(f"Added #{toy.id}: {toy_line(toy, units)}")
    if not toy.usable_anally:
        typer.echo(
            "Note: without a flared base or a handle this item can slip fully inside. It is "
            "stored, but EaseIn will never use it for anal training (rule toy.base_required)."
        )


@toy_app.command("list")
def list_(
    all_: Annotated[bool, typer.Option("--all", help="Include retired items.")] = False,
    json: JsonFlag = False,
) -> None:
    """List your items, smallest first."""
    profile = STATE.profile()
    found = toy_service.list_toys(STATE.app(), profile.person_id, include_retired=all_)
    if json:
        emit_json([toy_json(t) for t in found])
        return
    if not found:
        typer.echo(
            "No items yet: add one with `easein toy add NAME --kind plug --diameter "
            "25mm --base flared`."
        )
        return
    from rich.table import Table

    table = Table("#", "name", "kind", "diameter", "around", "length", "base", "status")
    for t in found:
        status = "retired" if t.retired else ("usable" if t.usable_anally else "not for anal use")
        table.add_row(
            str(t.id),
            t.name,
            t.kind.value,
            size(t.diameter_mm, profile.units),
            size(round(t.diameter_mm * 3.14159, 1), profile.units),
            size(t.length_mm, profile.units),
            t.base.value,
            status,
        )
    console().print(table)


@toy_app.command("edit")
def edit(
    item: Annotated[str, typer.Argument(help="The item's name or #id.")],
    name: Annotated[str | None, typer.Option(help="New name.")] = None,
    kind: Annotated[str | None, typer.Option(help="New kind.")] = None,
    diameter: Annotated[str | None, typer.Option(help="New diameter.")] = None,
    circumference: Annotated[str | None, typer.Option(help="New circumference.")] = None,
    length: Annotated[str | None, typer.Option(help="New insertable length.")] = None,
    base: Annotated[str | None, typer.Option(help="flared, handle, none or body.")] = None,
    neck: Annotated[str | None, typer.Option(help="New neck diameter.")] = None,
    material: Annotated[str | None, typer.Option(help="New material.")] = None,
    unretire: Annotated[
        bool, typer.Option("--unretire", help="Bring a retired item back.")
    ] = False,
    json: JsonFlag = False,
) -> None:
    """Change an item's details (past sessions keep the size they were logged with)."""
    profile = STATE.profile()
    units = profile.units
    app = STATE.app()
    toy = toy_service.edit_toy(
        app,
        profile.person_id,
        item,
        name=name,
        kind=toy_service.parse_kind(kind) if kind else None,
        diameter_mm=_diameter(diameter, circumference, units, required=False),
        base=toy_service.parse_base(base) if base else None,
        length_mm=_optional_size(length, "length", units),
        neck_mm=_optional_size(neck, "neck", units),
        material=material,
    )
    if unretire:
        toy = toy_service.set_retired(app, profile.person_id, str(toy.id), retired=False)
    if json:
        emit_json(toy_json(toy))
    else:
        typer.echo(f"Updated #{toy.id}: {toy_line(toy, units)}")


@toy_app.command("retire")
def retire(
    item: Annotated[str, typer.Argument(help="The item's name or #id.")],
    json: JsonFlag = False,
) -> None:
    """Retire an item: it leaves the ladder but stays in your history."""
    profile = STATE.profile()
    toy = toy_service.set_retired(STATE.app(), profile.person_id, item, retired=True)
    if json:
        emit_json(toy_json(toy))
    else:
        typer.echo(f"Retired #{toy.id} {toy.name}; bring it back with `toy edit --unretire`.")


def ladder(json: JsonFlag = False) -> None:
    """Show your ladder: usable items by diameter, the earned and next rung, and gaps."""
    profile = STATE.profile()
    result = training_service.status(STATE.app(), profile)
    lad = result.ladder
    if json:
        emit_json(ladder_json(lad))
        return
    units = profile.units
    if not lad.rungs:
        typer.echo("Your ladder is empty: add items with a flared base or handle.")
        return
    lines = []
    for i, rung in reversed(list(enumerate(lad.rungs))):
        mark = "  "
        if i == lad.earned_index:
            mark = "● earned"
        elif i == lad.next_index:
            mark = "○ next" + ("" if lad.next_within_step else " (too big a step)")
        names = ", ".join(t.name for t in rung.items)
        lines.append(f"{size(rung.diameter_mm, units):>10}  {names}  {mark}".rstrip())
    typer.echo("\n".join(lines))
    if lad.earned_mm is None:
        typer.echo("Nothing earned yet: start with your smallest item.")
    for gap in lad.gaps:
        look = ", ".join(size(mm, units) for mm in gap.fill_mm)
        typer.echo(
            f"Gap: {size(gap.below_mm, units)} → {size(gap.above_mm, units)} is more than the "
            f"allowed step; look for: {look}"
        )


def register(app: typer.Typer) -> None:
    app.add_typer(toy_app, name="toy")
    app.command("ladder")(ladder)
