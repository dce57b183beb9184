"""`easein export`, `import`, `delete-everything`, `db upgrade`, `db encrypt`, `config show`."""

import sys
from pathlib import Path
from typing import Annotated

import orjson
import typer

from easein.cli.context import STATE, emit_json
from easein.domain.errors import InvalidInput

db_app = typer.Typer(help="The database: migrations, whole-file encryption.")
config_app = typer.Typer(help="Settings: defaults < config file < EASEIN_* < flags.")
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def export(
    format_: Annotated[
        str, typer.Option("--format", help="json (everything) or csv (sessions).")
    ] = "json",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file instead of the screen."),
    ] = None,
) -> None:
    """Export your data. It stays where you put it: nothing is sent anywhere."""
    from easein.services import exchange

    profile = STATE.profile()
    if format_ == "json":
        text = (
            orjson.dumps(
                exchange.export_document(STATE.app(), profile), option=orjson.OPT_INDENT_2
            ).decode()
            + "\n"
        )
    elif format_ == "csv":
        text = exchange.export_sessions_csv(STATE.app(), profile)
    else:
        raise InvalidInput(f"unknown format {format_!r}: use json or csv", field="format")
    if output is None:
        sys.stdout.write(text)
        return
    output.write_text(text, encoding="utf-8")
    output.chmod(0o600)  # the data is intimate: readable by its owner only
    typer.echo(f"Wrote {output}", err=True)


def import_(
    file: Annotated[Path, typer.Argument(help="A JSON export ('-' reads standard input).")],
    json: JsonFlag = False,
) -> None:
    """Import a JSON export into an empty database (all or nothing)."""
    try:
        raw_text = sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
    except OSError as error:
        raise InvalidInput(f"cannot read {file}: {error.strerror}", field="file") from None
    try:
        raw = orjson.loads(raw_text)
    except orjson.JSONDecodeError as error:
        raise InvalidInput(f"{file} is not JSON: {error}", field="file") from None
    from easein.services import exchange

    profile = exchange.import_document(STATE.app(), raw)
    if json:
        emit_json({"imported": True, "person_id": profile.person_id})
    else:
        typer.echo("Imported.")


def delete_everything(
    yes: Annotated[bool, typer.Option("--yes", help="Skip the typed confirmation.")] = False,
    json: JsonFlag = False,
) -> None:
    """Delete your profile and every record, for good."""
    profile = STATE.profile()
    if not yes and sys.stdin.isatty():
        typed = typer.prompt("This deletes everything and cannot be undone. Type DELETE")
        yes = typed.strip() == "DELETE"
    from easein.services import exchange

    exchange.delete_everything(STATE.app(), profile, confirmed=yes)
    if json:
        emit_json({"deleted": True})
    else:
        typer.echo("Everything is deleted.")


@db_app.command("upgrade")
def db_upgrade(json: JsonFlag = False) -> None:
    """Apply the database migrations (also done automatically on start-up)."""
    from easein.store.migrations import current_revision

    app = STATE.app()  # opening the app migrates
    revision = current_revision(app.db.engine)
    if json:
        emit_json({"revision": revision})
    else:
        typer.echo(f"Database at revision {revision}.")


@db_app.command("encrypt")
def db_encrypt(json: JsonFlag = False) -> None:
    """Encrypt the SQLite database with SQLCipher, once (stop `easein serve` first)."""
    from datetime import UTC, datetime

    from easein.services.encrypt_database import encrypt_database
    from easein.settings import get_settings

    settings = get_settings(database_url=STATE.db)
    now = STATE.clock() if STATE.clock else datetime.now(UTC)
    path = encrypt_database(settings, now)
    if json:
        emit_json({"encrypted": True, "path": str(path), "sqlcipher_setting": settings.sqlcipher})
        return
    typer.echo(f"Encrypted {path} with SQLCipher.")
    if not settings.sqlcipher:
        typer.echo(
            "Now set sqlcipher = true (config.toml, or EASEIN_SQLCIPHER=true): EaseIn opens "
            "this database only with it."
        )


@config_app.command("show")
def config_show(json: JsonFlag = False) -> None:
    """Show the effective settings and where the database is."""
    from easein.settings import default_config_file, get_settings, setting_fields

    settings = get_settings(database_url=STATE.db)
    values = settings.as_dict()
    values["database_url"] = settings.resolved_database_url()
    if json:
        emit_json({"config_file": str(default_config_file()), "settings": values})
        return
    typer.echo(f"config file: {default_config_file()}")
    for name, field in setting_fields().items():
        typer.echo(f"{name} = {values[name]!r}    # {field.metadata['help']}")


def register(app: typer.Typer) -> None:
    app.command("export")(export)
    app.command("import")(import_)
    app.command("delete-everything")(delete_everything)
    app.add_typer(db_app, name="db")
    app.add_typer(config_app, name="config")
