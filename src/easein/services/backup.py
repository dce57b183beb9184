"""Backups of the SQLite database: consistent while the app writes, encrypted with age.

A backup file is age-encrypted (to an X25519 recipient, or with a passphrase
through age's scrypt recipient) and holds, inside the encryption:

    EASEIN-BACKUP\\n
    {"format": 1, "schema_revision": "0006", "created_at": "...", "sha256": "...", "size": N}\\n
    <the SQLite database, N bytes>

Why the sqlite3 backup API in one step, into memory: one `backup_step(-1)`
copies every page inside a single read transaction, and under WAL a read
transaction sees one snapshot while writers go on appending to the WAL, so
the copy is consistent and nobody waits. (Stepping a few pages at a time is
not: a write by another connection restarts the copy, which under a steady
writer may never finish.) `VACUUM INTO` is consistent for the same reason (it
also reads in one transaction), but it writes its copy to a file: here the
copy stays in memory, is vacuumed there (so deleted rows in free pages do not
travel into the backup) and only ever reaches the disk encrypted.

With the `sqlcipher` setting the database inside is an SQLCipher file under the
database's own key (`_sqlcipher_snapshot`); `easein restore` tells the two kinds
apart by their first bytes and gives the target the kind its settings ask for.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import tempfile
from contextlib import closing, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from easein.domain.errors import Conflict, InvalidInput
from easein.services.app import App

MAGIC = b"EASEIN-BACKUP\n"
FORMAT_VERSION = 1
AGE_BINARY = b"age-encryption.org/v1\n"
AGE_ARMOR = b"-----BEGIN AGE ENCRYPTED FILE-----"
# Names of EaseIn's backups: the scheduled pass keeps or deletes only these.
NAME_FORMAT = "easein-backup-%Y%m%dT%H%M%SZ"
NAME_PATTERN = re.compile(r"easein-backup-(\d{8}T\d{6}Z)\.age")
PG_DUMP_HINT = (
    "this database is PostgreSQL: back it up with pg_dump and restore with pg_restore, e.g. "
    "`pg_dump --format=custom --dbname=URL | age -r AGE_PUBLIC_KEY > easein.dump.age` "
    "(see README, Backups); `easein backup` and `restore` handle SQLite files only"
)


@dataclass(frozen=True)
class Manifest:
    """What a backup says about itself (inside the encryption)."""

    schema_revision: str
    created_at: datetime
    sha256: str
    size: int
    format: int = FORMAT_VERSION
    # The installation key the payloads are sealed with, in encrypted backups only, so
    # that a backup restores on a new machine. Never in `to_json` (what is shown).
    installation_key: bytes | None = field(default=None, repr=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "schema_revision": self.schema_revision,
            "created_at": self.created_at.isoformat(),
            "sha256": self.sha256,
            "size": self.size,
        }


@dataclass(frozen=True)
class Sealing:
    """How a new backup is encrypted: to age recipients, with a passphrase, or not at all."""

    recipients: tuple[str, ...] = ()
    passphrase: str | None = None
    unencrypted: bool = False


@dataclass(frozen=True)
class Opening:
    """What opens a backup: age identities (AGE-SECRET-KEY-1...) or a passphrase."""

    identities: tuple[str, ...] = ()
    passphrase: str | None = None


def backup_name(now: datetime, *, encrypted: bool = True) -> str:
    stamp = now.astimezone(UTC).strftime(NAME_FORMAT)
    return f"{stamp}.age" if encrypted else f"{stamp}-unencrypted.sqlite-backup"


def require_sqlite(url: str) -> Path:
    """Return the SQLite file of `url`, or refuse: PostgreSQL is backed up with pg_dump."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        raise InvalidInput(PG_DUMP_HINT, field="database_url", code="use_pg_dump")
    if not parsed.database or parsed.database == ":memory:":
        raise InvalidInput("an in-memory database has nothing to back up", field="database_url")
    return Path(parsed.database)


# --- making a backup ---------------------------------------------------------------------


def snapshot(app: App) -> tuple[bytes, str]:
    """Return a consistent, vacuumed copy of the live database and its schema revision."""
    require_sqlite(str(app.db.engine.url))
    if app.settings.sqlcipher:
        return _sqlcipher_snapshot(app)
    raw = app.db.engine.raw_connection()
    try:
        source: sqlite3.Connection = raw.driver_connection  # type: ignore[assignment]
        with closing(sqlite3.connect(":memory:")) as copy:
            # pages=-1: every page in one step, inside one read transaction (see above).
            source.backup(copy, pages=-1)
            copy.execute("PRAGMA temp_store=MEMORY")  # VACUUM's scratch copy stays in memory
            copy.execute("VACUUM")
            row = copy.execute("SELECT version_num FROM alembic_version").fetchone()
            data = copy.serialize()
    finally:
        raw.close()
    if row is None:
        raise InvalidInput("the database has no schema revision", field="database_url")
    return data, str(row[0])


