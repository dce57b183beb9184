"""`easein backup` and `easein restore`: good paths, and bad input as one line with exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.backup_world import age_key, file_state, sqlite_path
from tests.cli.conftest import Cli, Trainee, log_session
from tests.cli.test_bad_input import assert_refused
from tests.conftest import FakeClock


@pytest.fixture
def logged(trainee: Trainee, clock: FakeClock, database_url: str) -> Trainee:
    sqlite_path(database_url)
    log_session(trainee.cli, clock, "2026-03-01 21:00", "small", extra=("--notes", "secret"))
    log_session(trainee.cli, clock, "2026-03-02 19:00", "finger", "small")
    return trainee


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, str]:
    identity, recipient = age_key()
    path = tmp_path / "key.txt"
    path.write_text(f"# created: for the test\n# public key: {recipient}\n{identity}\n")
    return path, recipient


def history(cli: Cli) -> list[dict[str, object]]:
    result = cli("history", "--json")
    assert result.code == 0, result.err
    return result.json()


def test_backup_to_a_recipient_and_restore_into_an_empty_database(logged, keys, tmp_path, make_cli):
    key_file, recipient = keys
    result = logged.cli("backup", "--recipient", recipient, "--to", str(tmp_path), "--json")
    assert result.code == 0, result.err
    made = result.json()
    assert made["encrypted"] is True and made["schema_revision"]
    path = Path(made["path"])
    assert path.parent == tmp_path and path.name.startswith("easein-backup-")
    assert b"secret" not in path.read_bytes()

    other = make_cli(f"sqlite:///{tmp_path / 'new' / 'easein.db'}")
    restored = other("restore", str(path), "--identity", str(key_file))
    assert restored.code == 0, restored.err
    assert "Restored the backup of" in restored.out
    assert history(other) == history(logged.cli)


def test_backup_with_a_passphrase_file_and_restore_over_records_with_yes(logged, tmp_path, clock):
    secret = tmp_path / "passphrase"
    secret.write_text("correct horse battery staple\n")
    target = tmp_path / "easein.age"
    made = logged.cli("backup", "--passphrase-file", str(secret), "--to", str(target))
    assert made.code == 0, made.err
    before = history(logged.cli)
    log_session(logged.cli, clock, "2026-03-02 21:00", "small")  # after the backup

    refused = logged.cli("restore", str(target), "--passphrase-file", str(secret))
    assert_refused(refused, "holds records", "--yes")
    done = logged.cli("restore", str(target), "--passphrase-file", str(secret), "--yes", "--json")
    assert done.code == 0, done.err
    assert done.json()["restored"] is True
    assert history(logged.cli) == before


def test_an_unencrypted_backup_needs_the_flag_and_warns(logged, tmp_path):
    target = tmp_path / "plain.bak"
    result = logged.cli("backup", "--unencrypted", "--to", str(target))
    assert result.code == 0, result.err
    assert "NOT encrypted" in result.err
    assert target.stat().st_mode & 0o777 == 0o600


def test_an_existing_file_is_not_overwritten_without_force(logged, keys, tmp_path):
    target = tmp_path / "b.age"
    target.write_text("keep me")
    result = logged.cli("backup", "--recipient", keys[1], "--to", str(target))
    assert_refused(result, "exists", "--force")
    assert target.read_text() == "keep me"


def test_scheduled_backups_use_the_settings(logged, keys, tmp_path, monkeypatch):
    folder = tmp_path / "Sync"
    monkeypatch.setenv("EASEIN_BACKUP_DIR", str(folder))
    monkeypatch.setenv("EASEIN_BACKUP_RECIPIENT", keys[1])
    first = logged.cli("backup", "--scheduled", "--json")
    assert first.code == 0, first.err
    assert first.json()["made"] and len(list(folder.glob("easein-backup-*.age"))) == 1
    second = logged.cli("backup", "--scheduled")
    assert second.code == 0 and "No backup due yet" in second.out


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("backup",), ("--recipient", "--passphrase-file")),
        (("backup", "--recipient", "age1nonsense"), ("not an age public key",)),
        (("backup", "--passphrase-file", "/nonexistent/pw"), ("cannot read",)),
        (("backup", "--scheduled"), ("backup_dir",)),
        (("backup", "--scheduled", "--unencrypted"), ("--scheduled",)),
        (("restore", "/nonexistent/backup.age"), ("cannot read",)),
    ],
)
def test_bad_backup_input_is_one_line_and_exit_2(logged, args, says):
    assert_refused(logged.cli(*args), *says)


def test_a_wrong_key_and_a_truncated_file_change_nothing(logged, keys, tmp_path, database_url):
    key_file, recipient = keys
    target = tmp_path / "b.age"
    assert logged.cli("backup", "-r", recipient, "--to", str(target)).code == 0
    wrong = tmp_path / "wrong.txt"
    wrong.write_text(age_key()[0] + "\n")
    truncated = tmp_path / "cut.age"
    truncated.write_bytes(target.read_bytes()[:-100])
    db = sqlite_path(database_url)
    untouched = file_state(db)
    assert_refused(logged.cli("restore", str(target), "-i", str(wrong), "--yes"), "does not open")
    assert_refused(logged.cli("restore", str(truncated), "-i", str(key_file), "--yes"), "damaged")
    assert_refused(logged.cli("restore", str(target), "--yes"), "--identity")
    assert_refused(logged.cli("restore", str(target), "-i", str(tmp_path)), "cannot read")
    assert file_state(db) == untouched


def test_a_backup_setting_without_a_recipient_is_refused(logged, tmp_path, monkeypatch):
    monkeypatch.setenv("EASEIN_BACKUP_DIR", str(tmp_path))
    assert_refused(logged.cli("status"), "backup_recipient")


@pytest.mark.parametrize("command", ["backup", "restore"])
def test_postgresql_points_to_pg_dump(make_cli, command, tmp_path):
    # Port 1: nothing listens; the command must refuse before it tries to connect.
    cli = make_cli("postgresql+psycopg://postgres@127.0.0.1:1/easein")
    args = ["backup", "--passphrase-file", "x"] if command == "backup" else ["restore", "x.age"]
    assert_refused(cli(*args), "pg_dump")
