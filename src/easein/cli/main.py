"""The root of the `easein` command and its single error boundary.

Errors end here, once: bad input is one line on stderr and exit code 2 (nothing
was written: every service is one transaction); anything else is one line and
exit code 1, with the traceback only under EASEIN_DEBUG=1.
"""

import os
import sys
from collections.abc import Iterable
from importlib import import_module
from typing import Annotated

import typer

from easein.cli.context import STATE
from easein.domain.errors import EaseInError

HELP = "EaseIn: a private, safety-first companion for progressive anal training."

# Each module of easein.cli registers its commands with `register(app)`. `run`
# imports only the module of the command asked for (`easein status` does not load
# `report`, `backup` or `serve`), and all of them for help or an unknown name.
# Adding a command: register it in its module and name it here (a test checks
# that this map and the modules agree).
COMMANDS: dict[str, str] = {
    "init": "training",
    "profile": "training",
    "log": "training",
    "status": "training",
    "cleared": "training",
    "condition": "training",
    "history": "training",
    "toy": "toys",
    "ladder": "toys",
    "stats": "stats",
    "plan": "stats",
    "goal": "goals",
    "export": "data",
    "import": "data",
    "delete-everything": "data",
    "db": "data",
    "config": "data",
    "backup": "backup",
    "restore": "backup",
    "guide": "guide",
    "emergency": "guide",
    "report": "report",
    "calendar": "calendar",
    "notify": "notify",
    "worker": "notify",
    "purge": "purge",
    "serve": "serve",
}
MODULES = tuple(dict.fromkeys(COMMANDS.values()))


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


def make_app(modules: Iterable[str] = MODULES) -> typer.Typer:
    """Return the `easein` command with the commands of these modules of easein.cli."""
    made = typer.Typer(
        name="easein",
        help=HELP,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
    )
    made.callback()(root)
    for name in modules:
        import_module(f"easein.cli.{name}").register(made)
    return made


def __getattr__(name: str) -> typer.Typer:
    """`easein.cli.main.app`: the whole command tree (for the docs test and tools)."""
    if name == "app":
        return make_app()
    raise AttributeError(name)


def command_name(args: list[str]) -> str | None:
    """Return the command `args` ask for (after the root's options), or None."""
    rest = iter(args)
    for arg in rest:
        if arg == "--db":
            next(rest, None)
        elif not arg.startswith("-"):
            return arg
        elif not arg.startswith("--db="):
            return None  # --help, or an option the root does not have: let Typer answer
    return None


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
    args = sys.argv[1:] if argv is None else list(argv)
    module = COMMANDS.get(command_name(args) or "")
    command = typer.main.get_command(make_app((module,) if module else MODULES))
    try:
        result = command.main(args=args, prog_name="easein", standalone_mode=False)
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
