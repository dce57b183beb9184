"""Accounts, sign-in sessions and personal access tokens (the web app and the API).

Tokens are 256-bit random strings; only their SHA-256 is stored, so the
sessions table cannot be replayed. Passwords are hashed with Argon2id.
Failed sign-ins are counted in the database so that every worker throttles alike.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.orm import Session as DbSession

from easein.domain import passwords
from easein.domain.errors import Conflict, EaseInError, InvalidInput, NotFound
from easein.domain.units import Units
from easein.services import account_keys, pairing_keys, sealed_notes, second_factor
from easein.services.app import App
from easein.services.common_passwords import common_passwords
from easein.services.profile import Profile, create_person
from easein.store.account_models import (
    AccountKeyRow,
    AccountRow,
    AuthSessionRow,
    DecoyRow,
    LoginFailureRow,
)
from easein.store.crypto import DecryptionFailed
from easein.store.models import Person

logger = logging.getLogger(__name__)
MIN_PASSWORD = passwords.MIN_LENGTH
MAX_PASSWORD = passwords.MAX_LENGTH
BROWSER = "browser"
ACCESS_TOKEN = "token"  # noqa: S105 (a kind of sign-in, not a secret)
# A right password waiting for its second factor: signs nobody in (see `authenticate`).
PENDING = "totp_pending"
PENDING_FOR = timedelta(minutes=5)
# What a password change or a recovery ends: every way in (a calendar feed only reads).
SIGN_IN_KINDS = (BROWSER, ACCESS_TOKEN, PENDING)
DECOY_MARK = "!"


class NotAuthenticated(EaseInError):
    code = "not_authenticated"


class TooManyAttempts(EaseInError):
    code = "too_many_attempts"


class SecondFactorRequired(NotAuthenticated):
    """The password was right, but the second factor is on and no right code came with it."""

    code = "totp_required"


CODE_NEEDED = "enter the 6-digit code from your authenticator app (or a recovery code)"
CODE_WRONG = "wrong or already used code: enter the current code, or an unused recovery code"


@dataclass(frozen=True)
class Principal:
    """Who is asking: the account, its person, and the sign-in used."""

    account_id: int
    username: str
    session_id: int
    kind: str
    token_hash: str
    profile: Profile
    # The account's data key, opened with this sign-in's token (services.account_keys);
    # None for a sign-in made before data keys existed. Never shown nor logged.
    data_key: bytes | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class SignIn:
    """A sign-in as listed to its owner (never with its token)."""

    id: int
    kind: str
    name: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime | None


normalise = passwords.normalise


@cache
def _hasher(time_cost: int, memory_kib: int, parallelism: int):  # type: ignore[no-untyped-def]
    from argon2 import PasswordHasher, Type
    from argon2.exceptions import VerifyMismatchError

    class NormalisingHasher(PasswordHasher):
        """Argon2id over the NFKC form of the password.

        A hash made before passwords were normalised holds the password as typed: when
        the normal form does not match, the password as typed is tried too, and
        `needs_rehash` then says so, so that the sign-in redoes the hash.
        """

        def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
            assert isinstance(password, str)
            return super().hash(normalise(password), salt=salt)

        def verify(self, hash: str | bytes, password: str | bytes) -> bool:
            assert isinstance(password, str)
            try:
                return super().verify(hash, normalise(password))
            except VerifyMismatchError:
                if normalise(password) == password:
                    raise
                return super().verify(hash, password)

        def needs_rehash(self, hash: str, password: str) -> bool:
            """True for weaker parameters, or for a hash of a password not normalised."""
            if self.check_needs_rehash(hash) or normalise(password) == password:
                return self.check_needs_rehash(hash)
            try:
                return not super().verify(hash, normalise(password))
            except VerifyMismatchError:
                return True

    return NormalisingHasher(
        time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism, type=Type.ID
    )


def hasher(app: App):  # type: ignore[no-untyped-def]
    s = app.settings
    return _hasher(s.argon2_time_cost, s.argon2_memory_kib, s.argon2_parallelism)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token(session_token_hash: str) -> str:
    """Return the CSRF token of a sign-in: derived, so no worker needs to remember it."""
    return hmac.new(session_token_hash.encode(), b"easein-csrf", hashlib.sha256).hexdigest()


def check_username(name: str) -> str:
    clean = name.strip().lower()
    if not 3 <= len(clean) <= 64 or not all(c.isalnum() or c in "._-" for c in clean):
        raise InvalidInput(
            "username: 3-64 letters, digits, dots, dashes or underscores",
            field="username",
        )
    return clean


def check_password(password: str, *, username: str = "", field: str = "password") -> str:
    """Return a new password if the rules allow it (`easein.domain.passwords`), else raise."""
    return passwords.check_password(
        password, common=common_passwords(), username=username, field=field
    )


def _profile_of(db: DbSession, person_id: int) -> Profile:
    person = db.get(Person, person_id)
    assert person is not None
    return Profile(person.id, person.timezone, Units(person.units))


def register(
    app: App,
    *,
    username: str,
    password: str,
    adult: bool,
    timezone: str,
    units: str,
    client: str = "browser",
) -> tuple[Profile, str, str]:
    """Create a person, their account (adults only) and a first sign-in, in one transaction.

    Returns the profile, the sign-in token and the recovery key's text (shown once).
    """
    from easein.services import recovery

    name = check_username(username)
    check_password(password, username=name)
    digest = hasher(app).hash(password)
    kek = account_keys.password_kek(app, password)  # before the write: no lock waits on it
    with app.db.writing() as db:
        if db.scalar(select(AccountRow.id).where(AccountRow.username == name)) is not None:
            raise Conflict("that username is taken", field="username")
        account = add_account(
            db,
            app,
            username=name,
            password_hash=digest,
            adult=adult,
            timezone=timezone,
            units=units,
        )
        recovery_key, shown = recovery.issue(account)
        data_key = account_keys.create(db, app, account.id, kek, recovery_key)
        token, _ = _new_sign_in(db, app, account.id, BROWSER, client, data_key)
        return _profile_of(db, account.person_id), token, shown


def add_account(
    db: DbSession,
    app: App,
    *,
    username: str,
    password_hash: str,
    adult: bool,
    timezone: str,
    units: str,
) -> AccountRow:
    """Add a person and their account, in the caller's transaction (the caller checks the name)."""
    person = create_person(db, app, adult=adult, timezone=timezone, units=units)
    now = app.now()
    account = AccountRow(
        person_id=person.id,
        username=username,
        password_hash=password_hash,
        created_at=now,
        password_changed_at=now,
    )
    db.add(account)
    db.flush()
    return account


