"""The recovery key: a forgotten password is reset with it, by the person, without anyone else.

A recovery key is 256 random bits, shown once (at sign-up, after a reset, or when a new
one is made in Settings) in the form of `store.custody`; only its SHA-256 is stored. Using
it sets a new password, ends every sign-in and token, and uses it up: a new key is shown.
A wrong key and an unknown username get the same refusal, and count toward the same
per-name limit as wrong passwords.
"""

from __future__ import annotations

import hashlib
import hmac

from sqlalchemy import delete, select

from easein.domain.errors import InvalidInput
from easein.services import account_keys, accounts
from easein.services.app import App
from easein.store.account_models import AccountRow, LoginFailureRow
from easein.store.custody import BadRecoveryKey, new_recovery_key, parse_recovery_key

REFUSED = "wrong username or recovery key"
# Compared against for unknown names, so the refusal does the same work either way.
_NOBODY = hashlib.sha256(b"easein/recovery-hash/v1/nobody").hexdigest()


def _hash(key: bytes) -> str:
    return hashlib.sha256(b"easein/recovery-hash/v1" + key).hexdigest()


def issue(account: AccountRow) -> tuple[bytes, str]:
    """Give `account` a new recovery key (in the caller's write); return it and its text,
    shown once. The caller wraps the account's data key under it."""
    key, text = new_recovery_key()
    account.recovery_key_hash = _hash(key)
    return key, text


def replace(app: App, principal: accounts.Principal, *, password: str) -> str:
    """Make a new recovery key for the signed-in account (password needed); the old one ends."""
    accounts.verify_password(app, principal, password)
    data_key = principal.data_key or accounts.open_keys(app, principal.account_id, password)
    with app.db.writing() as db:
        account = db.get(AccountRow, principal.account_id)
        assert account is not None
        key, text = issue(account)
        account_keys.set_recovery(db, account.id, data_key, key)
        return text


def has_key(app: App, principal: accounts.Principal) -> bool:
    with app.db.reading() as db:
        stored = db.scalar(
            select(AccountRow.recovery_key_hash).where(AccountRow.id == principal.account_id)
        )
    return stored is not None


def reset_password(app: App, *, username: str, recovery_key: str, new_password: str) -> str:
    """Set a new password with the recovery key; return the next recovery key's text.

    Every sign-in and personal access token of the account ends (a calendar feed stays).
    Two-step sign-in, if on, stays on: the next sign-in still asks for a code.
    """
    try:
        key = parse_recovery_key(recovery_key)
    except BadRecoveryKey as error:
        raise InvalidInput(
            str(error), field="recovery_key", code="recovery_key_malformed"
        ) from None
    name = username.strip().lower()
    accounts.check_password(new_password, username=name, field="new_password")
    throttle = accounts.throttle_check(app, name)
    with app.db.reading() as db:
        account = db.scalars(select(AccountRow).where(AccountRow.username == name)).first()
        stored = account.recovery_key_hash if account is not None else None
    if not hmac.compare_digest(stored or _NOBODY, _hash(key)) or stored is None:
        accounts.record_failure(app, throttle)
        raise accounts.NotAuthenticated(REFUSED, field="recovery_key")
    assert account is not None
    # Before the write, so that no lock waits on them: the hash, the new password's key,
    # and the data key the recovery key opens.
    digest = accounts.hasher(app).hash(new_password)
    kek = account_keys.password_kek(app, new_password)
    with app.db.reading() as db:
        data_key = account_keys.by_recovery(db, account.id, key)
    with app.db.writing() as db:
        account = db.get(AccountRow, account.id)
        if account is None or account.recovery_key_hash != stored:  # used meanwhile
            raise accounts.NotAuthenticated(REFUSED, field="recovery_key")
        account.password_hash = digest
        account.password_changed_at = app.now()
        accounts.end_sign_ins(db, account.id)
        db.execute(delete(LoginFailureRow).where(LoginFailureRow.key == throttle))
        following, text = issue(account)
        if data_key is None:
            # The recovery key wrapped no data key (an account made before data keys, or
            # one whose key was made at a sign-in since): a new one. Nothing is sealed
            # under data keys yet (services.account_keys), so nothing is lost.
            account_keys.create(db, app, account.id, kek, following)
        else:
            account_keys.set_password(db, account.id, data_key, kek)
            account_keys.set_recovery(db, account.id, data_key, following)
        return text
