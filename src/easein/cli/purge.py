"""`easein purge --scheduled`: auto-delete old entries for the people who turned it on."""

from typing import Annotated

import typer

from easein.cli.context import STATE, emit_json


def purge(
    scheduled: Annotated[
        bool,
        typer.Option(
            "--scheduled",
            help="Delete entries older than each person's auto-delete setting (for cron).",
        ),
    ] = False,
    json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Delete old entries for everyone who turned auto-delete on in Settings (run daily)."""
    from easein.domain.errors import InvalidInput
    from easein.services.auto_delete import purge_due

    if not scheduled:
        raise InvalidInput(
            "purge: say --scheduled (deletes what each person's auto-delete setting says)",
            field="scheduled",
        )
    done = purge_due(STATE.app())
    totals = {
        "people": len(done),
        "sessions": sum(p.sessions for p in done.values()),
        "conditions": sum(p.conditions for p in done.values()),
        "check_ins": sum(p.check_ins for p in done.values()),
    }
    if json:
        emit_json(totals)
        return
    typer.echo(
        f"Auto-delete for {totals['people']} people: {totals['sessions']} sessions, "
        f"{totals['conditions']} conditions, {totals['check_ins']} check-ins deleted."
    )


def register(app: typer.Typer) -> None:
    app.command("purge")(purge)
