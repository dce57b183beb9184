"""`easein report`: the record to bring to a clinician, as a PDF."""

from pathlib import Path
from typing import Annotated

import typer

from easein.cli.context import STATE, emit_json
from easein.domain.errors import InvalidInput

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def _write(target: Path, data: bytes, *, force: bool) -> None:
    try:
        with target.open("wb" if force else "xb") as file:
            file.write(data)
    except FileExistsError:
        raise InvalidInput(
            f"output: {target} already exists; choose another --output or add --force",
            field="output",
            code="exists",
        ) from None
    except OSError as error:
        raise InvalidInput(
            f"output: cannot write {target}: {error.strerror}", field="output"
        ) from None
    target.chmod(0o600)  # the record is intimate: readable by its owner only


def report(
    from_: Annotated[
        str | None,
        typer.Option("--from", help="First day, YYYY-MM-DD (default: 90 days up to --to)."),
    ] = None,
    to: Annotated[
        str | None, typer.Option("--to", help="Last day, YYYY-MM-DD (default: today).")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="The PDF file (default: a new file in the current folder)."
        ),
    ] = None,
    notes: Annotated[bool, typer.Option("--notes", help="Include your free-text notes.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    json: JsonFlag = False,
) -> None:
    """A PDF for a clinician: items and sizes, sessions, pain, bleeding, conditions, state."""
    from easein.services.report import report_pdf

    made = report_pdf(STATE.app(), STATE.profile(), from_, to, notes=notes)
    target = output if output is not None else Path(made.filename)
    if target.is_dir():
        target = target / made.filename
    _write(target, made.pdf, force=force)
    if json:
        emit_json(
            {
                "path": str(target),
                "from": made.first_day.isoformat(),
                "to": made.last_day.isoformat(),
                "bytes": len(made.pdf),
                "notes": notes,
            }
        )
    else:
        typer.echo(f"Wrote {target}")


def register(app: typer.Typer) -> None:
    app.command("report")(report)
