"""The restore drill: back up, wipe, restore, and everything is back, byte for byte.

Also: a wrong identity or passphrase, a truncated or altered file, a newer
schema and a database in use are refused with a clear error, and the target
is left exactly as it was.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from easein.domain.errors import Conflict, InvalidInput
from easein.services.app import App, open_app
from easein.services.backup import Opening, Sealing, make_backup, read_backup, write_backup
from easein.services.exchange import delete_everything, export_document
from easein.services.restore import restore_backup
from easein.settings import Settings, cheap_hashing_for_tests_only
from easein.store.db import make_engine
from easein.store.migrations import HEAD, alembic_config, current_revision
from tests.backup_world import (
    MARKER,
    age_key,
    build_world,
    counts,
    file_state,
    integrity,
    sqlite_path,
    table_hashes,
)
from tests.conftest import FakeClock


@pytest.fixture
def db_path(database_url: str) -> Path:
    return sqlite_path(database_url)


@pytest.fixture
def world(database_url: str, db_path: Path, clock: FakeClock) -> Iterator[App]:
    """An app on this test's SQLite database, filled through the services.

    `db_path` skips the test on a PostgreSQL run: these backups are SQLite's.
    """
    app = open_app(cheap_hashing_for_tests_only(Settings(database_url=database_url)), clock=clock)
    build_world(app)
    yield app
    app.close()


def backup_of(app: App, sealing: Sealing) -> bytes:
    return make_backup(app, sealing)[0]


def test_restore_drill_to_a_recipient_wipe_with_delete_everything(world, db_path, tmp_path):
    identity, recipient = age_key()
    profile_export = export_document(world, _profile(world))
    before = table_hashes(db_path)
    before_counts = counts(db_path)
    assert before_counts["people"] == 2 and before_counts["sessions"] == 6
    assert before_counts["toys"] == 3 and before_counts["conditions"] == 1
    assert before_counts["plans"] == 1 and before_counts["goals"] == 1
    written = write_backup(world, Sealing(recipients=(recipient,)), tmp_path)
    assert written.path.name.startswith("easein-backup-") and written.path.suffix == ".age"
    assert written.path.stat().st_mode & 0o777 == 0o600
    assert MARKER.encode() not in written.path.read_bytes()

    delete_everything(world, _profile(world), confirmed=True)
    world.close()
    assert counts(db_path)["sessions"] == 0

    # The other account (robin) is still there: replacing it needs the confirmation.
    with pytest.raises(Conflict):
        restore_backup(written.path.read_bytes(), Opening(identities=(identity,)),
                       f"sqlite:///{db_path}", overwrite=False, name="backup")  # fmt: skip
    done = restore_backup(written.path.read_bytes(), Opening(identities=(identity,)),
                          f"sqlite:///{db_path}", overwrite=True, name="backup")  # fmt: skip
    assert done.revision == HEAD and done.migrated_from is None
    assert integrity(db_path) == [("ok",)]
    assert table_hashes(db_path) == before
    again = open_app(Settings(database_url=f"sqlite:///{db_path}"))
    try:
        assert export_document(again, _profile(again)) == profile_export
    finally:
        again.close()


def test_restore_drill_with_a_passphrase_after_the_file_is_deleted(world, db_path, tmp_path):
    before = table_hashes(db_path)
    blob = backup_of(world, Sealing(passphrase="correct horse battery staple"))
    world.close()
    for path in (db_path, *db_path.parent.glob(db_path.name + "-*")):
        path.unlink()

    restore_backup(
        blob, Opening(passphrase="correct horse battery staple"), f"sqlite:///{db_path}",
        overwrite=False, name="backup",
    )  # fmt: skip
    assert integrity(db_path) == [("ok",)]
    assert table_hashes(db_path) == before
    assert not list(db_path.parent.glob(f".{db_path.name}.restore-*"))


@pytest.mark.parametrize(
    ("sealing", "opening", "says"),
    [
        ("recipient", "other identity", "does not open"),
        ("passphrase", "wrong passphrase", "does not open"),
        ("recipient", "passphrase", "--identity"),
        ("passphrase", "other identity", "--passphrase-file"),
    ],
)
def test_a_wrong_key_is_refused_and_the_target_is_untouched(world, db_path, sealing, opening, says):
    identity, recipient = age_key()
    other, _ = age_key()
    seal = (
        Sealing(recipients=(recipient,)) if sealing == "recipient" else Sealing(passphrase="right")
    )
    blob = backup_of(world, seal)
    world.close()
    key = {
        "other identity": Opening(identities=(other,)),
        "wrong passphrase": Opening(passphrase="wrong"),
        "passphrase": Opening(passphrase="right"),
    }[opening]
    untouched = file_state(db_path)
    with pytest.raises(InvalidInput) as refused:
        restore_backup(blob, key, f"sqlite:///{db_path}", overwrite=True, name="b.age")
    assert says in refused.value.message and "b.age" in refused.value.message
    assert "\n" not in refused.value.message
    assert file_state(db_path) == untouched
    assert identity  # the right one exists; it simply was not given


@pytest.mark.parametrize("cut", [0.999, 0.5, 0.01, "header", "one byte"])
def test_a_truncated_backup_is_refused_and_the_target_is_untouched(world, db_path, cut):
    identity, recipient = age_key()
    blob = backup_of(world, Sealing(recipients=(recipient,)))
    world.close()
    end = {"header": 40, "one byte": len(blob) - 1}.get(cut) or int(len(blob) * float(cut))
    untouched = file_state(db_path)
    with pytest.raises(InvalidInput) as refused:
        restore_backup(
            blob[:end], Opening(identities=(identity,)), f"sqlite:///{db_path}",
            overwrite=True, name="b.age",
        )  # fmt: skip
    assert refused.value.code in ("backup_damaged", "backup_key_wrong")
    assert "nothing restored" in refused.value.message
    assert file_state(db_path) == untouched


@pytest.mark.parametrize("where", [0.1, 0.5, 0.9])
def test_an_altered_backup_is_refused_encrypted_or_not(world, db_path, where):
    identity, recipient = age_key()
    encrypted = backup_of(world, Sealing(recipients=(recipient,)))
    plain = backup_of(world, Sealing(unencrypted=True))
    world.close()
    untouched = file_state(db_path)
    for blob, opening in ((encrypted, Opening(identities=(identity,))), (plain, Opening())):
        altered = bytearray(blob)
        altered[int(len(blob) * where)] ^= 0x01
        with pytest.raises(InvalidInput) as refused:
            restore_backup(
                bytes(altered), opening, f"sqlite:///{db_path}", overwrite=True, name="b"
            )
        assert refused.value.code == "backup_damaged", refused.value.message
    assert file_state(db_path) == untouched


def test_the_manifest_names_the_schema_and_the_hash_of_the_database(world):
    _, recipient = age_key()
    plain = backup_of(world, Sealing(unencrypted=True))
    manifest, data = read_backup(plain, Opening(), "b")
    assert manifest.schema_revision == HEAD and manifest.format == 1
    assert manifest.created_at == world.now()
    assert data.startswith(b"SQLite format 3\x00") and len(data) == manifest.size


def test_restoring_a_backup_of_an_older_schema_migrates_it(world, db_path, tmp_path):
    previous = ScriptDirectory.from_config(alembic_config(world.db.engine)).get_revision(HEAD)
    older = previous.down_revision
    assert isinstance(older, str)
    sessions_before = counts(db_path)["sessions"]
    world.close()
    from alembic import command

    engine = make_engine(f"sqlite:///{db_path}")
    command.downgrade(alembic_config(engine), older)
    engine.dispose()
    old_app = open_app(Settings(database_url=f"sqlite:///{db_path}"), migrate=False)
    blob, manifest = make_backup(old_app, Sealing(passphrase="p"))
    old_app.close()
    assert manifest.schema_revision == older

    target = tmp_path / "restored.db"
    done = restore_backup(blob, Opening(passphrase="p"), f"sqlite:///{target}", overwrite=False,
                          name="b")  # fmt: skip
    assert done.migrated_from == older and done.revision == HEAD
    engine = make_engine(f"sqlite:///{target}")
    assert current_revision(engine) == HEAD
    engine.dispose()
    assert integrity(target) == [("ok",)]
    assert counts(target)["sessions"] == sessions_before


def test_a_backup_of_a_newer_schema_is_refused(world, db_path, tmp_path):
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
        conn.commit()
    blob, manifest = make_backup(world, Sealing(passphrase="p"))
    world.close()
    assert manifest.schema_revision == "9999"
    target = tmp_path / "elsewhere" / "restored.db"
    target.parent.mkdir()
    with pytest.raises(InvalidInput) as refused:
        restore_backup(blob, Opening(passphrase="p"), f"sqlite:///{target}", overwrite=True,
                       name="b")  # fmt: skip
    assert refused.value.code == "backup_newer"
    assert "newer EaseIn" in refused.value.message and "upgrade EaseIn" in refused.value.message
    assert list(target.parent.iterdir()) == []


def test_a_database_with_records_is_replaced_only_when_confirmed(world, db_path, tmp_path):
    blob = backup_of(world, Sealing(passphrase="p"))
    world.close()
    untouched = file_state(db_path)
    with pytest.raises(Conflict) as refused:
        restore_backup(blob, Opening(passphrase="p"), f"sqlite:///{db_path}", overwrite=False,
                       name="b")  # fmt: skip
    assert refused.value.code == "confirmation_required"
    assert file_state(db_path) == untouched


def test_a_database_in_use_by_another_connection_is_not_replaced(world, db_path):
    blob = backup_of(world, Sealing(passphrase="p"))
    world.close()
    with closing(sqlite3.connect(db_path)) as other:  # an `easein serve`, say
        other.execute("SELECT count(*) FROM sessions").fetchone()
        untouched = file_state(db_path)
        with pytest.raises(Conflict) as refused:
            restore_backup(blob, Opening(passphrase="p"), f"sqlite:///{db_path}",
                           overwrite=True, name="b")  # fmt: skip
        assert refused.value.code == "database_in_use"
        assert file_state(db_path) == untouched


def test_a_backup_needs_exactly_one_way_to_open_it(world, tmp_path):
    _, recipient = age_key()
    folder = tmp_path / "backups"
    folder.mkdir()
    for sealing in (
        Sealing(),
        Sealing(recipients=(recipient,), passphrase="p"),
        Sealing(passphrase="p", unencrypted=True),
    ):
        with pytest.raises(InvalidInput, match="say who can open"):
            write_backup(world, sealing, folder)
    with pytest.raises(InvalidInput, match="not an age public key"):
        write_backup(world, Sealing(recipients=("age1nonsense",)), folder)
    assert list(folder.iterdir()) == []


def test_postgresql_is_backed_up_with_pg_dump():
    from easein.services.backup import require_sqlite

    with pytest.raises(InvalidInput, match="pg_dump"):
        require_sqlite("postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _profile(app: App):  # type: ignore[no-untyped-def]
    from easein.services.profile import local_profile

    return local_profile(app)