def _sqlcipher_snapshot(app: App) -> tuple[bytes, str]:
    """Return the snapshot of an SQLCipher database: encrypted like it, under the same key.

    SQLCipher's backup API copies only between databases under the same key, and its
    module cannot serialize a database from memory: the copy goes to a temporary file,
    encrypted from its first byte, so nothing of it reaches the disk in the clear. A
    backup of an SQLCipher database therefore holds an SQLCipher database (restore
    converts it when the target's setting differs).
    """
    from easein.store.keyfile import read_key_file
    from easein.store.sqlcipher import connect, database_key

    key = database_key(read_key_file(app.settings.resolved_key_file()))
    handle, name = tempfile.mkstemp(prefix=".easein-snapshot-", suffix=".db")  # 0600
    os.close(handle)
    temp = Path(name)
    raw = app.db.engine.raw_connection()
    try:
        with closing(connect(temp, key, isolation_level=None)) as copy:
            # pages=-1: every page in one step, inside one read transaction (see above).
            raw.driver_connection.backup(copy, pages=-1)  # type: ignore[union-attr]
            copy.execute("PRAGMA journal_mode=DELETE")  # one file, no WAL beside it
            copy.execute("PRAGMA temp_store=MEMORY")  # VACUUM's scratch copy stays in memory
            copy.execute("VACUUM")
            row = copy.execute("SELECT version_num FROM alembic_version").fetchone()
        data = temp.read_bytes()
    finally:
        raw.close()
        for leftover in (
            temp,
            *(temp.with_name(temp.name + s) for s in ("-journal", "-wal", "-shm")),
        ):
            with suppress(FileNotFoundError):
                leftover.unlink()
    if row is None:
        raise InvalidInput("the database has no schema revision", field="database_url")
    return data, str(row[0])


def check_sealing(sealing: Sealing) -> list[Any]:
    """Return the parsed age recipients, or refuse a missing, double or malformed choice."""
    import pyrage

    chosen = sum((bool(sealing.recipients), sealing.passphrase is not None, sealing.unencrypted))
    if chosen != 1:
        raise InvalidInput(
            "say who can open the backup: --recipient AGE_PUBLIC_KEY or --passphrase-file FILE "
            "(one of them), or --unencrypted if you really mean a plain copy",
            field="recipient",
            code="required",
        )
    if sealing.passphrase is not None and not sealing.passphrase:
        raise InvalidInput("the passphrase is empty", field="passphrase")
    recipients = []
    for text in sealing.recipients:
        try:
            recipients.append(pyrage.x25519.Recipient.from_str(text.strip()))
        except pyrage.RecipientError:
            raise InvalidInput(
                f"{text[:16]!r}... is not an age public key (age1...; `age-keygen -y KEYFILE` "
                "prints yours)",
                field="recipient",
            ) from None
    return recipients


def seal(payload: bytes, sealing: Sealing) -> bytes:
    """Return `payload` encrypted as `sealing` says (refusing to guess)."""
    import pyrage

    recipients = check_sealing(sealing)
    if sealing.unencrypted:
        return payload
    if sealing.passphrase is not None:
        return bytes(pyrage.passphrase.encrypt(payload, sealing.passphrase))
    return bytes(pyrage.encrypt(payload, recipients))


def make_backup(app: App, sealing: Sealing) -> tuple[bytes, Manifest]:
    """Return the bytes of a new backup file of the live database, and its manifest."""
    from easein.store.keyfile import key_text, read_key_file

    data, revision = snapshot(app)
    manifest = Manifest(
        schema_revision=revision,
        created_at=app.now(),
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
    )
    inside = manifest.to_json()
    if not sealing.unencrypted:  # a plain copy stays sealed: its key is not put beside it
        inside["installation_key"] = key_text(read_key_file(app.settings.resolved_key_file()))
    payload = MAGIC + orjson.dumps(inside) + b"\n" + data
    return seal(payload, sealing), manifest


@dataclass(frozen=True)
class Written:
    path: Path
    manifest: Manifest
    encrypted: bool


