"""Key custody: the primitives for keys that only the person (and whom they choose) holds.

This is the layer under user-held keys (issue 5): `services.account_keys` keeps each
account's data key with it, and `services.recovery` writes recovery keys in its form.
`services.sealed_notes` seals the session notes with them (docs/security.md):

- **Wrapping.** A 256-bit key is wrapped (AES-256-GCM) by a key-encryption key (KEK);
  the associated data binds the purpose and the account, so a wrap made for one
  account or purpose does not open as another.
- **From a password**: Argon2id (RFC 9106) raw output, with its own random salt
  (never the sign-in hash's) and parameters stored beside the wrap, so they can rise
  later without losing what was wrapped before.
- **From a recovery key**: 32 random bytes shown once, as 14 groups of 4 Crockford
  base32 symbols with a 24-bit checksum: typing mistakes are told apart from a wrong
  key, and the confusable letters I, L and O are read as 1, 1 and 0.
- **From a bearer secret** (a sign-in token, a calendar-feed token, an invitation
  code): HKDF-SHA256 of the secret. The database keeps only the secret's SHA-256 for
  look-ups, which does not give this key.
- **Sealed to a person**: X25519 (RFC 7748) with a fresh ephemeral key per message,
  HKDF-SHA256 over the shared secret and both public keys, then AES-256-GCM: only the
  holder of the private key opens it (ECIES, as age and libsodium's sealed boxes do).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from easein.store.crypto import KEY_BYTES, Aead, DecryptionFailed, derive_key

SALT_BYTES = 16
RAW = serialization.Encoding.Raw


class BadRecoveryKey(ValueError):
    """A recovery key as typed is not well formed (wrong length, symbol or checksum)."""


@dataclass(frozen=True)
class PasswordKdf:
    """Argon2id parameters and salt of one password-derived key (stored with its wrap)."""

    salt: bytes
    time_cost: int
    memory_kib: int
    parallelism: int

    @classmethod
    def fresh(cls, *, time_cost: int, memory_kib: int, parallelism: int) -> PasswordKdf:
        return cls(secrets.token_bytes(SALT_BYTES), time_cost, memory_kib, parallelism)

    def derive(self, password: str) -> bytes:
        """The 256-bit key-encryption key of `password` under these parameters."""
        return hash_secret_raw(
            password.encode(),
            self.salt,
            time_cost=self.time_cost,
            memory_cost=self.memory_kib,
            parallelism=self.parallelism,
            hash_len=KEY_BYTES,
            type=Type.ID,
        )


def _wrap_ad(purpose: str, account_id: int) -> bytes:
    return b"easein\x00wrap\x00v1\x00%b\x00%d" % (purpose.encode(), account_id)


def wrap(kek: bytes, key: bytes, *, purpose: str, account_id: int) -> bytes:
    """Return `key` sealed under `kek`, bound to `purpose` and `account_id`."""
    if len(key) != KEY_BYTES:
        raise ValueError("only 256-bit keys are wrapped")
    return Aead(kek).seal(key, _wrap_ad(purpose, account_id))


def unwrap(kek: bytes, wrapped: bytes, *, purpose: str, account_id: int) -> bytes:
    """Return the key inside `wrapped`; `DecryptionFailed` for a wrong KEK or place."""
    key = Aead(kek).open(wrapped, _wrap_ad(purpose, account_id))
    if len(key) != KEY_BYTES:  # pragma: no cover - only this module wraps
        raise DecryptionFailed("a wrapped key has the wrong length")
    return key


def secret_kek(secret: str, purpose: str) -> bytes:
    """The key-encryption key of a bearer secret (token, feed token, invitation code)."""
    material = hashlib.sha256(secret.encode()).digest()
    return derive_key(material, f"easein/secret-kek/v1/{purpose}", salt=b"easein/secret/v1")


# Crockford's base32: no I, L, O or U; those typed by mistake are read as their look-alikes.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_READ = {c: i for i, c in enumerate(_ALPHABET)} | {"I": 1, "L": 1, "O": 0}
_CHECK_BYTES = 3
_SYMBOLS = (KEY_BYTES + _CHECK_BYTES) * 8 // 5  # 280 bits: 56 symbols, no padding


def _check(key: bytes) -> bytes:
    return hashlib.sha256(b"easein/recovery/v1" + key).digest()[:_CHECK_BYTES]


def new_recovery_key() -> tuple[bytes, str]:
    """Return a fresh recovery key and the text to show once: 14 groups of 4 symbols."""
    key = secrets.token_bytes(KEY_BYTES)
    return key, format_recovery_key(key)


def format_recovery_key(key: bytes) -> str:
    number = int.from_bytes(key + _check(key), "big")
    symbols = "".join(_ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(_SYMBOLS)))
    return "-".join(symbols[i : i + 4] for i in range(0, _SYMBOLS, 4))


def parse_recovery_key(text: str) -> bytes:
    """The key in `text` as typed: any case, spaces and dashes ignored."""
    symbols = "".join(text.split()).replace("-", "").upper()
    if len(symbols) != _SYMBOLS:
        raise BadRecoveryKey(
            f"a recovery key has {_SYMBOLS} letters and digits; this has {len(symbols)}"
        )
    number = 0
    for symbol in symbols:
        if symbol not in _READ:
            raise BadRecoveryKey(f"{symbol!r} is not in a recovery key: check for a typo")
        number = number << 5 | _READ[symbol]
    raw = number.to_bytes(KEY_BYTES + _CHECK_BYTES, "big")
    key, check = raw[:KEY_BYTES], raw[KEY_BYTES:]
    if not secrets.compare_digest(check, _check(key)):
        raise BadRecoveryKey("this recovery key has a typo: compare it again, group by group")
    return key


def recovery_kek(key: bytes) -> bytes:
    return derive_key(key, "easein/recovery-kek/v1")


@dataclass(frozen=True)
class KeyPair:
    """A person's X25519 key pair: the private half is stored only wrapped."""

    private: bytes
    public: bytes

    @classmethod
    def fresh(cls) -> KeyPair:
        return cls.from_private(X25519PrivateKey.generate().private_bytes_raw())

    @classmethod
    def from_private(cls, private: bytes) -> KeyPair:
        key = X25519PrivateKey.from_private_bytes(private)
        return cls(private, key.public_key().public_bytes_raw())


