"""`easein init`, `profile`, `log`, `status`, `cleared`, `condition ...`, `history`."""

import sys
from typing import Annotated

import typer

from easein.cli.context import STATE, console, emit_json
from easein.domain.clock import day_end, day_start, parse_date, parse_local_datetime
from easein.domain.errors import InvalidInput
from easein.domain.sessions import (
    Bleeding,
    BloodColour,
    BreathPhase,
    Outcome,
    Sensation,
    Session,
    SessionKind,
)
from easein.domain.units import parse_duration
from easein.present import condition_json, duration, safety_json, session_json, size
from easein.services import profile as profile_service
from easein.services import training as service

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
condition_app = typer.Typer(help="Conditions that pause training (haemorrhoids, ...).")


def _choice(enum: type, value: str | None, field: str) -> object:
    if value is None:
        return None
    try:
        return enum(value.strip().lower().replace("-", "_"))
    except ValueError:
        allowed = ", ".join(e.value for e in enum)
        raise InvalidInput(f"{field}: {value!r} is not one of {allowed}", field=field) from None


def _interactive() -> bool:
    return sys.stdin.isatty()


def init(
    adult: Annotated[bool, typer.Option("--adult", help="Confirm you are 18 or older.")] = False,
    timezone: Annotated[
        str | None, typer.Option(help="Your time zone, e.g. Europe/Berlin.")
    ] = None,
    units: Annotated[str | None, typer.Option(help="mm or in.")] = None,
    json: JsonFlag = False,
) -> None:
    """Create your local profile (adults only)."""
    if not adult and _interactive():
        adult = typer.confirm("EaseIn is for adults. Are you 18 or older?", default=False)
    if timezone is None:
        timezone = typer.prompt("Time zone", default="UTC") if _interactive() else "UTC"
    if units is None:
        units = typer.prompt("Units (mm or in)", default="mm") if _interactive() else "mm"
    created = profile_service.init_local(STATE.app(), adult=adult, timezone=timezone, units=units)
    if json:
        emit_json(
            {"id": created.person_id, "timezone": created.timezone, "units": created.units.value}
        )
        return
    typer.echo(
        f"Profile ready (time zone {created.timezone}, sizes in {created.units.value}). "
        "Next: `easein guide`, then add your items with `easein toy add`."
    )


def profile(
    timezone: Annotated[str | None, typer.Option(help="New time zone.")] = None,
    units: Annotated[str | None, typer.Option(help="mm or in.")] = None,
    json: JsonFlag = False,
) -> None:
    """Show or change your time zone and units."""
    current = STATE.profile()
    if timezone or units:
        current = profile_service.update_profile(
            STATE.app(), current.person_id, timezone=timezone, units=units
        )
    if json:
        emit_json(
            {"id": current.person_id, "timezone": current.timezone, "units": current.units.value}
        )
    else:
        typer.echo(f"Time zone {current.timezone}; sizes in {current.units.value}.")