def write_backup(app: App, sealing: Sealing, to: Path, *, force: bool = False) -> Written:
    """Write a new backup to `to` (a folder gets a dated name), atomically, owner-only."""
    check_sealing(sealing)  # refuse a bad key before the copy is made
    target = to / backup_name(app.now(), encrypted=not sealing.unencrypted) if to.is_dir() else to
    if target.exists() and not force:
        raise Conflict(f"{target} exists: choose another name, or --force", field="to")
    if not target.parent.is_dir():
        raise InvalidInput(f"{target.parent} is not a folder", field="to")
    blob, manifest = make_backup(app, sealing)
    write_atomically(target, blob)
    return Written(target, manifest, not sealing.unencrypted)


def write_atomically(target: Path, data: bytes) -> None:
    """Write `data` next to `target`, fsync it, rename it over `target`, fsync the folder."""
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:  # mkstemp makes it 0600
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    fsync_folder(target.parent)


def fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- opening a backup --------------------------------------------------------------------


def damaged(name: str, why: str) -> InvalidInput:
    return InvalidInput(
        f"{name} is damaged ({why}): truncated, altered or not an EaseIn backup; nothing restored",
        field="file",
        code="backup_damaged",
    )


def unseal(blob: bytes, opening: Opening, name: str) -> bytes:
    """Return the decrypted payload of a backup file, or say clearly why not."""
    if blob.startswith(MAGIC):
        return blob  # an --unencrypted backup: its SHA-256 still guards it
    if not (blob.startswith(AGE_BINARY) or blob.startswith(AGE_ARMOR)):
        raise damaged(name, "no age or EaseIn header")
    import pyrage

    header = blob[:2048]
    by_passphrase = b"\n-> scrypt " in header
    try:
        if by_passphrase:
            if opening.passphrase is None:
                raise InvalidInput(
                    f"{name} is encrypted with a passphrase: give it with --passphrase-file FILE",
                    field="passphrase",
                    code="required",
                )
            return bytes(pyrage.passphrase.decrypt(blob, opening.passphrase))
        if not opening.identities:
            raise InvalidInput(
                f"{name} is encrypted to an age key: give its secret key with --identity FILE",
                field="identity",
                code="required",
            )
        identities = [parse_identity(text) for text in opening.identities]
        return bytes(pyrage.decrypt(blob, identities))
    except pyrage.DecryptError as error:
        reason = str(error)
        if reason in ("No matching keys found", "Decryption failed"):
            what = "passphrase" if by_passphrase else "identity"
            raise InvalidInput(
                f"the {what} given does not open {name} (wrong key, or the file was altered); "
                "nothing restored",
                field=what,
                code="backup_key_wrong",
            ) from None
        raise damaged(name, f"age: {reason}") from None


def parse_identity(text: str) -> Any:
    import pyrage

    try:
        return pyrage.x25519.Identity.from_str(text.strip())
    except pyrage.IdentityError:
        raise InvalidInput(
            "the identity file holds no age secret key (AGE-SECRET-KEY-1...)", field="identity"
        ) from None


def read_payload(payload: bytes, name: str) -> tuple[Manifest, bytes]:
    """Return the manifest and the database of a decrypted payload, checked against its hash."""
    if not payload.startswith(MAGIC):
        raise damaged(name, "no EaseIn header inside")
    line_end = payload.find(b"\n", len(MAGIC))
    if line_end < 0:
        raise damaged(name, "no manifest")
    try:
        raw = orjson.loads(payload[len(MAGIC) : line_end])
        manifest = Manifest(
            schema_revision=str(raw["schema_revision"]),
            created_at=datetime.fromisoformat(raw["created_at"]),
            sha256=str(raw["sha256"]),
            size=int(raw["size"]),
            format=int(raw["format"]),
            installation_key=_key_of(raw.get("installation_key"), name),
        )
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        raise damaged(name, "unreadable manifest") from None
    if manifest.format > FORMAT_VERSION:
        raise InvalidInput(
            f"{name} is backup format {manifest.format}, newer than this EaseIn reads "
            f"({FORMAT_VERSION}): upgrade EaseIn to restore it",
            field="file",
            code="backup_newer",
        )
    data = payload[line_end + 1 :]
    if len(data) != manifest.size or hashlib.sha256(data).hexdigest() != manifest.sha256:
        raise damaged(name, "the SHA-256 of the database does not match its manifest")
    return manifest, data


def _key_of(text: object, name: str) -> bytes | None:
    from easein.store.keyfile import parse_key_text

    if text is None:
        return None
    key = parse_key_text(str(text))
    if key is None:
        raise damaged(name, "the installation key inside is unreadable")
    return key


def read_backup(blob: bytes, opening: Opening, name: str) -> tuple[Manifest, bytes]:
    """Decrypt and check a backup file's bytes: return its manifest and database."""
    return read_payload(unseal(blob, opening, name), name)
