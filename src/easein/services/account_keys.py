"""Each account's data key, held by the person: wrapped, never stored in the clear.

The data key is 256 random bits made at sign-up (or at the first sign-in of an account
made before). It is stored only wrapped (`store.custody`):

- under Argon2id of the password, with its own salt (never the sign-in hash's);
- under the recovery key, when there is one;
- under a key derived from each sign-in's token (browser, personal access token, a
  two-step sign-in half done), which only the client holds: the database keeps the
  token's SHA-256, which does not give that key.

So the key is at hand while the person is signed in (`Principal.data_key`), and the
database with its key file alone does not give it. The account's X25519 key pair is
made with it, its private half wrapped under the data key, for sealed partner sharing.

What is sealed under it: the session notes (`services.sealed_notes`), and, through the
key pair, the pairing keys that seal a partner's copies of them. The other payloads are
still sealed under keys derived from the installation key (`store.codec`), because
reminders, the calendar feed, the safety rules and a partner's view read them with
nobody signed in (docs/security.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session as DbSession

from easein.domain.passwords import normalise
from easein.services.app import App
from easein.store.account_models import AccountKeyRow
from easein.store.crypto import new_key
from easein.store.custody import KeyPair, PasswordKdf, recovery_kek, secret_kek, unwrap, wrap

PASSWORD, RECOVERY, SIGN_IN, PRIVATE = "password", "recovery", "sign-in", "x25519-private"


@dataclass(frozen=True)
class PasswordKek:
    """A key-encryption key derived from a password, with its fresh salt and parameters.

    Derived before a write (`password_kek`), so that no lock waits on Argon2id.
    """

    kdf: PasswordKdf
    kek: bytes = field(repr=False)


def password_kek(app: App, password: str) -> PasswordKek:
    """Derive a new key-encryption key from `password` (one Argon2id, a new salt)."""
    s = app.settings
    kdf = PasswordKdf.fresh(
        time_cost=s.argon2_time_cost,
        memory_kib=s.argon2_memory_kib,
        parallelism=s.argon2_parallelism,
    )
    return PasswordKek(kdf, kdf.derive(normalise(password)))


def _kdf_of(row: AccountKeyRow) -> PasswordKdf:
    return PasswordKdf(row.salt, row.time_cost, row.memory_kib, row.parallelism)


def create(
    db: DbSession,
    app: App,
    account_id: int,
    password: PasswordKek,
    recovery_key: bytes | None = None,
) -> bytes:
    """Make the account's data key and key pair (in the caller's write); return the key.

    An existing one is replaced: only for an account whose key cannot be opened any more.
    """
    data_key, pair = new_key(), KeyPair.fresh()
    old = db.get(AccountKeyRow, account_id)
    if old is not None:
        db.delete(old)
        db.flush()
    row = AccountKeyRow(
        account_id=account_id,
        salt=b"",
        time_cost=0,
        memory_kib=0,
        parallelism=0,
        by_password=b"",
        by_recovery=None,
        public_key=pair.public,
        private_key=wrap(data_key, pair.private, purpose=PRIVATE, account_id=account_id),
        created_at=app.now(),
    )
    _set_password(row, data_key, password)
    if recovery_key is not None:
        _set_recovery(row, data_key, recovery_key)
    db.add(row)
    db.flush()
    return data_key


def by_password(db: DbSession, account_id: int, password: str) -> bytes | None:
    """The data key opened with the (already verified) password; None if none exists yet.

    Costs one Argon2id derivation: call it outside a write.
    """
    row = db.get(AccountKeyRow, account_id)
    if row is None:
        return None
    kek = _kdf_of(row).derive(normalise(password))
    return unwrap(kek, row.by_password, purpose=PASSWORD, account_id=account_id)


def by_recovery(db: DbSession, account_id: int, recovery_key: bytes) -> bytes | None:
    """The data key opened with the (already checked) recovery key; None if it wraps none."""
    row = db.get(AccountKeyRow, account_id)
    if row is None or row.by_recovery is None:
        return None
    return unwrap(
        recovery_kek(recovery_key), row.by_recovery, purpose=RECOVERY, account_id=account_id
    )


def set_password(db: DbSession, account_id: int, data_key: bytes, password: PasswordKek) -> None:
    """Wrap the data key under a new password, with a new salt (the key stays the same)."""
    row = db.get(AccountKeyRow, account_id)
    assert row is not None
    _set_password(row, data_key, password)


def _set_password(row: AccountKeyRow, data_key: bytes, password: PasswordKek) -> None:
    kdf = password.kdf
    row.salt, row.time_cost, row.memory_kib, row.parallelism = (
        kdf.salt,
        kdf.time_cost,
        kdf.memory_kib,
        kdf.parallelism,
    )
    row.by_password = wrap(password.kek, data_key, purpose=PASSWORD, account_id=row.account_id)


def set_recovery(db: DbSession, account_id: int, data_key: bytes, recovery_key: bytes) -> None:
    """Wrap the data key under a (new) recovery key; the old wrap is gone."""
    row = db.get(AccountKeyRow, account_id)
    assert row is not None
    _set_recovery(row, data_key, recovery_key)


def _set_recovery(row: AccountKeyRow, data_key: bytes, recovery_key: bytes) -> None:
    row.by_recovery = wrap(
        recovery_kek(recovery_key), data_key, purpose=RECOVERY, account_id=row.account_id
    )


def for_sign_in(token: str, data_key: bytes, account_id: int) -> bytes:
    """The data key wrapped for a sign-in row: only its token opens it."""
    return wrap(secret_kek(token, SIGN_IN), data_key, purpose=SIGN_IN, account_id=account_id)


def from_sign_in(token: str, wrapped: bytes, account_id: int) -> bytes:
    return unwrap(secret_kek(token, SIGN_IN), wrapped, purpose=SIGN_IN, account_id=account_id)


def key_pair(db: DbSession, account_id: int, data_key: bytes) -> KeyPair:
    """The account's X25519 key pair, its private half opened with the data key."""
    row = db.get(AccountKeyRow, account_id)
    assert row is not None
    private = unwrap(data_key, row.private_key, purpose=PRIVATE, account_id=account_id)
    return KeyPair.from_private(private)
