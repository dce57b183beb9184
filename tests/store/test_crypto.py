"""Encryption at rest: known answers, round trips, and every way a payload must not open.

The primitives come from `cryptography`; these tests pin that EaseIn calls them right
(published vectors), and that the codec binds each payload to its table, row, owner
and format version (a payload moved anywhere else, or altered by one bit, is refused).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine

from easein.store.codec import (
    HELD,
    PLAIN,
    SEALED,
    Context,
    HeldKeyCodec,
    PayloadError,
    PlainCodec,
    SealedCodec,
)
from easein.store.crypto import HKDF_SALT, Aead, DecryptionFailed, derive_key, key_id
from easein.store.keyfile import KeyUnavailable, open_key, read_key_file
from easein.store.migrations import ensure_current

# --- known answers ------------------------------------------------------------------------

# The GCM specification (McGrew & Viega), appendix B, test case 16: AES-256, 96-bit IV, AAD.
GCM_KEY = bytes.fromhex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308")
GCM_IV = bytes.fromhex("cafebabefacedbaddecaf888")
GCM_PLAIN = bytes.fromhex(
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
)
GCM_AAD = bytes.fromhex("feedfacedeadbeeffeedfacedeadbeefabaddad2")
GCM_CIPHER = bytes.fromhex(
    "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
    "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
)
GCM_TAG = bytes.fromhex("76fc6ece0f4e1768cddf8853bb2d551b")


def test_aes_256_gcm_matches_the_gcm_specification_test_case_16() -> None:
    sealed = Aead(GCM_KEY).seal(GCM_PLAIN, GCM_AAD, nonce=GCM_IV)
    assert sealed == GCM_IV + GCM_CIPHER + GCM_TAG
    assert Aead(GCM_KEY).open(sealed, GCM_AAD) == GCM_PLAIN


def test_hkdf_sha256_matches_rfc_5869_test_case_1() -> None:
    ikm = bytes([0x0B] * 22)
    salt = bytes.fromhex("000102030405060708090a0b0c")
    info = bytes.fromhex("f0f1f2f3f4f5f6f7f8f9")
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    okm = HKDF(algorithm=hashes.SHA256(), length=42, salt=salt, info=info).derive(ikm)
    assert okm.hex() == (
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"
    )


def _hkdf_by_hand(master: bytes, label: str) -> bytes:
    """RFC 5869 written out with the standard library's HMAC: an independent derivation."""
    prk = hmac.new(HKDF_SALT, master, hashlib.sha256).digest()
    return hmac.new(prk, label.encode() + b"\x01", hashlib.sha256).digest()


@pytest.mark.parametrize(
    ("master", "label", "expected"),
    [
        (
            bytes(range(32)),
            "easein/data-key/v1/owner:1",
            "47658d25d0f8443582341b7000acefc448374717ce3a8bc4cca65d0241965b7b",
        ),
    ],
)
def test_the_owner_key_derivation_gives_its_known_answer(
    master: bytes, label: str, expected: str
) -> None:
    assert derive_key(master, label).hex() == expected
    assert _hkdf_by_hand(master, label).hex() == expected


@given(st.binary(min_size=32, max_size=32), st.integers(min_value=0, max_value=2**31))
@settings(max_examples=50, deadline=None)
def test_owner_keys_agree_with_hkdf_written_out_and_differ_per_owner(
    master: bytes, owner: int
) -> None:
    mine = derive_key(master, f"easein/data-key/v1/owner:{owner}")
    assert mine == _hkdf_by_hand(master, f"easein/data-key/v1/owner:{owner}")
    assert mine != derive_key(master, f"easein/data-key/v1/owner:{owner + 1}")


def test_a_master_key_must_be_256_bits() -> None:
    with pytest.raises(ValueError):
        derive_key(b"short", "x")
    with pytest.raises(ValueError):
        Aead(b"short")


# --- the codec ----------------------------------------------------------------------------

MASTER = bytes(range(32))
CONTEXT = Context("sessions", owner_id=7, row_id=42)
DATA = {"notes": "MARKER-a5c1 private words", "pain": 3, "items": [1, 2], "ok": True}


def test_a_sealed_payload_carries_no_plaintext_and_opens_to_the_same_data() -> None:
    codec = SealedCodec(MASTER)
    blob = codec.encode(DATA, CONTEXT)
    assert blob[:1] == SEALED
    assert b"MARKER" not in blob and b"notes" not in blob and b"pain" not in blob
    assert codec.decode(blob, CONTEXT) == DATA