def _new_sign_in(
    db: DbSession, app: App, account_id: int, kind: str, name: str, data_key: bytes | None
) -> tuple[str, AuthSessionRow]:
    token = secrets.token_urlsafe(32)
    now = app.now()
    expires = None if kind == ACCESS_TOKEN else now + timedelta(days=app.settings.session_max_days)
    row = AuthSessionRow(
        account_id=account_id,
        kind=kind,
        name=name[:80],
        token_hash=token_hash(token),
        created_at=now,
        last_seen_at=now,
        expires_at=expires,
        wrapped_key=(
            None if data_key is None else account_keys.for_sign_in(token, data_key, account_id)
        ),
    )
    db.add(row)
    db.flush()
    return token, row


def _throttle_key(username: str) -> str:
    return hashlib.sha256(b"login:" + username.strip().lower().encode()).hexdigest()


@dataclass(frozen=True)
class _Verified:
    """An account whose password (or decoy PIN) was just verified."""

    account_id: int
    key: str
    verified_hash: str
    rehashed: str | None
    second_factor: bool
    data_key: bytes | None = field(default=None, repr=False)


def _first_factor(app: App, username: str, password: str) -> _Verified:
    """Check the password (or the decoy PIN) of `username`; raise the one refusal if wrong.

    Every refusal verifies two hashes: the account's (or a dummy) and its decoy's (or a
    dummy), so an unknown name, a wrong password and an account with or without a decoy
    all take the same time. Failures are counted, for throttling.
    """
    from argon2.exceptions import InvalidHashError, VerificationError

    key = throttle_check(app, username)
    with app.db.reading() as db:
        account = db.scalars(
            select(AccountRow).where(AccountRow.username == username.strip().lower())
        ).first()
        decoy = None
        if account is not None:
            decoy = db.scalars(
                select(AccountRow)
                .join(DecoyRow, DecoyRow.decoy_account_id == AccountRow.id)
                .where(DecoyRow.account_id == account.id)
            ).first()
        on = {a.id: second_factor.is_on(db, a.id) for a in (account, decoy) if a is not None}
    ph = hasher(app)
    dummy = _dummy_hash(app)  # made on the first sign-in of either kind, then cached
    matched = None
    for candidate in (account, decoy):
        try:
            if ph.verify(candidate.password_hash if candidate else dummy, password):
                matched = candidate
                break
        except (VerificationError, InvalidHashError):
            continue
    if matched is None:
        record_failure(app, key)
        raise NotAuthenticated("wrong username or password", field="password")
    # Hashes made with other Argon2 parameters (older, weaker settings) are redone now,
    # while the password is at hand; hashed before the write so no lock waits on it.
    stored = matched.password_hash
    rehashed = ph.hash(password) if ph.needs_rehash(stored, password) else None
    data_key = open_keys(app, matched.id, password)
    return _Verified(matched.id, key, stored, rehashed, on[matched.id], data_key)


