"""The second factor, the decoy profile and auto-delete (issue 5): per-account tables.

Not mapped by commands that never sign in (status, log...): they start faster.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from easein.store.models import Base
from easein.store.types import UTCDateTime


class AccountRow(Base):
    """A way to sign in, for one person (hosted use; local mode needs none)."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    username: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    # SHA-256 of the recovery key shown once (services.recovery); None for accounts
    # made before recovery keys, until they make one in Settings, and for decoys.
    recovery_key_hash: Mapped[str | None] = mapped_column(String(64))


class AuthSessionRow(Base):
    """A signed-in browser or client. Only the hash of its token is stored."""

    __tablename__ = "auth_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False
    )
    kind: Mapped[str] = mapped_column(String(16), nullable=False)  # browser | token
    name: Mapped[str] = mapped_column(String(80), nullable=False)
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The account's data key wrapped under a key derived from this sign-in's token, which
    # only the client holds (services.account_keys); None for sign-ins made before.
    wrapped_key: Mapped[bytes | None] = mapped_column(LargeBinary)

    __table_args__ = (Index("ix_auth_sessions_account", "account_id"),)


class LoginFailureRow(Base):
    """A failed sign-in, by hashed username, for throttling across workers."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), nullable=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)

    __table_args__ = (Index("ix_login_failures_key_at", "key", "at"),)


# --- second factor, decoy profile, auto-delete (issue 5) -----------------------------------


class TotpFactorRow(Base):
    """An account's TOTP second factor: the secret and the recovery-code hashes, in the
    payload (codec, Context("totp_factors", person_id, account_id)); on once `confirmed_at` is set.

    `last_step` is the time step of the last code accepted: a code is taken once.
    """

    __tablename__ = "totp_factors"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_step: Mapped[int | None] = mapped_column(Integer)
    payload: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)


class DecoyRow(Base):
    """An account's decoy: another, empty account signed in by the decoy PIN."""

    __tablename__ = "decoys"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    decoy_account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class AutoDeleteRow(Base):
    """A person's choice to delete entries older than `older_than_days` (`easein purge`)."""

    __tablename__ = "auto_delete"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    older_than_days: Mapped[int] = mapped_column(Integer, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class InstallationKeyRow(Base):
    """Which installation key seals this database's payloads: its public fingerprint
    (`store.crypto.key_id`), never the key. One row (id 1), written on first start."""

    __tablename__ = "installation_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    key_id: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class AccountKeyRow(Base):
    """An account's data key, only ever wrapped (services.account_keys, store.custody).

    `by_password`: under Argon2id of the password, with its own salt and parameters
    (never the sign-in hash's); `by_recovery`: under the recovery key (None until one
    wraps it). `public_key` / `private_key`: the account's X25519 pair, the private half
    wrapped under the data key.
    """

    __tablename__ = "account_keys"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    salt: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    time_cost: Mapped[int] = mapped_column(Integer, nullable=False)
    memory_kib: Mapped[int] = mapped_column(Integer, nullable=False)
    parallelism: Mapped[int] = mapped_column(Integer, nullable=False)
    by_password: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    by_recovery: Mapped[bytes | None] = mapped_column(LargeBinary)
    public_key: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    private_key: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
