"""`easein stats` and `easein plan ...`."""

from datetime import timedelta
from typing import Annotated

import typer

from easein.cli.context import STATE, console, emit_json
from easein.domain.clock import parse_date
from easein.domain.errors import InvalidInput
from easein.domain.sessions import SessionKind
from easein.domain.units import format_duration, parse_duration
from easein.present import plan_json, size, stats_json

plan_app = typer.Typer(help="Training plans: what, on which days, at what time.")
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def _mean_text(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def stats(
    weeks: Annotated[int, typer.Option(help="How many recent weeks to show.")] = 8,
    json: JsonFlag = False,
) -> None:
    """Sessions and wear hours per week, earned size over time, trends and adherence."""
    from easein.services import stats as stats_service

    if weeks < 1:
        raise InvalidInput("--weeks must be at least 1", field="weeks")
    prof = STATE.profile()
    result = stats_service.stats(STATE.app(), prof)
    summary = result.adherence
    if json:
        emit_json(stats_json(result))
        return
    from rich.table import Table

    out = console()
    out.print(f"[bold]{result.sessions} sessions, {result.wear_hours} hours of wear[/bold]")
    table = Table("week of", "sessions", "stretch", "wear", "wear h", "pain", "comfort", "largest")
    for w in result.weeks[-weeks:]:
        table.add_row(
            f"{w.start:%Y-%m-%d}", str(w.sessions), str(w.stretch), str(w.wear),
            f"{w.wear_hours:g}", _mean_text(w.avg_pain), _mean_text(w.avg_comfort),
            size(w.largest_mm, prof.units),
        )  # fmt: skip
    out.print(table)
    t = result.trend
    out.print(
        f"Last {t.days} days: pain {_mean_text(t.pain_recent)} (before: "
        f"{_mean_text(t.pain_before)}), comfort {_mean_text(t.comfort_recent)} (before: "
        f"{_mean_text(t.comfort_before)})."
    )
    if result.earned:
        steps = " → ".join(f"{size(mm, prof.units)} ({d:%d %b %Y})" for d, mm in result.earned[-6:])
        out.print(f"Earned size over time: {steps}")
    if summary is None:
        out.print("No plan yet: add one with `easein plan add` to see adherence.")
    else:
        rate = "-" if summary.rate is None else f"{summary.rate:.0%}"
        out.print(
            f"Plans: {summary.done} done, {summary.missed} missed, {summary.excused} excused "
            f"by safety rest (never a miss); adherence {rate}; streak {summary.current_streak} "
            f"(best {summary.best_streak}); habit strength {summary.habit_strength:.0f}/100."
        )


@plan_app.command("add")
def plan_add(
    name: Annotated[str, typer.Argument(help="e.g. 'evening stretch'.")],
    kind: Annotated[str, typer.Option(help="stretch, wear or partnered.")] = "stretch",
    schedule: Annotated[
        str, typer.Option(help="'every night', 'mon,wed,fri', '3 times a week', or an RRULE.")
    ] = "daily",
    at: Annotated[str, typer.Option(help="Local time of day, e.g. 21:30.")] = "21:00",
    duration: Annotated[str, typer.Option(help="20m, 2h...")] = "15m",
    starts: Annotated[
        str | None, typer.Option(help="First day, YYYY-MM-DD (default today).")
    ] = None,
    json: JsonFlag = False,
) -> None:
    """Add a recurring plan; adherence counts safety rest as excused, never missed."""
    from easein.services import plans as plan_service

    prof = STATE.profile()
    try:
        session_kind = SessionKind(kind.strip().lower())
    except ValueError:
        raise InvalidInput(
            f"kind: {kind!r} is not one of stretch, wear, partnered", field="kind"
        ) from None
    plan = plan_service.add_plan(
        STATE.app(),
        prof,
        name=name,
        kind=session_kind,
        schedule=schedule,
        at=plan_service.parse_clock(at),
        duration=parse_duration(duration),
        starts_on=parse_date(starts, field="starts") if starts else None,
    )
    if json:
        emit_json(plan_json(plan))
    else:
        typer.echo(
            f"Plan #{plan.id} {plan.name}: {plan.kind.value} {plan.rrule} at "
            f"{plan.at:%H:%M} for {format_duration(plan.duration)}."
        )


@plan_app.command("list")
def plan_list(
    all_: Annotated[bool, typer.Option("--all", help="Include ended plans.")] = False,
    json: JsonFlag = False,
) -> None:
    """List your plans with their next occurrence."""
    from easein.domain.schedule import occurrences
    from easein.services import plans as plan_service

    prof = STATE.profile()
    app = STATE.app()
    found = plan_service.list_plans(app, prof, include_ended=all_)
    if json:
        emit_json([plan_json(p) for p in found])
        return
    if not found:
        typer.echo("No plans yet.")
    now = app.now()
    for p in found:
        coming = occurrences(p, prof.tz, now, now + timedelta(days=15))
        when = f"next {coming[0].astimezone(prof.tz):%a %d %b %H:%M}" if coming else "none soon"
        end = f", ended {p.ended_on}" if p.ended_on else ""
        typer.echo(
            f"#{p.id} {p.name}: {p.kind.value} {p.rrule} at {p.at:%H:%M} for "
            f"{format_duration(p.duration)} ({when}{end})"
        )


@plan_app.command("end")
def plan_end(
    plan: Annotated[str, typer.Argument(help="The plan's name or #id.")],
    json: JsonFlag = False,
) -> None:
    """End a plan today (its history stays)."""
    from easein.services import plans as plan_service

    ended = plan_service.end_plan(STATE.app(), STATE.profile(), plan)
    if json:
        emit_json(plan_json(ended))
    else:
        typer.echo(f"Ended plan {ended.name}.")


def register(app: typer.Typer) -> None:
    app.command("stats")(stats)
    app.add_typer(plan_app, name="plan")
