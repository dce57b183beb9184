"""`easein guide [topic]` and `easein emergency` (the lost-object protocol)."""

import sys
import time
from datetime import timedelta
from typing import Annotated

import typer

from easein.cli.context import console, emit_json

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]

# The guided emergency reads a monotonic clock; tests replace it.
monotonic = time.monotonic


def guide(
    topic: Annotated[str | None, typer.Argument(help="A topic; omit to list them.")] = None,
    search: Annotated[str | None, typer.Option(help="Find topics mentioning these words.")] = None,
    json: JsonFlag = False,
) -> None:
    """Read the guide: what training is, safety, bleeding, preparation, and more."""
    from easein import content

    if search is not None:
        hits = content.search(search)
        if json:
            emit_json([{"topic": t.slug, "title": t.title, "snippet": s} for t, s in hits])
            return
        if not hits:
            typer.echo(f"Nothing in the guide mentions {search!r}.")
        for t, snippet in hits:
            typer.echo(f"{t.slug:<14} {t.title}\n    {snippet}")
        return
    if topic is None:
        found = content.topics()
        if json:
            emit_json([{"topic": t.slug, "title": t.title} for t in found])
            return
        typer.echo("Guide topics (read one with `easein guide TOPIC`):")
        for t in found:
            typer.echo(f"  {t.slug:<14} {t.title}")
        return
    chosen = content.topic(topic)
    if json:
        emit_json({"topic": chosen.slug, "title": chosen.title, "body": chosen.body})
        return
    from rich.markdown import Markdown

    console().print(Markdown(f"# {chosen.title}\n\n{chosen.body}"))


def _minutes(value: timedelta | None) -> str:
    if value is None:
        return ""
    return f" (about {int(value.total_seconds() // 60)} minutes)"


def emergency(
    guided: Annotated[
        bool | None,
        typer.Option(
            "--guided/--no-guided", help="Walk through it step by step (default in a terminal)."
        ),
    ] = None,
    json: JsonFlag = False,
) -> None:
    """Something is inside and will not come out: what to do, now."""
    from easein.domain import emergency as protocol

    steps = protocol.protocol()
    if json:
        emit_json(
            [
                {
                    "step": s.step.value,
                    "title": s.title,
                    "instructions": list(s.instructions),
                    "minimum_minutes": (
                        None if s.minimum is None else s.minimum.total_seconds() / 60
                    ),
                }
                for s in steps
            ]
        )
        return
    if guided is None:
        guided = sys.stdin.isatty()
    if not guided:
        typer.echo("LOST OBJECT — what to do now")
        for number, s in enumerate(steps[:3], start=1):
            typer.echo(f"{number}. {s.title}{_minutes(s.minimum)}")
            for line in s.instructions:
                typer.echo(f"   - {line}")
        done = steps[3]
        typer.echo(f"When it is out: {' '.join(done.instructions)}")
        return
    _guided()


def _guided() -> None:
    from easein.domain import emergency as protocol

    step = protocol.Step.BEAR_DOWN
    started = monotonic()
    shown: protocol.Step | None = None
    while True:
        details = protocol.info(step)
        if shown is not step:
            typer.echo(f"\n== {details.title}{_minutes(details.minimum)} ==")
            for line in details.instructions:
                typer.echo(f"- {line}")
            shown = step
        if step in (protocol.Step.EMERGENCY_DEPARTMENT, protocol.Step.DONE):
            return
        came_out = typer.confirm("Has it come out?", default=False)
        elapsed = timedelta(seconds=monotonic() - started)
        decision = protocol.next_step(step, elapsed=elapsed, came_out=came_out)
        if decision.step is step:
            left = max(1, round(decision.wait.total_seconds() / 60))
            typer.echo(f"Keep going, relaxed: about {left} more minute(s) on this step.")
            continue
        step = decision.step
        started = monotonic()


def register(app: typer.Typer) -> None:
    app.command("guide")(guide)
    app.command("emergency")(emergency)
