"""The root of the `easein` command and its single error boundary.

Errors end here, once: bad input is one line on stderr and exit code 2 (nothing
was written: every service is one transaction); anything else is one line and
exit code 1, with the traceback only under EASEIN_DEBUG=1.
"""

import os
import sys
from typing import Annotated

import typer

from easein.cli import calendar, data, goals, guide, report, serve, stats, toys, training
from easein.cli.context import STATE
from easein.domain.errors import EaseInError

app = typer.Typer(
    name="easein",
    help="EaseIn: a private, safety-first companion for progressive anal training.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def root(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="SQLite file or database URL (default: EASEIN_DATABASE_URL, then the user "
            "data directory).",
        ),
    ] = None,
) -> None:
    """EaseIn keeps everything on this machine unless you export it."""
    STATE.db = db


training.register(app)
toys.register(app)
stats.register(app)
goals.register(app)
data.register(app)
guide.register(app)
report.register(app)
calendar.register(app)
serve.register(app)


def _fail(message: str, code: int) -> int:
    line = " ".join(message.split())
    sys.stderr.write(f"error: {line}\n")
    return code


# The rules' messages name no interface; on the command line, an error about one of
# these (field, code) pairs also says which option answers it.
OPTION_HINTS = {
    ("adult", "adult_required"): "--adult",
    ("confirm", "confirmation_required"): "--yes",
    ("item", "required"): "--item NAME",
    ("item", "retired_item"): "toy edit NAME --unretire",
    ("to", "out_of_range"): "--from/--to",
}


def _with_hint(error: EaseInError) -> str:
    hint = OPTION_HINTS.get((error.field or "", error.code))
    return f"{error.message} ({hint})" if hint and hint not in error.message else error.message


def run(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code (0 ok, 2 bad input, 1 other)."""
    command = typer.main.get_command(app)
    try:
        result = command.main(args=argv, prog_name="easein", standalone_mode=False)
        return result if isinstance(result, int) else 0
    except EaseInError as error:
        from easein.store.db import DatabaseUnavailable

        return _fail(_with_hint(error), 1 if isinstance(error, DatabaseUnavailable) else 2)
    except typer.TyperException as error:
        code = getattr(error, "exit_code", 1)
        return _fail(error.format_message(), 2 if code == 2 else code)
    except typer.Exit as done:
        return done.exit_code
    except typer.Abort:
        return _fail("aborted", 1)
    except (KeyboardInterrupt, EOFError):
        return _fail("interrupted", 1)
    except Exception as error:  # the last resort: never a traceback for a person
        if os.environ.get("EASEIN_DEBUG") == "1":
            raise
        return _fail(f"unexpected {type(error).__name__}: {error}", 1)
    finally:
        STATE.close()


def main() -> None:
    sys.exit(run())