def _seal_key(shared: bytes, ephemeral: bytes, recipient: bytes, label: str) -> Aead:
    if shared == bytes(len(shared)):
        raise DecryptionFailed("a low-order public key")  # RFC 7748, section 6.1
    material = hashlib.sha256(shared).digest()
    return Aead(derive_key(material, f"easein/seal/v1/{label}", salt=ephemeral + recipient))


def seal_to(recipient_public: bytes, plaintext: bytes, *, label: str) -> bytes:
    """Seal `plaintext` so that only the holder of the recipient's private key opens it."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes_raw()
    try:
        shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient_public))
    except ValueError:  # a low-order public key: cryptography refuses the all-zero result
        raise DecryptionFailed("not a usable public key") from None
    aead = _seal_key(shared, ephemeral_public, recipient_public, label)
    return ephemeral_public + aead.seal(plaintext, label.encode())


def open_sealed(pair: KeyPair, sealed: bytes, *, label: str) -> bytes:
    """Open what `seal_to` sealed to `pair.public`; `DecryptionFailed` otherwise."""
    ephemeral_public, body = sealed[:32], sealed[32:]
    if len(ephemeral_public) != 32:
        raise DecryptionFailed("a sealed key is truncated")
    private = X25519PrivateKey.from_private_bytes(pair.private)
    try:
        shared = private.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
    except ValueError:
        raise DecryptionFailed("a sealed key does not open") from None
    return _seal_key(shared, ephemeral_public, pair.public, label).open(body, label.encode())