def test_a_thousand_round_trips_each_with_its_own_nonce() -> None:
    codec = SealedCodec(MASTER)
    nonces = set()
    for n in range(1000):
        data = {"n": n, "text": os.urandom(8).hex() * (n % 7), "nested": {"a": [n, None]}}
        ctx = Context("sessions", owner_id=n % 5, row_id=n)
        blob = codec.encode(data, ctx)
        nonces.add(blob[1:13])
        assert codec.decode(blob, ctx) == data
    assert len(nonces) == 1000


def test_every_flipped_byte_is_refused() -> None:
    codec = SealedCodec(MASTER)
    blob = codec.encode(DATA, CONTEXT)
    for position in range(len(blob)):
        for flip in (0x01, 0x80, 0xFF):
            altered = bytearray(blob)
            altered[position] ^= flip
            with pytest.raises(PayloadError):
                codec.decode(bytes(altered), CONTEXT)
    for cut in (1, 12, 28, len(blob) - 1):
        with pytest.raises(PayloadError):
            codec.decode(blob[:cut], CONTEXT)


@pytest.mark.parametrize(
    ("rule", "elsewhere"),
    [
        ("another row id", Context("sessions", owner_id=7, row_id=43)),
        ("another owner", Context("sessions", owner_id=8, row_id=42)),
        ("another table", Context("conditions", owner_id=7, row_id=42)),
        ("another column", Context("sessions.summary", owner_id=7, row_id=42)),
    ],
)
def test_a_payload_moved_elsewhere_is_refused(rule: str, elsewhere: Context) -> None:
    codec = SealedCodec(MASTER)
    blob = codec.encode(DATA, CONTEXT)
    with pytest.raises(PayloadError, match="does not open"):
        codec.decode(blob, elsewhere)


def test_the_format_version_is_bound_too() -> None:
    """The version byte is part of the associated data: a sealed body under another
    version byte is refused (unknown format), and it is in what the tag covers."""
    codec = SealedCodec(MASTER)
    blob = codec.encode(DATA, CONTEXT)
    assert SEALED in CONTEXT.associated_data()
    with pytest.raises(PayloadError):
        codec.decode(b"\x03" + blob[1:], CONTEXT)
    aead = Aead(derive_key(MASTER, "easein/data-key/v1/owner:7"))
    other_version = CONTEXT.associated_data().replace(b"\x00\x02\x00", b"\x00\x03\x00", 1)
    with pytest.raises(DecryptionFailed):
        aead.open(blob[1:], other_version)


def test_a_wrong_installation_key_is_refused() -> None:
    blob = SealedCodec(MASTER).encode(DATA, CONTEXT)
    with pytest.raises(PayloadError, match="does not open with this key"):
        SealedCodec(bytes(32)).decode(blob, CONTEXT)


def test_a_plain_payload_is_refused_unless_asked_for() -> None:
    """After the first start every row is sealed: a plain one was put there by someone
    else (it would dodge the binding), so it is refused."""
    legacy = PlainCodec().encode(DATA, CONTEXT)
    assert legacy[:1] == PLAIN
    with pytest.raises(PayloadError, match="unknown payload format"):
        SealedCodec(MASTER).decode(legacy, CONTEXT)
    assert SealedCodec(MASTER, accept_plain=True).decode(legacy, CONTEXT) == DATA


# --- the key file -------------------------------------------------------------------------

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


@pytest.fixture
def engine(tmp_path):
    made = create_engine(f"sqlite:///{tmp_path / 'k.db'}")
    ensure_current(made)
    yield made
    made.dispose()


def test_the_first_start_makes_a_key_only_its_owner_can_read(engine, tmp_path) -> None:
    path = tmp_path / "keys" / "easein.key"
    key = open_key(path, engine, NOW)
    assert len(key) == 32 and read_key_file(path) == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert open_key(path, engine, NOW) == key  # the next start reads the same key


def test_a_missing_key_file_is_refused_once_the_database_has_one(engine, tmp_path) -> None:
    path = tmp_path / "easein.key"
    open_key(path, engine, NOW)
    path.unlink()
    with pytest.raises(KeyUnavailable, match="is missing: this database cannot be read"):
        open_key(path, engine, NOW)
    assert not path.exists()  # no new key was made in its place


