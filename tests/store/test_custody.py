"""Key custody primitives: published vectors, round trips, and every way a key must not open.

`services.account_keys` keeps each account's data key with these primitives (its own
tests: tests/services/test_account_keys.py); the session notes are sealed with them
(tests/services/test_sealed_notes.py).
These tests pin the layer, including the issue's "wrong password rejected".
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from easein.store.crypto import DecryptionFailed, new_key
from easein.store.custody import (
    BadRecoveryKey,
    KeyPair,
    PasswordKdf,
    format_recovery_key,
    new_recovery_key,
    open_sealed,
    parse_recovery_key,
    recovery_kek,
    seal_to,
    secret_kek,
    unwrap,
    wrap,
)

# Cheap parameters keep the property tests fast; the known answer uses real ones.
CHEAP = {"time_cost": 1, "memory_kib": 64, "parallelism": 1}

# --- known answers ------------------------------------------------------------------------


def test_argon2id_raw_output_matches_the_reference_implementations_test_vector() -> None:
    # phc-winner-argon2 src/test.c: Argon2id v1.3, t=2, m=2^16 KiB, p=1.
    kdf = PasswordKdf(b"somesalt", time_cost=2, memory_kib=65536, parallelism=1)
    assert kdf.derive("password").hex() == (
        "09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7"
    )


RFC7748_ALICE = bytes.fromhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")
RFC7748_ALICE_PUBLIC = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"
RFC7748_BOB = bytes.fromhex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb")
RFC7748_BOB_PUBLIC = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"
RFC7748_SHARED = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"


def test_x25519_matches_rfc_7748_section_6_1() -> None:
    from cryptography.hazmat.primitives.asymmetric.x25519 import (
        X25519PrivateKey,
        X25519PublicKey,
    )

    alice, bob = KeyPair.from_private(RFC7748_ALICE), KeyPair.from_private(RFC7748_BOB)
    assert alice.public.hex() == RFC7748_ALICE_PUBLIC
    assert bob.public.hex() == RFC7748_BOB_PUBLIC
    shared = X25519PrivateKey.from_private_bytes(alice.private).exchange(
        X25519PublicKey.from_public_bytes(bob.public)
    )
    assert shared.hex() == RFC7748_SHARED


# --- a key wrapped by a password ---------------------------------------------------------


def test_a_key_wrapped_by_a_password_opens_with_it_and_only_with_it() -> None:
    key = new_key()
    kdf = PasswordKdf.fresh(**CHEAP)
    wrapped = wrap(kdf.derive("correct horse battery"), key, purpose="password", account_id=7)
    assert (
        unwrap(kdf.derive("correct horse battery"), wrapped, purpose="password", account_id=7)
        == key
    )
    for wrong in ("correct horse batter", "Correct horse battery", "correct horse battery "):
        with pytest.raises(DecryptionFailed):
            unwrap(kdf.derive(wrong), wrapped, purpose="password", account_id=7)


def test_each_password_kdf_has_its_own_salt_so_one_password_gives_different_keys() -> None:
    first, second = PasswordKdf.fresh(**CHEAP), PasswordKdf.fresh(**CHEAP)
    assert first.salt != second.salt
    assert first.derive("same password") != second.derive("same password")
    assert first.derive("same password") == first.derive("same password")


def test_changing_the_password_rewraps_the_same_key() -> None:
    key = new_key()
    old, new = PasswordKdf.fresh(**CHEAP), PasswordKdf.fresh(**CHEAP)
    wrapped = wrap(old.derive("old password"), key, purpose="password", account_id=1)
    opened = unwrap(old.derive("old password"), wrapped, purpose="password", account_id=1)
    rewrapped = wrap(new.derive("new password"), opened, purpose="password", account_id=1)
    assert unwrap(new.derive("new password"), rewrapped, purpose="password", account_id=1) == key
    with pytest.raises(DecryptionFailed):
        unwrap(new.derive("old password"), rewrapped, purpose="password", account_id=1)


@pytest.mark.parametrize(
    ("purpose", "account_id"),
    [("password", 8), ("recovery", 7), ("session", 7), ("password ", 7)],
    ids=["another account", "another purpose", "a token's purpose", "a near purpose"],
)
def test_a_wrap_moved_to_another_account_or_purpose_does_not_open(
    purpose: str, account_id: int
) -> None:
    kek, key = new_key(), new_key()
    wrapped = wrap(kek, key, purpose="password", account_id=7)
    with pytest.raises(DecryptionFailed):
        unwrap(kek, wrapped, purpose=purpose, account_id=account_id)


def test_every_flipped_byte_and_every_truncation_of_a_wrap_is_refused() -> None:
    kek, key = new_key(), new_key()
    wrapped = wrap(kek, key, purpose="password", account_id=3)
    for i, bit in itertools.product(range(len(wrapped)), (0x01, 0x80)):
        altered = bytearray(wrapped)
        altered[i] ^= bit
        with pytest.raises(DecryptionFailed):
            unwrap(kek, bytes(altered), purpose="password", account_id=3)
    for length in range(len(wrapped)):
        with pytest.raises(DecryptionFailed):
            unwrap(kek, wrapped[:length], purpose="password", account_id=3)


def test_only_256_bit_keys_are_wrapped() -> None:
    with pytest.raises(ValueError, match="256-bit"):
        wrap(new_key(), b"short", purpose="password", account_id=1)


# --- a key wrapped by a bearer secret (a sign-in token) ----------------------------------


def test_a_token_kek_is_not_the_tokens_stored_hash_and_depends_on_the_purpose() -> None:
    import hashlib

    token = "a-256-bit-token-as-sent-by-the-browser"
    assert secret_kek(token, "session") not in (
        hashlib.sha256(token.encode()).digest(),
        hashlib.sha256(token.encode()).hexdigest().encode(),
    )
    assert secret_kek(token, "session") == secret_kek(token, "session")
    assert secret_kek(token, "session") != secret_kek(token, "calendar")
    assert secret_kek(token, "session") != secret_kek(token + "x", "session")


# --- the recovery key --------------------------------------------------------------------


def test_a_recovery_key_reads_back_as_shown_and_as_typed_carelessly() -> None:
    key, shown = new_recovery_key()
    groups = shown.split("-")
    assert len(groups) == 14 and all(len(g) == 4 for g in groups)
    assert parse_recovery_key(shown) == key
    assert parse_recovery_key(shown.lower()) == key
    assert parse_recovery_key(" ".join(groups)) == key
    assert parse_recovery_key("".join(groups)) == key
    # The confusable letters are read as their digits.
    assert parse_recovery_key(shown.replace("1", "l").replace("0", "O")) == key
    assert recovery_kek(key) != key


@given(st.binary(min_size=32, max_size=32))
@settings(max_examples=200, deadline=None)
def test_every_key_round_trips_through_its_text(key: bytes) -> None:
    assert parse_recovery_key(format_recovery_key(key)) == key


def test_every_single_typo_in_a_recovery_key_is_caught_by_its_checksum() -> None:
    key = bytes(range(32))
    shown = format_recovery_key(key)
    symbols = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    caught = 0
    for i, typed in enumerate(shown):
        if typed == "-":
            continue
        for other in symbols:
            if other == typed:
                continue
            with pytest.raises(BadRecoveryKey, match="typo"):
                parse_recovery_key(shown[:i] + other + shown[i + 1 :])
            caught += 1
    assert caught == 56 * 31


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("ABCD-EFGH", "has 56 letters and digits; this has 8"),
        ("U" * 56, "'U' is not in a recovery key"),
        ("*" * 56, r"'\*' is not in a recovery key"),
        ("", "this has 0"),
    ],
    ids=["too short", "the letter U", "a symbol", "empty"],
)
def test_a_malformed_recovery_key_gets_a_clear_reason(typed: str, message: str) -> None:
    with pytest.raises(BadRecoveryKey, match=message):
        parse_recovery_key(typed)


# --- sealed to a person's public key -----------------------------------------------------


def test_a_key_sealed_to_a_person_opens_only_with_their_private_key() -> None:
    trainee, partner, stranger = KeyPair.fresh(), KeyPair.fresh(), KeyPair.fresh()
    pairing_key = new_key()
    sealed = seal_to(partner.public, pairing_key, label="pairing:4")
    assert open_sealed(partner, sealed, label="pairing:4") == pairing_key
    for wrong in (trainee, stranger):
        with pytest.raises(DecryptionFailed):
            open_sealed(wrong, sealed, label="pairing:4")
    with pytest.raises(DecryptionFailed):
        open_sealed(partner, sealed, label="pairing:5")


def test_sealing_twice_gives_different_bytes_and_every_flipped_byte_is_refused() -> None:
    partner = KeyPair.fresh()
    first = seal_to(partner.public, b"the same key", label="x")
    assert first != seal_to(partner.public, b"the same key", label="x")
    for i in range(len(first)):
        altered = bytearray(first)
        altered[i] ^= 0x01
        with pytest.raises(DecryptionFailed):
            open_sealed(partner, bytes(altered), label="x")
    with pytest.raises(DecryptionFailed):
        open_sealed(partner, first[:31], label="x")


def test_a_low_order_public_key_is_refused_not_used() -> None:
    with pytest.raises(DecryptionFailed):
        seal_to(bytes(32), new_key(), label="x")  # the all-zero point: shared secret 0


def test_a_thousand_keys_round_trip_through_their_wraps() -> None:
    kek = new_key()
    keys = [new_key() for _ in range(1000)]
    wraps = [wrap(kek, k, purpose="session", account_id=i) for i, k in enumerate(keys)]
    assert len(set(wraps)) == 1000
    assert [unwrap(kek, w, purpose="session", account_id=i) for i, w in enumerate(wraps)] == keys
