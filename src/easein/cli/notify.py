"""`easein notify ...`: where reminders go (Apprise URLs), quiet hours and wording;
`easein worker`: send what is due, once or in a loop."""

from datetime import time
from typing import TYPE_CHECKING, Annotated

import typer

from easein.cli.context import STATE, emit_json
from easein.domain.errors import InvalidInput

if TYPE_CHECKING:
    from easein.services.notify_channels import Channel

notify_app = typer.Typer(help="Reminders and notifications: channels, quiet hours, wording.")

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def _channel_json(channel: "Channel") -> dict[str, object]:
    return {
        "id": channel.id,
        "label": channel.label,
        "service": channel.service,
        "host": channel.host,
        "created_at": channel.created_at.isoformat(),
    }


@notify_app.command("add")
def notify_add(
    url: Annotated[str, typer.Argument(help="An Apprise URL, e.g. ntfy://ntfy.sh/your-topic.")],
    label: Annotated[str, typer.Option("--label", help="Your name for this channel.")] = "",
    json: JsonFlag = False,
) -> None:
    """Add a channel (kept secret: its URL is never shown again)."""
    from easein.services import notify_channels as service

    app = STATE.app()
    made = service.add_channel(app, STATE.profile().person_id, url, label)
    if json:
        emit_json(_channel_json(made))
    else:
        typer.echo(f"Added channel {made.id}: {made.service} ({made.host or 'local'}).")


@notify_app.command("list")
def notify_list(json: JsonFlag = False) -> None:
    """Your channels: id, service and host (never the URL)."""
    from easein.services import notify_channels as service

    found = service.list_channels(STATE.app(), STATE.profile().person_id)
    if json:
        emit_json([_channel_json(c) for c in found])
        return
    if not found:
        typer.echo("No channels yet: easein notify add URL")
    for c in found:
        label = f"  {c.label}" if c.label else ""
        typer.echo(f"{c.id}  {c.service} ({c.host or 'local'}){label}")


@notify_app.command("remove")
def notify_remove(
    channel_id: Annotated[int, typer.Argument(help="The channel's id (easein notify list).")],
    json: JsonFlag = False,
) -> None:
    """Remove a channel."""
    from easein.services import notify_channels as service

    service.remove_channel(STATE.app(), STATE.profile().person_id, channel_id)
    if json:
        emit_json({"removed": channel_id})
    else:
        typer.echo(f"Channel {channel_id} removed.")


@notify_app.command("test")
def notify_test(
    channel_id: Annotated[int, typer.Argument(help="The channel's id (easein notify list).")],
    json: JsonFlag = False,
) -> None:
    """Send a neutral test message to a channel now (exit 1 if it did not go through)."""
    from easein.services import notify_channels as service

    delivered = service.send_test(STATE.app(), STATE.profile().person_id, channel_id)
    if json:
        emit_json({"delivered": delivered})
    elif delivered:
        typer.echo("Test message sent.")
    if not delivered:
        if not json:
            typer.echo("error: the test message did not go through; check the URL", err=True)
        raise typer.Exit(1)


def parse_quiet(text: str) -> tuple[time | None, time | None]:
    """Return (start, end) from "22:00-07:00"."""
    from easein.services.notify_channels import parse_clock

    start, sep, end = text.partition("-")
    if not sep:
        raise InvalidInput(
            f"quiet: {text!r} is not a span; write it like 22:00-07:00", field="quiet"
        )
    return parse_clock(start.strip(), "quiet"), parse_clock(end.strip(), "quiet")


@notify_app.command("settings")
def notify_settings(
    lead: Annotated[
        int | None, typer.Option("--lead", help="Minutes before a plan to remind you (0-1440).")
    ] = None,
    quiet: Annotated[
        str | None, typer.Option("--quiet", help="Quiet hours, local time: 22:00-07:00.")
    ] = None,
    no_quiet: Annotated[bool, typer.Option("--no-quiet", help="No quiet hours.")] = False,
    explicit: Annotated[
        bool | None,
        typer.Option("--explicit/--neutral", help="Name plans and kinds, or neutral words."),
    ] = None,
    json: JsonFlag = False,
) -> None:
    """Show or change reminder lead time, quiet hours and wording."""
    from easein.services import notify_channels as service

    if quiet is not None and no_quiet:
        raise InvalidInput("give --quiet or --no-quiet, not both", field="quiet")
    start: time | None = None
    end: time | None = None
    if quiet is not None:
        start, end = parse_quiet(quiet)
    app = STATE.app()
    person = STATE.profile().person_id
    prefs = service.set_prefs(
        app,
        person,
        lead_minutes=lead,
        quiet_start=start,
        quiet_end=end,
        quiet=False if no_quiet else None,
        explicit=explicit,
    )
    lead_min = int(prefs.lead.total_seconds()) // 60
    span = (
        f"{prefs.quiet_start:%H:%M}-{prefs.quiet_end:%H:%M}"
        if prefs.quiet_start and prefs.quiet_end
        else None
    )
    if json:
        emit_json({"lead_minutes": lead_min, "quiet": span, "explicit": prefs.explicit})
        return
    typer.echo(
        f"Reminders {lead_min} minutes before; quiet hours: {span or 'none'}; "
        f"wording: {'explicit' if prefs.explicit else 'neutral'}."
    )


def worker(
    once: Annotated[bool, typer.Option("--once", help="One pass, then exit (for cron).")] = False,
    interval: Annotated[
        int | None,
        typer.Option("--interval", help="Seconds between passes (default: the setting).", min=5),
    ] = None,
    json: JsonFlag = False,
) -> None:
    """Send the reminders and notifications that are due (alongside or instead of serve)."""
    import threading

    from easein.services import outbox
    from easein.services.scheduler import loop

    app = STATE.app()
    if once:
        done = outbox.run_once(app)
        if json:
            emit_json(vars(done))
        else:
            typer.echo(
                f"planned {done.planned}, sent {done.sent}, failed {done.failed}, "
                f"skipped {done.skipped}"
            )
        return
    typer.echo("EaseIn worker: sending what is due (Ctrl-C stops).", err=True)
    stop = threading.Event()
    try:
        loop(app, interval or app.settings.notify_interval_seconds, stop, lambda: None)
    except KeyboardInterrupt:
        stop.set()


def register(app: typer.Typer) -> None:
    app.add_typer(notify_app, name="notify")
    app.command("worker")(worker)