def open_keys(app: App, account_id: int, password: str) -> bytes:
    """The account's data key, opened with its verified password; an account made before
    data keys existed gets one now."""
    try:
        with app.db.reading() as db:
            data_key = account_keys.by_password(db, account_id, password)
        lost = False
    except DecryptionFailed:
        # The password was verified, yet does not open the key: the password was set
        # behind EaseIn's back (an operator's reset). The key cannot be opened any more;
        # a new one replaces it, and what was sealed under the old one is lost.
        data_key, lost = None, True
        logger.warning("account %s: the password does not open its data key: a new one", account_id)
    if data_key is not None:
        return data_key
    kek = account_keys.password_kek(app, password)
    with app.db.writing() as db:
        if lost or db.get(AccountKeyRow, account_id) is None:
            if lost:  # its notes stay sealed under the lost key, and show as locked
                person_id = db.scalar(
                    select(AccountRow.person_id).where(AccountRow.id == account_id)
                )
                pairing_keys.forget_member(db, person_id or 0)
            return account_keys.create(db, app, account_id, kek)
    return open_keys(app, account_id, password)  # made meanwhile by another sign-in


def throttle_check(app: App, username: str, *, field: str = "username") -> str:
    """Raise `TooManyAttempts` if `username` failed too often lately; return its throttle key."""
    key = _throttle_key(username)
    window = app.now() - timedelta(minutes=app.settings.login_window_minutes)
    with app.db.reading() as db:
        failures = db.scalar(
            select(func.count()).where(LoginFailureRow.key == key, LoginFailureRow.at >= window)
        )
    if (failures or 0) >= app.settings.login_max_failures:
        raise TooManyAttempts(
            "too many failed sign-ins: wait a few minutes and try again", field=field
        )
    return key


def record_failure(app: App, key: str) -> None:
    with app.db.writing() as db:
        db.add(LoginFailureRow(key=key, at=app.now()))


def _complete(db: DbSession, app: App, verified: _Verified, client: str) -> str:
    """Sign in for good (in the caller's write): clear the failures, rehash, new sign-in."""
    db.execute(delete(LoginFailureRow).where(LoginFailureRow.key == verified.key))
    _rehash(db, verified)
    if verified.data_key is not None:
        sealed_notes.seal_pending(db, app, verified.account_id, verified.data_key)
    token, _ = _new_sign_in(db, app, verified.account_id, BROWSER, client, verified.data_key)
    return token


