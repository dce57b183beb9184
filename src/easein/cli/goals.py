"""`easein goal set`, `goal show` and `goal clear`."""

from typing import TYPE_CHECKING, Annotated

import typer

from easein.cli.context import STATE, emit_json

if TYPE_CHECKING:
    from easein.domain.units import Units
    from easein.services.goals import GoalView

goal_app = typer.Typer(help="Your goal: a target size, a wear routine, why it matters.")

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def _show(view: "GoalView | None", units: "Units", json: bool) -> None:
    from easein.domain.units import format_size
    from easein.services.goals import goal_json

    if view is None:
        if json:
            emit_json(None)
        else:
            typer.echo("No goal set yet: `easein goal set --size 38mm` sets one.")
        return
    if json:
        emit_json(goal_json(view))
        return
    goal, distance = view.goal, view.distance
    wear = f", {goal.wear_hours:g} h of wear per session" if goal.wear_hours else ""
    typer.echo(f"Goal: {format_size(goal.target_mm, units)}{wear}.")
    if goal.note:
        typer.echo(f"Why: {goal.note}")
    elif goal.note_locked:
        typer.echo("Why: sealed with your password; read it in the app, signed in.")
    typer.echo(f"{distance.headline}. {distance.detail}")


@goal_app.command("set")
def goal_set(
    size: Annotated[
        str, typer.Option(help="The diameter you are working toward: 38mm, 3.8cm, 1.5in.")
    ],
    wear_hours: Annotated[
        str | None,
        typer.Option("--wear-hours", help="Optional: hours of long wear per session, e.g. 8."),
    ] = None,
    note: Annotated[str, typer.Option(help="Why this matters to you (up to 200 characters).")] = "",
    json: JsonFlag = False,
) -> None:
    """Set your goal (replaces the current one)."""
    from easein.domain.goals import parse_wear_hours
    from easein.domain.units import parse_size
    from easein.services import goals as service

    prof = STATE.profile()
    target = parse_size(size, field="size", default_unit=prof.units)
    hours = None if wear_hours is None else parse_wear_hours(wear_hours, field="wear-hours")
    service.set_goal(STATE.app(), prof, target_mm=target, wear_hours=hours, note=note)
    _show(service.goal_view(STATE.app(), prof), prof.units, json)


@goal_app.command("show")
def goal_show(json: JsonFlag = False) -> None:
    """Show your goal and how far it is from the size you have earned."""
    from easein.services import goals as service

    prof = STATE.profile()
    _show(service.goal_view(STATE.app(), prof), prof.units, json)


@goal_app.command("clear")
def goal_clear(json: JsonFlag = False) -> None:
    """Clear your goal."""
    from easein.services import goals as service

    service.clear_goal(STATE.app(), STATE.profile())
    if json:
        emit_json({"cleared": True})
    else:
        typer.echo("Goal cleared.")


def register(app: typer.Typer) -> None:
    app.add_typer(goal_app, name="goal")