def log(
    kind: Annotated[str, typer.Option(help="stretch, wear or partnered.")] = "stretch",
    at: Annotated[
        str | None,
        typer.Option(
            help="Start, 'YYYY-MM-DD HH:MM' in your time zone (default: it just finished)."
        ),
    ] = None,
    duration_: Annotated[str | None, typer.Option("--duration", help="20m, 2h, 1h30m.")] = None,
    item: Annotated[
        list[str] | None,
        typer.Option(help="An item used (repeat for several); the largest counts as reached."),
    ] = None,
    pain: Annotated[int | None, typer.Option(help="Pain 0-10 (discomfort is not pain).")] = None,
    sharp: Annotated[bool, typer.Option("--sharp", help="There was sharp or sudden pain.")] = False,
    comfort: Annotated[int | None, typer.Option(help="Comfort 0-10.")] = None,
    pleasure: Annotated[int | None, typer.Option(help="Pleasure 0-10.")] = None,
    bleeding: Annotated[
        str, typer.Option(help="none, spotting or lasting (more than a few minutes).")
    ] = "none",
    colour: Annotated[str | None, typer.Option(help="bright or dark (with bleeding).")] = None,
    outcome: Annotated[
        str, typer.Option(help="completed, stopped (early) or failed.")
    ] = "completed",
    lube: Annotated[bool, typer.Option(help="Lube was used.")] = True,
    relubed: Annotated[
        bool | None,
        typer.Option("--relubed/--no-relube", help="Lube re-applied on every reinsertion."),
    ] = None,
    warm_up: Annotated[bool | None, typer.Option("--warm-up/--no-warm-up")] = None,
    breath: Annotated[
        str | None, typer.Option(help="The breath phase that relaxed you: inhale or exhale.")
    ] = None,
    sensation: Annotated[
        list[str] | None,
        typer.Option(
            help="stretch, burning, tension, cramping, pressure, urge_to_expel, fullness (repeat)."
        ),
    ] = None,
    orgasm: Annotated[bool | None, typer.Option("--orgasm/--no-orgasm")] = None,
    mess: Annotated[bool | None, typer.Option("--mess/--no-mess")] = None,
    notes: Annotated[str, typer.Option(help="Notes and feelings.")] = "",
    json: JsonFlag = False,
) -> None:
    """Record a session (prompts for what is missing when run in a terminal)."""
    prof = STATE.profile()
    app = STATE.app()
    missing = [
        flag
        for flag, value in (("--duration", duration_), ("--item", item), ("--pain", pain))
        if value is None
    ]
    if missing and not _interactive():
        raise InvalidInput(f"missing {', '.join(missing)}", field=missing[0][2:], code="required")
    if duration_ is None:
        duration_ = typer.prompt("Duration (e.g. 20m, 2h)", default="20m")
    if item is None:
        names = [t.name for t in service.item_names(app, prof).values() if not t.retired]
        typer.echo("Your items: " + (", ".join(names) or "none yet"))
        item = [x.strip() for x in typer.prompt("Items used (comma-separated)").split(",")]
    if pain is None:
        pain = typer.prompt("Pain 0-10 (discomfort is not pain)", type=int)
        if not sharp:
            sharp = typer.confirm("Was any pain sharp or sudden?", default=False)
        if comfort is None:
            comfort = typer.prompt("Comfort 0-10", type=int, default=5)
        if bleeding == "none":
            bleeding = typer.prompt("Bleeding (none, spotting, lasting)", default="none")
        if bleeding != "none" and colour is None:
            colour = typer.prompt("Colour (bright, dark)", default="bright")

    length = parse_duration(duration_)
    tz = prof.tz
    started = (
        parse_local_datetime(at, tz, today=app.now().astimezone(tz).date())
        if at
        else service.default_start(app, length)
    )
    bleed = _choice(Bleeding, bleeding, "bleeding")
    draft = Session(
        id=0,
        kind=_choice(SessionKind, kind, "kind"),  # type: ignore[arg-type]
        started_at=started,
        duration=length,
        item_ids=(0,),
        reached_item_id=0,
        reached_mm=0,
        pain=pain,
        sharp=sharp,
        comfort=comfort,
        pleasure=pleasure,
        bleeding=bleed,  # type: ignore[arg-type]
        colour=_choice(BloodColour, colour, "colour"),  # type: ignore[arg-type]
        outcome=_choice(Outcome, outcome, "outcome"),  # type: ignore[arg-type]
        lube=lube,
        relubed=relubed,
        warm_up=warm_up,
        breath_phase=_choice(BreathPhase, breath, "breath"),  # type: ignore[arg-type]
        sensations=frozenset(_choice(Sensation, s, "sensation") for s in sensation or ()),  # type: ignore[misc]
        orgasm=orgasm,
        mess=mess,
        notes=notes.strip(),
    )
    saved = service.log_session(app, prof, draft, item)
    names = service.item_names(app, prof)
    if json:
        emit_json(session_json(saved, names))
        return
    typer.echo(
        f"Logged session #{saved.id}: {saved.kind.value}, {duration(saved)}, reached "
        f"{names[saved.reached_item_id].name} ({size(saved.reached_mm, prof.units)}), "
        f"pain {saved.pain}/10."
    )
    result = service.status(app, prof)
    typer.echo(f"Now: {result.safety.state.value}. {result.recommendation.why}")


def status(json: JsonFlag = False) -> None:
    """Show your safety state with its reasons, and what to do next."""
    prof = STATE.profile()
    result = service.status(STATE.app(), prof)
    if json:
        emit_json(safety_json(result.safety, result.recommendation))
        return
    out = console()
    state = result.safety.state.value.replace("_", " ")
    until = ""
    if result.safety.until:
        until = f" until {result.safety.until.astimezone(prof.tz):%a %d %b %Y, %H:%M}"
    out.print(f"[bold]State: {state}{until}[/bold]")
    for reason in result.safety.reasons:
        out.print(f" • {reason.message} [dim]\\[{reason.rule}][/dim]")
    rec = result.recommendation
    out.print(f"[bold]Next: {rec.action.value.replace('_', ' ')}[/bold] — {rec.why}")