def _rehash(db: DbSession, verified: _Verified) -> None:
    row = db.get(AccountRow, verified.account_id)
    # Only the hash just verified is replaced: a password changed meanwhile stays.
    if verified.rehashed and row is not None and row.password_hash == verified.verified_hash:
        row.password_hash = verified.rehashed


def login(
    app: App, *, username: str, password: str, totp: str | None = None, client: str = "browser"
) -> str:
    """Return a new session token for the right password; 429 after repeated failures.

    Unknown names and wrong passwords get the same answer and, since a dummy
    hash is verified for unknown names, about the same time. With the second
    factor on, the right password without a right code is refused the same way,
    with the code `totp_required`; wrong codes count as failures too.
    """
    verified = _first_factor(app, username, password)
    if verified.second_factor:
        if not totp:
            raise SecondFactorRequired(CODE_NEEDED, field="totp")
        with app.db.writing() as db:
            right = second_factor.use_code(db, app, verified.account_id, totp)
            if right:
                return _complete(db, app, verified, client)
        record_failure(app, verified.key)
        raise SecondFactorRequired(CODE_WRONG, field="totp")
    with app.db.writing() as db:
        return _complete(db, app, verified, client)


def begin_login(
    app: App, *, username: str, password: str, client: str = "browser"
) -> tuple[str, bool]:
    """Check the password (the sign-in form's first step).

    Return `(token, True)`: signed in; or `(token, False)`: the second factor is on and
    `token` is a pending sign-in for `finish_login`, valid for a few minutes. A pending
    token opens nothing (`authenticate` refuses its kind).
    """
    verified = _first_factor(app, username, password)
    with app.db.writing() as db:
        if not verified.second_factor:
            return _complete(db, app, verified, client), True
        _rehash(db, verified)
        db.execute(
            delete(AuthSessionRow).where(
                AuthSessionRow.account_id == verified.account_id,
                AuthSessionRow.kind == PENDING,
                AuthSessionRow.expires_at < app.now(),
            )
        )
        token, row = _new_sign_in(db, app, verified.account_id, PENDING, client, verified.data_key)
        row.expires_at = app.now() + PENDING_FOR
        return token, False


def finish_login(app: App, *, pending: str, code: str, client: str = "browser") -> str:
    """Return a session token for the pending sign-in `pending` and a right code."""
    digest = token_hash(pending)
    now = app.now()
    with app.db.reading() as db:
        row = db.scalars(
            select(AuthSessionRow).where(
                AuthSessionRow.token_hash == digest, AuthSessionRow.kind == PENDING
            )
        ).first()
        account = db.get(AccountRow, row.account_id) if row is not None else None
    if row is None or account is None or row.expires_at is None or now >= row.expires_at:
        raise NotAuthenticated("that took too long: sign in again", field="password")
    key = throttle_check(app, account.username, field="code")
    data_key = (
        None
        if row.wrapped_key is None
        else account_keys.from_sign_in(pending, row.wrapped_key, account.id)
    )
    verified = _Verified(account.id, key, account.password_hash, None, True, data_key)
    with app.db.writing() as db:
        if second_factor.use_code(db, app, account.id, code):
            db.execute(delete(AuthSessionRow).where(AuthSessionRow.id == row.id))
            return _complete(db, app, verified, client)
    record_failure(app, key)
    raise SecondFactorRequired(CODE_WRONG, field="code")


def _dummy_hash(app: App) -> str:
    return str(
        _dummy(
            app.settings.argon2_time_cost,
            app.settings.argon2_memory_kib,
            app.settings.argon2_parallelism,
        )
    )


@cache
def _dummy(time_cost: int, memory_kib: int, parallelism: int) -> str:
    return str(_hasher(time_cost, memory_kib, parallelism).hash(secrets.token_hex(16)))


