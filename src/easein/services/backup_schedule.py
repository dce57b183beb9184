"""Automatic backups to a folder (Syncthing, Nextcloud...), keeping the last N.

One pass: make a backup if the newest in the folder is at least
`backup_every_hours` old, then delete the oldest beyond `backup_keep`. Only
files named like EaseIn's backups (`easein-backup-YYYYMMDDTHHMMSSZ.age`) are
counted or deleted; anything else in the folder is left alone. The age of a
backup is read from its name, not from the file's time, which sync tools
rewrite.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from easein.domain.errors import InvalidInput
from easein.services.app import App
from easein.services.backup import NAME_PATTERN, Sealing, Written, write_backup


@dataclass(frozen=True)
class Pass:
    """What one scheduled pass did."""

    folder: Path
    made: Written | None
    deleted: tuple[Path, ...] = field(default=())
    next_due: datetime | None = None


def backups_in(folder: Path) -> list[tuple[datetime, Path]]:
    """Return EaseIn's backups in `folder`, oldest first, with the time in their names."""
    found = []
    for path in folder.iterdir():
        match = NAME_PATTERN.fullmatch(path.name)
        if match and path.is_file():
            made = datetime.strptime(match.group(1), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            found.append((made, path))
    return sorted(found)


def scheduled_pass(app: App) -> Pass:
    """Run one pass of the automatic backups the settings describe (at `app.now()`)."""
    settings = app.settings
    if not settings.backup_dir.strip():
        raise InvalidInput(
            "automatic backups are off: set backup_dir (and backup_recipient) first",
            field="backup_dir",
            code="required",
        )
    folder = Path(settings.backup_dir).expanduser()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    every = timedelta(hours=settings.backup_every_hours)
    now = app.now()
    existing = backups_in(folder)
    made = None
    # A backup named in the future (a clock set back) counts as the newest: no storm
    # of backups, and it ages out by count like any other.
    if not existing or now - existing[-1][0] >= every:
        sealing = Sealing(recipients=(settings.backup_recipient,))
        made = write_backup(app, sealing, folder)
        existing = backups_in(folder)
    deleted = []
    for _, path in existing[: max(0, len(existing) - settings.backup_keep)]:
        path.unlink(missing_ok=True)
        deleted.append(path)
    newest = existing[-1][0] if existing else now
    return Pass(folder, made, tuple(deleted), newest + every)
