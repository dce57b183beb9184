"""Each account's data key: made at sign-up, the same through every way in, and never in
the database in the clear (services.account_keys).

A real database per test; cheap Argon2 parameters (the key derivation uses the same
settings as the password hash). These tests pin its custody, which the sealed notes
(tests/services/test_sealed_notes.py) stand on.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, text, update

from easein.services import account_keys, accounts, recovery
from easein.settings import Settings
from easein.store.account_models import AccountKeyRow, AccountRow, AuthSessionRow
from easein.store.crypto import DecryptionFailed
from easein.store.custody import open_sealed, parse_recovery_key, seal_to
from easein.store.db import make_engine
from tests.conftest import fast_hashing

PASSWORD = "a long passphrase"
NEW_PASSWORD = "another long passphrase"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return fast_hashing(Settings(database_url=database_url))


def sign_up(app, name: str = "alice") -> tuple[accounts.Principal, str, str]:
    """Sign up; return the signed-in principal, its token and the recovery key's text."""
    _, token, recovery_key = accounts.register(
        app, username=name, password=PASSWORD, adult=True, timezone="UTC", units="mm"
    )
    return accounts.authenticate(app, token), token, recovery_key


def every_stored_byte(database_url: str) -> bytes:
    """Every value of every row of every table, as bytes (the database as a thief has it)."""
    engine = make_engine(database_url)
    found = bytearray()
    try:
        with engine.connect() as conn:
            names = conn.dialect.get_table_names(conn)
            for name in names:
                for row in conn.execute(text(f'SELECT * FROM "{name}"')):
                    for value in row:
                        found += bytes(value) if isinstance(value, bytes | memoryview) else b""
                        found += str(value).encode()
    finally:
        engine.dispose()
    return bytes(found)


def test_sign_up_makes_a_data_key_that_every_way_in_opens(app):
    alice, token, _ = sign_up(app)
    key = alice.data_key
    assert key is not None and len(key) == 32
    assert accounts.authenticate(app, token).data_key == key  # the token opens it again
    again = accounts.authenticate(app, accounts.login(app, username="alice", password=PASSWORD))
    assert again.data_key == key
    made, _ = accounts.create_access_token(app, alice, "script")
    assert accounts.authenticate(app, made).data_key == key
    bob, _, _ = sign_up(app, "bob")
    assert bob.data_key not in (None, key)


def test_the_data_key_is_nowhere_in_the_database_in_the_clear(app, database_url):
    alice, token, _ = sign_up(app)
    accounts.create_access_token(app, alice, "script")
    accounts.change_password(app, alice, current=PASSWORD, new=NEW_PASSWORD)
    key = alice.data_key
    assert key is not None
    stored = every_stored_byte(database_url)
    assert key not in stored and key.hex().encode() not in stored
    assert token.encode() not in stored  # only the token's hash is kept


def test_a_sign_ins_wrap_opens_with_its_token_not_with_the_hash_the_database_keeps(app):
    alice, token, _ = sign_up(app)
    with app.db.reading() as db:
        row = db.get(AuthSessionRow, alice.session_id)
        assert row is not None and row.wrapped_key is not None
        wrapped, digest = row.wrapped_key, row.token_hash
    assert account_keys.from_sign_in(token, wrapped, alice.account_id) == alice.data_key
    for wrong in (digest, token + "x", token[:-1]):
        with pytest.raises(DecryptionFailed):
            account_keys.from_sign_in(wrong, wrapped, alice.account_id)
    with pytest.raises(DecryptionFailed):  # nor for another account
        account_keys.from_sign_in(token, wrapped, alice.account_id + 1)


def test_the_password_opens_the_key_a_wrong_password_does_not(app):
    alice, _, _ = sign_up(app)
    with app.db.reading() as db:
        assert account_keys.by_password(db, alice.account_id, PASSWORD) == alice.data_key
        with pytest.raises(DecryptionFailed):
            account_keys.by_password(db, alice.account_id, PASSWORD + " ")
        # Its own salt: not the one in the sign-in hash.
        row = db.get(AccountKeyRow, alice.account_id)
        account = db.get(AccountRow, alice.account_id)
        assert row is not None and account is not None
        assert row.salt.hex() not in account.password_hash


def test_a_password_change_rewraps_the_same_key(app):
    alice, _, _ = sign_up(app)
    accounts.change_password(app, alice, current=PASSWORD, new=NEW_PASSWORD)
    with app.db.reading() as db:
        assert account_keys.by_password(db, alice.account_id, NEW_PASSWORD) == alice.data_key
        with pytest.raises(DecryptionFailed):
            account_keys.by_password(db, alice.account_id, PASSWORD)
    signed_in = accounts.login(app, username="alice", password=NEW_PASSWORD)
    assert accounts.authenticate(app, signed_in).data_key == alice.data_key