# One statement, built once: the sign-in, its account and its person's profile.
_WHO = (
    select(
        AuthSessionRow.id,
        AuthSessionRow.kind,
        AuthSessionRow.last_seen_at,
        AuthSessionRow.expires_at,
        AuthSessionRow.wrapped_key,
        AccountRow.id,
        AccountRow.username,
        Person.id,
        Person.timezone,
        Person.units,
        Person.revision,
        Person.created_at,
    )
    .join(AccountRow, AccountRow.id == AuthSessionRow.account_id)
    .join(Person, Person.id == AccountRow.person_id)
    .where(AuthSessionRow.token_hash == bindparam("digest"))
)


def authenticate(app: App, token: str, *, kind: str | None = None) -> Principal:
    """Return who holds `token`, or raise if it is unknown, ended or expired."""
    digest = token_hash(token)
    now = app.now()
    with app.db.querying() as db:  # every request asks: no ORM session needed
        row = db.execute(_WHO, {"digest": digest}).first()
    if row is None:
        raise NotAuthenticated("sign in first", field="token")
    (session_id, session_kind, last_seen, expires, wrapped, account_id, username,
     person_id, timezone, units, revision, created_at) = row  # fmt: skip
    # Only these kinds sign anyone in: another kind's token (a calendar feed's) opens its
    # own thing and nothing else, even if a caller forgets to name the kind.
    if session_kind not in (BROWSER, ACCESS_TOKEN) or (kind is not None and session_kind != kind):
        raise NotAuthenticated("sign in first", field="token")
    idle = now - last_seen > timedelta(days=app.settings.session_idle_days)
    expired = expires is not None and now >= expires
    if session_kind == BROWSER and (idle or expired):
        raise NotAuthenticated("your sign-in expired: sign in again", field="token")
    if now - last_seen > timedelta(minutes=5):
        # Touch at most every few minutes: a write per request would serialise reads.
        with app.db.writing() as db:
            fresh = db.get(AuthSessionRow, session_id)
            if fresh is not None:
                fresh.last_seen_at = now
    # A decoy account is named "!" + its owner's name (no one can sign up so): it shows
    # the name the person typed, like any account.
    shown = username.lstrip(DECOY_MARK)
    try:
        data_key = (
            None if wrapped is None else account_keys.from_sign_in(token, wrapped, account_id)
        )
    except DecryptionFailed:  # altered in the database: this sign-in is no good any more
        raise NotAuthenticated("sign in again", field="token") from None
    profile = Profile(person_id, timezone, Units(units), revision, created_at, data_key)
    return Principal(account_id, shown, session_id, session_kind, digest, profile, data_key)


def logout(app: App, principal: Principal) -> None:
    with app.db.writing() as db:
        db.execute(delete(AuthSessionRow).where(AuthSessionRow.id == principal.session_id))


def list_sign_ins(app: App, principal: Principal, kind: str = BROWSER) -> list[SignIn]:
    with app.db.reading() as db:
        rows = db.scalars(
            select(AuthSessionRow)
            .where(AuthSessionRow.account_id == principal.account_id, AuthSessionRow.kind == kind)
            .order_by(AuthSessionRow.id)
        )
        return [
            SignIn(r.id, r.kind, r.name, r.created_at, r.last_seen_at, r.expires_at) for r in rows
        ]


def end_sign_in(app: App, principal: Principal, sign_in_id: int, kind: str = BROWSER) -> None:
    """End one of your own sign-ins (or revoke one of your tokens); others' do not exist."""
    with app.db.writing() as db:
        row = db.get(AuthSessionRow, sign_in_id)
        if row is None or row.account_id != principal.account_id or row.kind != kind:
            raise NotFound("no such sign-in", field="session_id")
        db.delete(row)


def create_access_token(app: App, principal: Principal, name: str) -> tuple[str, SignIn]:
    """Return a new personal access token (shown once) for API clients and scripts."""
    clean = " ".join(name.split())
    if not 1 <= len(clean) <= 80:
        raise InvalidInput("name: 1-80 characters", field="name")
    with app.db.writing() as db:
        token, row = _new_sign_in(
            db, app, principal.account_id, ACCESS_TOKEN, clean, principal.data_key
        )
        return token, SignIn(row.id, row.kind, row.name, row.created_at, row.last_seen_at, None)


