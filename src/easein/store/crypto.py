"""The cryptographic primitives of encryption at rest, from `cryptography`, in one place.

- AEAD: AES-256-GCM with a random 96-bit nonce per message (keys are per account and
  per purpose, so a key seals far fewer than the 2**32 messages random nonces allow).
- Key derivation: HKDF-SHA256 (RFC 5869) from the installation key, one key per
  account and purpose; the label is the HKDF `info`.

Nothing here knows about tables or rows: `store.codec` builds the associated data.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
HKDF_SALT = b"easein/hkdf/v1"


class DecryptionFailed(Exception):
    """A ciphertext did not open: wrong key, altered bytes, or moved to another place."""


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def derive_key(master: bytes, label: str, *, salt: bytes = HKDF_SALT) -> bytes:
    """Return the 256-bit key for `label`, derived from `master` with HKDF-SHA256."""
    if len(master) != KEY_BYTES:
        raise ValueError("the master key must be 32 bytes")
    hkdf = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=label.encode())
    return hkdf.derive(master)


def key_id(master: bytes) -> str:
    """A public fingerprint of `master` (HMAC-SHA256 of a fixed text): it tells which key
    a database was sealed with without revealing the key."""
    return hmac.new(master, b"easein/key-id/v1", hashlib.sha256).hexdigest()[:32]


class Aead:
    """AES-256-GCM under one key: `seal` returns nonce || ciphertext || tag."""

    __slots__ = ("_aead",)

    def __init__(self, key: bytes):
        if len(key) != KEY_BYTES:
            raise ValueError("an AEAD key must be 32 bytes")
        self._aead = AESGCM(key)

    def seal(self, plaintext: bytes, associated: bytes, *, nonce: bytes | None = None) -> bytes:
        nonce = secrets.token_bytes(NONCE_BYTES) if nonce is None else nonce
        return nonce + self._aead.encrypt(nonce, plaintext, associated)

    def open(self, sealed: bytes, associated: bytes) -> bytes:
        opened = self.open_or_none(sealed, associated)
        if opened is None:
            raise DecryptionFailed("the ciphertext does not open with this key here")
        return opened

    def open_or_none(self, sealed: bytes, associated: bytes) -> bytes | None:
        """`open`, returning None instead of raising (the codec reads thousands a call)."""
        if len(sealed) < NONCE_BYTES + TAG_BYTES:
            return None
        try:
            opened: bytes = self._aead.decrypt(
                sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], associated
            )
        except InvalidTag:
            return None
        return opened