def test_the_recovery_key_opens_the_same_key_and_the_next_one_wraps_it(app):
    alice, _, shown = sign_up(app)
    following = recovery.reset_password(
        app, username="alice", recovery_key=shown, new_password=NEW_PASSWORD
    )
    again = accounts.authenticate(app, accounts.login(app, username="alice", password=NEW_PASSWORD))
    assert again.data_key == alice.data_key
    with app.db.reading() as db:
        opened = account_keys.by_recovery(db, alice.account_id, parse_recovery_key(following))
        assert opened == alice.data_key
        with pytest.raises(DecryptionFailed):  # the used key wraps nothing any more
            account_keys.by_recovery(db, alice.account_id, parse_recovery_key(shown))


def test_a_new_recovery_key_from_settings_wraps_the_same_key(app):
    alice, _, first = sign_up(app)
    second = recovery.replace(app, alice, password=PASSWORD)
    with app.db.reading() as db:
        assert account_keys.by_recovery(db, alice.account_id, parse_recovery_key(second)) == (
            alice.data_key
        )
        with pytest.raises(DecryptionFailed):
            account_keys.by_recovery(db, alice.account_id, parse_recovery_key(first))


def test_an_account_made_before_data_keys_gets_one_at_its_next_sign_in(app):
    alice, _, _ = sign_up(app)
    with app.db.writing() as db:
        db.execute(AccountKeyRow.__table__.delete())
        db.execute(update(AuthSessionRow).values(wrapped_key=None))
    old = accounts.authenticate(app, accounts.login(app, username="alice", password=PASSWORD))
    assert old.data_key is not None and old.data_key != alice.data_key
    with app.db.reading() as db:
        assert account_keys.by_password(db, alice.account_id, PASSWORD) == old.data_key


def test_a_sign_in_from_before_data_keys_has_none_and_still_works(app):
    alice, token, _ = sign_up(app)
    with app.db.writing() as db:
        db.execute(update(AuthSessionRow).values(wrapped_key=None))
    legacy = accounts.authenticate(app, token)
    assert legacy.data_key is None and legacy.account_id == alice.account_id
    # A password change from it still keeps the key (opened with the current password).
    accounts.change_password(app, legacy, current=PASSWORD, new=NEW_PASSWORD)
    with app.db.reading() as db:
        assert account_keys.by_password(db, alice.account_id, NEW_PASSWORD) == alice.data_key


def test_a_password_set_behind_easeins_back_gets_a_new_key_not_an_error(app):
    alice, _, _ = sign_up(app)
    digest = accounts.hasher(app).hash(NEW_PASSWORD)
    with app.db.writing() as db:  # the operator's reset, straight into the table
        db.execute(update(AccountRow).values(password_hash=digest))
    token = accounts.login(app, username="alice", password=NEW_PASSWORD)
    fresh = accounts.authenticate(app, token).data_key
    assert fresh is not None and fresh != alice.data_key


def test_the_key_pair_private_half_opens_only_with_the_data_key(app):
    alice, _, _ = sign_up(app)
    assert alice.data_key is not None
    with app.db.reading() as db:
        pair = account_keys.key_pair(db, alice.account_id, alice.data_key)
        public = db.scalar(
            select(AccountKeyRow.public_key).where(AccountKeyRow.account_id == alice.account_id)
        )
        with pytest.raises(DecryptionFailed):
            account_keys.key_pair(db, alice.account_id, bytes(32))
    assert pair.public == public
    sealed = seal_to(pair.public, b"a pairing key", label="pairing:1")
    assert open_sealed(pair, sealed, label="pairing:1") == b"a pairing key"


def test_ending_a_sign_in_removes_its_wrap(app):
    alice, token, _ = sign_up(app)
    accounts.logout(app, alice)
    with app.db.reading() as db:
        assert db.scalars(select(AuthSessionRow.wrapped_key)).all() == []
    with pytest.raises(accounts.NotAuthenticated):
        accounts.authenticate(app, token)


def test_a_two_step_sign_in_carries_the_key_through_its_pending_half(app, clock):
    import pyotp

    from easein.services import second_factor

    alice, _, _ = sign_up(app)
    secret = second_factor.start(app, alice.account_id, "alice").secret
    second_factor.confirm(app, alice.account_id, pyotp.TOTP(secret).at(clock.now))
    clock.advance(minutes=1)  # the next code: each is taken once
    pending, done = accounts.begin_login(app, username="alice", password=PASSWORD)
    assert not done
    with pytest.raises(accounts.NotAuthenticated):  # a pending half opens nothing
        accounts.authenticate(app, pending)
    token = accounts.finish_login(app, pending=pending, code=pyotp.TOTP(secret).at(clock.now))
    assert accounts.authenticate(app, token).data_key == alice.data_key
    with app.db.reading() as db:  # the pending half and its wrap are gone
        kinds = db.scalars(select(AuthSessionRow.kind)).all()
    assert accounts.PENDING not in kinds


def test_a_sign_in_whose_wrap_was_altered_must_sign_in_again(app):
    alice, token, _ = sign_up(app)
    with app.db.writing() as db:
        db.execute(update(AuthSessionRow).values(wrapped_key=bytes(60)))
    with pytest.raises(accounts.NotAuthenticated, match="sign in again"):
        accounts.authenticate(app, token)