def change_password(app: App, principal: Principal, *, current: str, new: str) -> None:
    """Change the password (the current one is required) and end every other sign-in
    and personal access token."""
    from argon2.exceptions import VerificationError

    check_password(new, username=principal.username, field="new_password")
    with app.db.reading() as db:
        account = db.get(AccountRow, principal.account_id)
        assert account is not None
        stored = account.password_hash
    try:
        hasher(app).verify(stored, current)
    except VerificationError:
        raise InvalidInput("current_password is wrong", field="current_password") from None
    # The data key stays; only its wrap under the password is redone.
    data_key = principal.data_key or open_keys(app, principal.account_id, current)
    digest = hasher(app).hash(new)
    kek = account_keys.password_kek(app, new)
    with app.db.writing() as db:
        account = db.get(AccountRow, principal.account_id)
        assert account is not None
        account.password_hash = digest
        account.password_changed_at = app.now()
        account_keys.set_password(db, principal.account_id, data_key, kek)
        # Every other sign-in ends, personal access tokens too: a password is changed
        # after a leak or a break-up, and a token made with the old one must not outlive it.
        # (Only the sign-in or token making this change goes on. The calendar feed, read-only
        # and revoked on its own, stays.)
        end_sign_ins(db, principal.account_id, keep=principal.session_id)


def delete_account(app: App, principal: Principal, *, password: str) -> None:
    """Delete the account, the person and everything of theirs (password required)."""
    from argon2.exceptions import VerificationError

    with app.db.reading() as db:
        account = db.get(AccountRow, principal.account_id)
        assert account is not None
        stored = account.password_hash
    try:
        hasher(app).verify(stored, password)
    except VerificationError:
        raise InvalidInput("password is wrong", field="password") from None
    with app.db.writing() as db:
        # The decoy profiles made for this account go with it (and theirs with them).
        people = [principal.profile.person_id]
        account_ids = [principal.account_id]
        while account_ids:
            decoys = db.scalars(
                select(DecoyRow.decoy_account_id).where(DecoyRow.account_id.in_(account_ids))
            ).all()
            account_ids = list(decoys)
            if account_ids:
                people += db.scalars(
                    select(AccountRow.person_id).where(AccountRow.id.in_(account_ids))
                ).all()
        db.execute(delete(Person).where(Person.id.in_(people)))


def verify_password(app: App, principal: Principal, password: str) -> None:
    """Raise unless `password` is the signed-in account's (for changes that need it)."""
    from argon2.exceptions import InvalidHashError, VerificationError

    with app.db.reading() as db:
        stored = db.scalar(
            select(AccountRow.password_hash).where(AccountRow.id == principal.account_id)
        )
    try:
        hasher(app).verify(stored or "", password)
    except (VerificationError, InvalidHashError):
        raise InvalidInput("password is wrong", field="password") from None


def end_other_sign_ins(db: DbSession, principal: Principal) -> None:
    """End every browser sign-in of the account but this one (in the caller's write)."""
    end_sign_ins(db, principal.account_id, keep=principal.session_id, kinds=(BROWSER, PENDING))


def end_sign_ins(
    db: DbSession,
    account_id: int,
    *,
    keep: int | None = None,
    kinds: tuple[str, ...] = SIGN_IN_KINDS,
) -> None:
    """End the account's sign-ins of `kinds` (with their wrapped keys) but `keep`, in the
    caller's write. By default every way in: browsers, tokens, half-done two-step ones."""
    query = delete(AuthSessionRow).where(
        AuthSessionRow.account_id == account_id, AuthSessionRow.kind.in_(kinds)
    )
    if keep is not None:
        query = query.where(AuthSessionRow.id != keep)
    db.execute(query)
