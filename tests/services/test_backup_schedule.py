"""Automatic backups: a pass backs up when due and keeps the last N (the clock is injected)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from easein.domain.errors import InvalidInput
from easein.services.app import App, open_app
from easein.services.backup import Opening, read_backup
from easein.services.backup_schedule import backups_in, scheduled_pass
from easein.services.profile import init_local
from easein.settings import Settings
from tests.backup_world import age_key, sqlite_path
from tests.conftest import FakeClock

UNRELATED = (
    "notes.txt",
    "easein-backup-notes.age",
    "easein-backup-20200101T000000Z.age.sync-conflict",
    "easein-backup-20200101T000000Z-unencrypted.sqlite-backup",
    "other-20200101T000000Z.age",
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "Sync" / "easein"
    path.mkdir(parents=True)
    for name in UNRELATED:
        (path / name).write_text("not EaseIn's to delete")
    return path


@pytest.fixture
def key() -> tuple[str, str]:
    return age_key()


@pytest.fixture
def scheduled(
    database_url: str, folder: Path, key: tuple[str, str], clock: FakeClock
) -> Iterator[Callable[..., App]]:
    sqlite_path(database_url)
    made: list[App] = []

    def make(**settings: object) -> App:
        values: dict[str, object] = {
            "database_url": database_url,
            "backup_dir": str(folder),
            "backup_recipient": key[1],
            "backup_keep": 3,
            "backup_every_hours": 24,
        }
        values.update(settings)
        app = open_app(Settings(**values), clock=clock)  # type: ignore[arg-type]
        made.append(app)
        return app

    yield make
    for app in made:
        app.close()


def names(folder: Path) -> list[str]:
    return [path.name for _, path in backups_in(folder)]


def test_a_pass_backs_up_when_due_and_keeps_the_last_n(scheduled, folder, clock, key):
    app = scheduled()
    init_local(app, adult=True, timezone="Europe/Berlin", units="mm")
    first = scheduled_pass(app)
    assert first.made is not None and first.deleted == ()
    assert names(folder) == ["easein-backup-20260302T200000Z.age"]

    clock.advance(hours=23, minutes=59)
    assert scheduled_pass(app).made is None  # not due yet
    clock.advance(minutes=1)
    assert scheduled_pass(app).made is not None  # 24 hours after the first

    deleted: list[str] = []
    for _ in range(4):
        clock.advance(hours=25)
        done = scheduled_pass(app)
        assert done.made is not None
        deleted += [path.name for path in done.deleted]
    assert names(folder) == [
        "easein-backup-20260305T220000Z.age",
        "easein-backup-20260306T230000Z.age",
        "easein-backup-20260308T000000Z.age",
    ]
    assert deleted == [
        "easein-backup-20260302T200000Z.age",
        "easein-backup-20260303T200000Z.age",
        "easein-backup-20260304T210000Z.age",
    ]
    for name in UNRELATED:
        assert (folder / name).read_text() == "not EaseIn's to delete"
    newest = folder / names(folder)[-1]
    manifest, _ = read_backup(newest.read_bytes(), Opening(identities=(key[0],)), newest.name)
    assert manifest.created_at == clock.now


def test_a_smaller_keep_prunes_without_a_new_backup_when_none_is_due(scheduled, folder, clock):
    app = scheduled(backup_keep=5, backup_every_hours=1)
    for _ in range(5):
        scheduled_pass(app)
        clock.advance(hours=1)
    assert len(names(folder)) == 5
    app = scheduled(backup_keep=2, backup_every_hours=24)
    done = scheduled_pass(app)
    assert done.made is None and len(done.deleted) == 3
    assert len(names(folder)) == 2
    assert sorted(p.name for p in folder.iterdir() if p.name in UNRELATED) == sorted(UNRELATED)


def test_a_pass_without_a_backup_dir_is_refused(scheduled):
    app = scheduled(backup_dir="", backup_recipient="")
    with pytest.raises(InvalidInput, match="backup_dir"):
        scheduled_pass(app)


def test_backup_dir_without_a_recipient_is_refused_at_settings_load(tmp_path):
    with pytest.raises(InvalidInput, match="backup_recipient") as refused:
        Settings(backup_dir=str(tmp_path))
    assert "encrypted" in refused.value.message


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"backup_recipient": "age1notakey"}, "backup_recipient"),
        ({"backup_recipient": "AGE-SECRET-KEY-1" + "Q" * 58}, "backup_recipient"),
        ({"backup_every_hours": 0}, "backup_every_hours"),
        ({"backup_keep": 0}, "backup_keep"),
    ],
)
def test_bad_backup_settings_are_refused(values, field):
    with pytest.raises(InvalidInput) as refused:
        Settings(**values)
    assert refused.value.field == field


def test_backup_settings_come_from_the_environment(monkeypatch, tmp_path, key):
    from easein.settings import get_settings

    monkeypatch.setenv("EASEIN_BACKUP_DIR", str(tmp_path))
    with pytest.raises(InvalidInput, match="backup_recipient"):
        get_settings()
    monkeypatch.setenv("EASEIN_BACKUP_RECIPIENT", key[1])
    monkeypatch.setenv("EASEIN_BACKUP_KEEP", "14")
    settings = get_settings()
    assert (settings.backup_dir, settings.backup_keep, settings.backup_every_hours) == (
        str(tmp_path),
        14,
        24,
    )
