"""`easein backup` and `easein restore`: encrypted copies of the SQLite database."""

from pathlib import Path
from typing import Annotated

import typer

from easein.cli.context import STATE, emit_json
from easein.domain.errors import InvalidInput

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
PassphraseFile = Annotated[
    Path | None,
    typer.Option(
        "--passphrase-file",
        help="A file whose first line is the passphrase (age's scrypt; not on the command line).",
    ),
]


def _read(path: Path, what: str, field: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "not text"
        raise InvalidInput(f"cannot read the {what} {path}: {reason}", field=field) from None


def _passphrase(path: Path | None) -> str | None:
    if path is None:
        return None
    lines = _read(path, "passphrase file", "passphrase").splitlines()
    if not lines or not lines[0]:
        raise InvalidInput(f"the passphrase file {path} is empty", field="passphrase")
    return lines[0]


def _identities(path: Path | None) -> tuple[str, ...]:
    if path is None:
        return ()
    text = _read(path, "identity file", "identity")
    keys = tuple(line.strip() for line in text.splitlines() if line.strip().startswith("AGE-"))
    if not keys:
        raise InvalidInput(
            f"{path} holds no age secret key (a line AGE-SECRET-KEY-1...)", field="identity"
        )
    return keys


def _database_url() -> str:
    from easein.settings import get_settings

    return get_settings(database_url=STATE.db).resolved_database_url()


def backup(
    to: Annotated[
        Path | None,
        typer.Option("--to", help="A file, or a folder for a dated name (default: here)."),
    ] = None,
    recipient: Annotated[
        list[str] | None,
        typer.Option(
            "--recipient",
            "-r",
            help="age public key (age1...) that can open it; repeatable. "
            "Default: the backup_recipient setting.",
        ),
    ] = None,
    passphrase_file: PassphraseFile = None,
    unencrypted: Annotated[
        bool,
        typer.Option(
            "--unencrypted", help="A plain copy: anyone with the file reads dates and sizes."
        ),
    ] = False,
    scheduled: Annotated[
        bool,
        typer.Option("--scheduled", help="One pass of the automatic backups (for cron)."),
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    json: JsonFlag = False,
) -> None:
    """Back up the database, encrypted with age, while EaseIn may be running."""
    from easein.services.backup import Sealing, require_sqlite

    require_sqlite(_database_url())  # PostgreSQL: pg_dump, before opening anything
    if scheduled:
        if to or recipient or passphrase_file or unencrypted or force:
            raise InvalidInput(
                "--scheduled takes its folder and key from the settings (backup_dir, "
                "backup_recipient): give no other option",
                field="scheduled",
            )
        _scheduled(json)
        return
    settings_recipient = STATE.app().settings.backup_recipient.strip()
    recipients = tuple(recipient or ())
    passphrase = _passphrase(passphrase_file)
    if not recipients and passphrase is None and not unencrypted and settings_recipient:
        recipients = (settings_recipient,)
    from easein.services.backup import write_backup

    sealing = Sealing(recipients=recipients, passphrase=passphrase, unencrypted=unencrypted)
    written = write_backup(STATE.app(), sealing, to or Path.cwd(), force=force)
    if unencrypted:
        typer.echo(
            "warning: this backup is NOT encrypted: anyone who gets the file reads its dates, "
            "sizes and names; the rest opens only with the key file, which is not in it",
            err=True,
        )
    if json:
        emit_json(
            {
                "path": str(written.path),
                "encrypted": written.encrypted,
                **written.manifest.to_json(),
            }
        )
    else:
        typer.echo(f"Backed up to {written.path}")


def _scheduled(json: bool) -> None:
    from easein.services.backup_schedule import scheduled_pass

    done = scheduled_pass(STATE.app())
    if json:
        emit_json(
            {
                "folder": str(done.folder),
                "made": str(done.made.path) if done.made else None,
                "deleted": [str(p) for p in done.deleted],
                "next_due": done.next_due.isoformat() if done.next_due else None,
            }
        )
        return
    if done.made:
        typer.echo(f"Backed up to {done.made.path}")
    else:
        typer.echo(f"No backup due yet (next after {done.next_due:%Y-%m-%d %H:%M} UTC).")
    for path in done.deleted:
        typer.echo(f"Deleted old backup {path.name}")


def restore(
    file: Annotated[Path, typer.Argument(help="A backup made by `easein backup`.")],
    identity: Annotated[
        Path | None,
        typer.Option("--identity", "-i", help="The age secret key file (AGE-SECRET-KEY-1...)."),
    ] = None,
    passphrase_file: PassphraseFile = None,
    yes: Annotated[
        bool, typer.Option("--yes", help="Replace a database that holds records.")
    ] = False,
    json: JsonFlag = False,
) -> None:
    """Restore a backup in place of the database (stop `easein serve` first)."""
    from easein.services.backup import Opening, require_sqlite
    from easein.services.restore import restore_backup
    from easein.settings import get_settings

    settings = get_settings(database_url=STATE.db)
    url = settings.resolved_database_url()
    require_sqlite(url)  # PostgreSQL: pg_restore, before reading anything
    try:
        blob = file.read_bytes()
    except OSError as error:
        raise InvalidInput(f"cannot read {file}: {error.strerror}", field="file") from None
    opening = Opening(identities=_identities(identity), passphrase=_passphrase(passphrase_file))
    done = restore_backup(
        blob,
        opening,
        url,
        overwrite=yes,
        name=str(file),
        key_file=settings.resolved_key_file(),
        sqlcipher=settings.sqlcipher,
    )
    if json:
        emit_json(
            {
                "restored": True,
                "revision": done.revision,
                "migrated_from": done.migrated_from,
                **{f"backup_{k}": v for k, v in done.manifest.to_json().items()},
            }
        )
        return
    made = done.manifest.created_at
    migrated = f", migrated from {done.migrated_from}" if done.migrated_from else ""
    typer.echo(f"Restored the backup of {made:%Y-%m-%d %H:%M} UTC{migrated}.")


def register(app: typer.Typer) -> None:
    app.command("backup")(backup)
    app.command("restore")(restore)