def test_another_databases_key_is_refused(engine, tmp_path) -> None:
    path = tmp_path / "easein.key"
    open_key(path, engine, NOW)
    other = create_engine(f"sqlite:///{tmp_path / 'other.db'}")
    ensure_current(other)
    other_path = tmp_path / "other.key"
    open_key(other_path, other, NOW)
    other.dispose()
    with pytest.raises(KeyUnavailable, match="belongs to another database"):
        open_key(other_path, engine, NOW)


@pytest.mark.parametrize(
    "text", ["", "not a key", "easein-key-v1:short", "easein-key-v1:" + "A" * 60]
)
def test_a_damaged_key_file_is_refused(engine, tmp_path, text: str) -> None:
    path = tmp_path / "easein.key"
    path.write_text(text)
    with pytest.raises(KeyUnavailable, match="not an EaseIn key file"):
        open_key(path, engine, NOW)


def test_the_database_keeps_only_a_fingerprint(engine, tmp_path) -> None:
    key = open_key(tmp_path / "easein.key", engine, NOW)
    raw = (tmp_path / "k.db").read_bytes()
    assert key not in raw
    assert key_id(key).encode() in raw


# --- payloads under a key the people hold (format 3) ----------------------------------------

HELD_KEY = bytes(range(100, 132))
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
CONTEXTS = st.builds(
    Context,
    st.sampled_from(["sessions.private", "comments", "conversation_answers", "shared_notes"]),
    st.integers(0, 2**31),
    st.integers(1, 2**31),
)


def test_the_held_key_derivation_gives_hkdf_written_out() -> None:
    """HeldKeyCodec's key is HKDF-SHA256(key, info="easein/held/v1/<purpose>"), checked
    against HKDF written out with the standard library's HMAC (RFC 5869)."""
    prk = hmac.new(HKDF_SALT, HELD_KEY, hashlib.sha256).digest()
    okm = hmac.new(prk, b"easein/held/v1/data-key\x01", hashlib.sha256).digest()
    blob = Aead(okm).seal(
        b'{"notes":"x"}', b"easein\x00\x03\x00data-key\x00sessions.private\x0042\x007"
    )
    assert HeldKeyCodec(HELD_KEY, "data-key").decode(
        HELD + blob, Context("sessions.private", 7, 42)
    ) == {"notes": "x"}


@settings(max_examples=300, deadline=None)
@given(data=st.dictionaries(st.text(max_size=8), JSON_VALUES, max_size=5), ctx=CONTEXTS)
def test_held_payloads_round_trip_and_open_nowhere_else(data, ctx: Context) -> None:
    codec = HeldKeyCodec(HELD_KEY, "pairing-key")
    blob = codec.encode(data, ctx)
    assert blob[:1] == HELD
    assert codec.decode(blob, ctx) == data
    for elsewhere in (
        ctx._replace(row_id=ctx.row_id + 1),
        ctx._replace(owner_id=ctx.owner_id + 1),
        ctx._replace(table=ctx.table + "x"),
    ):
        with pytest.raises(PayloadError):
            codec.decode(blob, elsewhere)
    with pytest.raises(PayloadError):  # same key, another purpose
        HeldKeyCodec(HELD_KEY, "data-key").decode(blob, ctx)


def test_held_and_installation_key_formats_are_not_confused() -> None:
    held, sealed = HeldKeyCodec(HELD_KEY, "data-key"), SealedCodec(MASTER)
    with pytest.raises(PayloadError):
        held.decode(sealed.encode(DATA, CONTEXT), CONTEXT)
    with pytest.raises(PayloadError):
        sealed.decode(held.encode(DATA, CONTEXT), CONTEXT)


def test_every_flipped_byte_of_a_held_payload_is_refused() -> None:
    codec = HeldKeyCodec(HELD_KEY, "data-key")
    blob = codec.encode(DATA, CONTEXT)
    for position in range(len(blob)):
        altered = bytearray(blob)
        altered[position] ^= 0x01
        with pytest.raises(PayloadError):
            codec.decode(bytes(altered), CONTEXT)
    for cut in (1, 12, 28, len(blob) - 1):
        with pytest.raises(PayloadError):
            codec.decode(blob[:cut], CONTEXT)