def cleared(
    yes: Annotated[
        bool,
        typer.Option(
            "--yes", help="I have seen a doctor or am otherwise sure it is safe to train again."
        ),
    ] = False,
    statement: Annotated[str, typer.Option(help="What the doctor said, for your records.")] = "",
    json: JsonFlag = False,
) -> None:
    """Lift a medical hold: only with your explicit confirmation, which is recorded."""
    prof = STATE.profile()
    if not yes and _interactive():
        yes = typer.confirm(
            "Have you seen a doctor, or are you otherwise sure it is safe to train again?",
            default=False,
        )
    safety = service.clear_medical_hold(STATE.app(), prof, confirmed=yes, statement=statement)
    if json:
        emit_json({"state": safety.state.value, "cleared": True})
    else:
        typer.echo(f"Recorded. State now: {safety.state.value.replace('_', ' ')}.")


@condition_app.command("set")
def condition_set(
    condition: Annotated[str, typer.Argument(help="haemorrhoids, constipation, diarrhoea, other")],
    note: Annotated[str, typer.Argument(help="A short note.")] = "",
    json: JsonFlag = False,
) -> None:
    """Pause training while a condition lasts."""
    prof = STATE.profile()
    made = service.set_condition(STATE.app(), prof, service.parse_condition_kind(condition), note)
    if json:
        emit_json(condition_json(made))
    else:
        typer.echo(
            f"Paused for {made.kind.value}. Clear it once better: "
            f"`easein condition clear {made.kind.value}`."
        )


@condition_app.command("clear")
def condition_clear(
    condition: Annotated[str, typer.Argument(help="The condition that is better.")],
    json: JsonFlag = False,
) -> None:
    """Mark a condition as better."""
    prof = STATE.profile()
    done = service.clear_condition(STATE.app(), prof, service.parse_condition_kind(condition))
    if json:
        emit_json(condition_json(done))
    else:
        typer.echo(f"Cleared {done.kind.value}.")


@condition_app.command("list")
def condition_list(json: JsonFlag = False) -> None:
    """List conditions, active and past."""
    prof = STATE.profile()
    found = service.list_conditions(STATE.app(), prof)
    if json:
        emit_json([condition_json(c) for c in found])
        return
    if not found:
        typer.echo("No conditions recorded.")
    for c in found:
        end = f"cleared {c.cleared_at.astimezone(prof.tz):%Y-%m-%d}" if c.cleared_at else "active"
        typer.echo(
            f"{c.kind.value}: since {c.since.astimezone(prof.tz):%Y-%m-%d}, {end}"
            + (f" — {c.note}" if c.note else "")
        )


def history(
    from_: Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD.")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Last day, YYYY-MM-DD.")] = None,
    kind: Annotated[str | None, typer.Option(help="stretch, wear or partnered.")] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many, newest first.")] = None,
    json: JsonFlag = False,
) -> None:
    """List your sessions, newest first."""
    prof = STATE.profile()
    tz = prof.tz
    if limit is not None and limit < 1:
        raise InvalidInput("--limit must be at least 1", field="limit")
    found = service.history(
        STATE.app(),
        prof,
        since=day_start(parse_date(from_, field="from"), tz) if from_ else None,
        until=day_end(parse_date(to, field="to"), tz) if to else None,
        kind=_choice(SessionKind, kind, "kind"),  # type: ignore[arg-type]
        limit=limit,
    )
    names = service.item_names(STATE.app(), prof)
    if json:
        emit_json([session_json(s, names) for s in found])
        return
    if not found:
        typer.echo("No sessions in that range.")
        return
    from rich.table import Table

    table = Table("#", "when", "kind", "time", "reached", "pain", "comfort", "blood", "outcome")
    for s in found:
        reached = names.get(s.reached_item_id)
        table.add_row(
            str(s.id),
            f"{s.started_at.astimezone(tz):%Y-%m-%d %H:%M}",
            s.kind.value,
            duration(s),
            f"{reached.name if reached else '?'} {size(s.reached_mm, prof.units)}",
            f"{s.pain}{' sharp' if s.sharp else ''}",
            "-" if s.comfort is None else str(s.comfort),
            s.bleeding.value
            if s.bleeding is Bleeding.NONE
            else f"{s.bleeding.value} {s.colour.value if s.colour else ''}",
            s.outcome.value,
        )
    console().print(table)


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("profile")(profile)
    app.command("log")(log)
    app.command("status")(status)
    app.command("cleared")(cleared)
    app.add_typer(condition_app, name="condition")
    app.command("history")(history)
