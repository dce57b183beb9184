"""Backups of an SQLCipher database: the database inside stays SQLCipher-encrypted.

Round trips: to a new machine (the key comes from the backup), in place over the same
database, and across the setting (an encrypted backup restored as a plain database and
back), each time opened by the app with the target's settings and compared with what
was written. An --unencrypted backup holds an encrypted database and no key.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlcipher3  # noqa: F401  (a dependency: missing, these tests fail, never skip)

from easein.cli.context import STATE
from easein.domain.errors import Conflict, InvalidInput
from easein.services.app import App, open_app
from easein.services.backup import Opening, Sealing, make_backup, read_backup
from easein.services.exchange import delete_everything, export_document
from easein.services.profile import local_profile
from easein.services.restore import restore_backup
from easein.settings import Settings, cheap_hashing_for_tests_only
from easein.store.keyfile import read_key_file
from easein.store.sqlcipher import SQLITE_HEADER, database_key
from tests.backup_world import MARKER, age_key, build_world
from tests.cli.conftest import Cli, run_cli
from tests.conftest import FakeClock
from tests.store.test_sqlcipher import table_hashes


def cli_on(db: str, clock: FakeClock, capsys: pytest.CaptureFixture[str]) -> Cli:
    """Return a runner of `easein --db DB ...`, starting from no open app.

    A test elsewhere that invokes the command without `run()` can leave the CLI's
    cached app open on its own database: dropped here, or it would be used.
    """
    STATE.close()
    return run_cli(db, clock, capsys)


def settings_for(folder: Path, *, sqlcipher: bool = True) -> Settings:
    return cheap_hashing_for_tests_only(
        Settings(
            database_url=str(folder / "easein.db"),
            key_file=str(folder / "easein.key"),
            sqlcipher=sqlcipher,
        )
    )


def everything(app: App) -> dict:
    return export_document(app, local_profile(app))


def dates_of(document: dict) -> list[str]:
    return sorted({s["started_at"][:10] for s in document["sessions"]})


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


@pytest.fixture
def world(home: Path, clock: FakeClock) -> Iterator[App]:
    app = open_app(settings_for(home), clock=clock)
    build_world(app)
    yield app
    app.close()


@pytest.fixture
def keys() -> tuple[str, str]:
    return age_key()


def restore_into(folder: Path, blob: bytes, opening: Opening, *, sqlcipher: bool, **kw):
    settings = settings_for(folder, sqlcipher=sqlcipher)
    return restore_backup(
        blob,
        opening,
        settings.resolved_database_url(),
        name="backup",
        key_file=settings.resolved_key_file(),
        sqlcipher=sqlcipher,
        **{"overwrite": False, **kw},
    )


def test_the_database_inside_a_backup_stays_encrypted(world, home, keys):
    identity, recipient = keys
    blob, manifest = make_backup(world, Sealing(recipients=(recipient,)))
    assert MARKER.encode() not in blob
    inside, data = read_backup(blob, Opening(identities=(identity,)), "backup")
    assert not data.startswith(SQLITE_HEADER)
    for text in (MARKER, *dates_of(everything(world))):
        assert text.encode() not in data
    assert inside.installation_key == read_key_file(home / "easein.key")
    master = read_key_file(home / "easein.key")
    copy = home.parent / "inside.db"
    copy.write_bytes(data)
    assert table_hashes(copy, database_key(master)) == table_hashes(
        home / "easein.db", database_key(master)
    )


def test_round_trip_to_a_new_machine(world, home, keys, tmp_path, clock):
    identity, recipient = keys
    before = everything(world)
    blob, _ = make_backup(world, Sealing(recipients=(recipient,)))
    new = tmp_path / "new-machine"

    done = restore_into(new, blob, Opening(identities=(identity,)), sqlcipher=True)

    assert done.migrated_from is None
    assert read_key_file(new / "easein.key") == read_key_file(home / "easein.key")
    restored = (new / "easein.db").read_bytes()
    assert not restored.startswith(SQLITE_HEADER)
    assert MARKER.encode() not in restored
    assert sorted(p.name for p in new.iterdir()) == ["easein.db", "easein.key"]
    app = open_app(settings_for(new), clock=clock)
    try:
        assert everything(app) == before
    finally:
        app.close()


def test_round_trip_in_place_after_everything_was_deleted(world, home, keys, clock):
    identity, recipient = keys
    before = everything(world)
    blob, _ = make_backup(world, Sealing(recipients=(recipient,)))
    opening = Opening(identities=(identity,))
    delete_everything(world, local_profile(world), confirmed=True)

    # The live app holds the encrypted database open: the restore sees it (keyed).
    with pytest.raises(Conflict, match="in use"):
        restore_into(home, blob, opening, sqlcipher=True, overwrite=True)
    world.close()
    # The other account is still there: replacing it needs the confirmation.
    with pytest.raises(Conflict, match="holds records"):
        restore_into(home, blob, opening, sqlcipher=True)

    restore_into(home, blob, opening, sqlcipher=True, overwrite=True)
    assert not (home / "easein.db").read_bytes().startswith(SQLITE_HEADER)
    app = open_app(settings_for(home), clock=clock)
    try:
        assert everything(app) == before
    finally:
        app.close()


def test_an_encrypted_backup_restores_as_a_plain_database_with_the_setting_off(
    world, keys, tmp_path, clock
):
    identity, recipient = keys
    before = everything(world)
    blob, _ = make_backup(world, Sealing(recipients=(recipient,)))
    plain = tmp_path / "plain"

    restore_into(plain, blob, Opening(identities=(identity,)), sqlcipher=False)

    assert (plain / "easein.db").read_bytes().startswith(SQLITE_HEADER)
    app = open_app(settings_for(plain, sqlcipher=False), clock=clock)
    try:
        assert everything(app) == before
        # ...and a backup of that plain database restores encrypted again.
        blob, _ = make_backup(app, Sealing(recipients=(recipient,)))
    finally:
        app.close()
    _, inside = read_backup(blob, Opening(identities=(identity,)), "backup")
    assert inside.startswith(SQLITE_HEADER)
    again = tmp_path / "again"
    restore_into(again, blob, Opening(identities=(identity,)), sqlcipher=True)
    assert not (again / "easein.db").read_bytes().startswith(SQLITE_HEADER)
    app = open_app(settings_for(again), clock=clock)
    try:
        assert everything(app) == before
    finally:
        app.close()


def test_an_unencrypted_backup_holds_an_encrypted_database_and_no_key(world, home, tmp_path):
    before = everything(world)
    blob, _ = make_backup(world, Sealing(unencrypted=True))
    manifest, data = read_backup(blob, Opening(), "backup")
    assert manifest.installation_key is None
    assert not data.startswith(SQLITE_HEADER)
    assert MARKER.encode() not in blob
    for date in dates_of(before):
        assert date.encode() not in data

    # Without the key file the database inside cannot be restored, and nothing is.
    new = tmp_path / "no-key"
    with pytest.raises(InvalidInput, match="does not hold its key") as refused:
        restore_into(new, blob, Opening(), sqlcipher=True)
    assert refused.value.code == "key_unavailable"
    assert not (new / "easein.db").exists()

    # A key file of another database does not open it either.
    other = tmp_path / "other"
    open_app(settings_for(other)).close()
    with pytest.raises(InvalidInput, match="does not open the database in backup"):
        restore_into(other, blob, Opening(), sqlcipher=True, overwrite=True)

    # With the database's own key file in place, it restores.
    keyed = tmp_path / "keyed"
    keyed.mkdir()
    (keyed / "easein.key").write_bytes((home / "easein.key").read_bytes())
    restore_into(keyed, blob, Opening(), sqlcipher=True)
    app = open_app(settings_for(keyed))
    try:
        assert everything(app) == before
    finally:
        app.close()


def test_backup_and_restore_through_the_cli(world, home, keys, tmp_path, capsys, monkeypatch):

    identity, recipient = keys
    before = everything(world)
    world.close()
    id_file = tmp_path / "age-key.txt"
    id_file.write_text(identity + "\n")
    monkeypatch.setenv("EASEIN_SQLCIPHER", "true")
    monkeypatch.setenv("EASEIN_KEY_FILE", str(home / "easein.key"))
    made = cli_on(str(home / "easein.db"), FakeClock(), capsys)(
        "backup", "--recipient", recipient, "--to", str(tmp_path), "--json"
    )
    assert made.code == 0, made.err
    new = tmp_path / "new"
    monkeypatch.setenv("EASEIN_KEY_FILE", str(new / "easein.key"))
    restored = cli_on(str(new / "easein.db"), FakeClock(), capsys)(
        "restore", made.json()["path"], "--identity", str(id_file)
    )
    assert restored.code == 0, restored.err
    assert not (new / "easein.db").read_bytes().startswith(SQLITE_HEADER)
    app = open_app(settings_for(new))
    try:
        assert everything(app) == before
    finally:
        app.close()
