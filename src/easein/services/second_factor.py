"""The optional TOTP second factor: enrol, confirm, take a code once, recovery codes, turn off.

The secret and the hashes of the recovery codes live in the row's payload, through
the codec (`Context("totp_factors", person_id, account_id)`), so that encryption at rest covers them
with everything else. The secret is shown once, at enrolment, and never again.

A code is accepted for its own 30-second step and the steps either side (clocks
drift), but each step at most once per account: `last_step` only moves forward, in
the same transaction that accepts the code, so a code seen over a shoulder or in a
log cannot be used a second time, not even by two requests racing.

Recovery codes are 80-bit random strings: a SHA-256 of each is enough (as for
sign-in tokens), and each is removed once used.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from easein.domain.errors import Conflict, InvalidInput, NotFound
from easein.services.app import App
from easein.store.account_models import AccountRow, TotpFactorRow
from easein.store.codec import Context

ISSUER = "EaseIn"  # what the authenticator app lists: the app's neutral name
RECOVERY_CODES = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud or typed from paper


@dataclass(frozen=True)
class Enrolment:
    """A started enrolment: shown once; the factor is on only after `confirm`."""

    secret: str
    uri: str


@dataclass(frozen=True)
class FactorStatus:
    enabled: bool
    pending: bool
    enabled_at: datetime | None
    recovery_codes_left: int


def _totp(secret: str) -> Any:
    import pyotp

    return pyotp.TOTP(secret)


def _context(person_id: int, account_id: int) -> Context:
    return Context("totp_factors", person_id, account_id)


def _person_of(db: DbSession, account_id: int) -> int:
    person_id = db.scalar(select(AccountRow.person_id).where(AccountRow.id == account_id))
    assert person_id is not None
    return int(person_id)


def recovery_hash(code: str) -> str:
    clean = "".join(code.lower().split()).replace("-", "")
    return hashlib.sha256(b"easein-recovery:" + clean.encode()).hexdigest()


def new_recovery_codes() -> list[str]:
    """Return fresh recovery codes: 16 characters of a 31-letter alphabet (79 bits) each."""
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(16))
        codes.append("-".join(raw[i : i + 4] for i in range(0, 16, 4)))
    return codes


def matching_step(secret: str, code: str, now: datetime, last_step: int | None) -> int | None:
    """Return the time step `code` belongs to (now, or one step either side), if not used yet."""
    clean = "".join(code.split())
    if len(clean) != 6 or not clean.isdigit():
        return None
    totp = _totp(secret)
    current = totp.timecode(now)
    found = None
    for step in (current - 1, current, current + 1):  # all three compared: no early exit
        fresh = last_step is None or step > last_step
        if hmac.compare_digest(totp.generate_otp(step), clean) and fresh:
            found = step
    return found


def is_on(db: DbSession, account_id: int) -> bool:
    row = db.get(TotpFactorRow, account_id)
    return row is not None and row.confirmed_at is not None


def use_code(db: DbSession, app: App, account_id: int, code: str) -> bool:
    """Take `code` (a current TOTP code or an unused recovery code) in the caller's write.

    Return whether it was right; a right code is used up.
    """
    row = db.get(TotpFactorRow, account_id, with_for_update=True)
    if row is None or row.confirmed_at is None:
        return False
    context = _context(_person_of(db, account_id), account_id)
    data = app.codec.decode(row.payload, context)
    step = matching_step(data["secret"], code, app.now(), row.last_step)
    if step is not None:
        row.last_step = step
        return True
    digest = recovery_hash(code)
    left: list[str] = data.get("recovery", [])
    if any(hmac.compare_digest(digest, h) for h in left):
        data["recovery"] = [h for h in left if h != digest]
        row.payload = app.codec.encode(data, context)
        return True
    return False


def status(app: App, account_id: int) -> FactorStatus:
    with app.db.reading() as db:
        row = db.get(TotpFactorRow, account_id)
        if row is None:
            return FactorStatus(False, False, None, 0)
        left = 0
        if row.confirmed_at is not None:
            data = app.codec.decode(row.payload, _context(_person_of(db, account_id), account_id))
            left = len(data.get("recovery", []))
        return FactorStatus(
            row.confirmed_at is not None, row.confirmed_at is None, row.confirmed_at, left
        )


def start(app: App, account_id: int, username: str) -> Enrolment:
    """Start (or restart) an enrolment: a new secret, off until confirmed with a code.

    The caller has checked the password.
    """
    import pyotp

    secret = pyotp.random_base32()  # 160 bits, as RFC 4226 recommends
    with app.db.writing() as db:
        row = db.get(TotpFactorRow, account_id, with_for_update=True)
        if row is not None and row.confirmed_at is not None:
            raise Conflict(
                "two-step sign-in is already on: turn it off first to set it up again",
                field="totp",
            )
        payload = app.codec.encode(
            {"secret": secret}, _context(_person_of(db, account_id), account_id)
        )
        if row is None:
            db.add(TotpFactorRow(account_id=account_id, created_at=app.now(), payload=payload))
        else:
            row.created_at, row.payload, row.last_step = app.now(), payload, None
    uri = _totp(secret).provisioning_uri(name=username, issuer_name=ISSUER)
    return Enrolment(secret, uri)


def pending_enrolment(app: App, account_id: int, username: str) -> Enrolment | None:
    """Return the enrolment not confirmed yet (to show it again after a mistyped code)."""
    with app.db.reading() as db:
        row = db.get(TotpFactorRow, account_id)
        if row is None or row.confirmed_at is not None:
            return None
        secret = app.codec.decode(row.payload, _context(_person_of(db, account_id), account_id))[
            "secret"
        ]
    return Enrolment(secret, _totp(secret).provisioning_uri(name=username, issuer_name=ISSUER))


def confirm(app: App, account_id: int, code: str) -> list[str]:
    """Turn the factor on with a first right code; return the recovery codes (shown once)."""
    codes = new_recovery_codes()
    with app.db.writing() as db:
        row = db.get(TotpFactorRow, account_id, with_for_update=True)
        if row is None:
            raise NotFound("start setting up two-step sign-in first", field="code")
        if row.confirmed_at is not None:
            raise Conflict("two-step sign-in is already on", field="code")
        context = _context(_person_of(db, account_id), account_id)
        data = app.codec.decode(row.payload, context)
        step = matching_step(data["secret"], code, app.now(), None)
        if step is None:
            raise InvalidInput(
                "code: wrong code; enter the 6 digits your authenticator app shows now "
                "(and check the phone's clock)",
                field="code",
                code="totp_wrong",
            )
        data["recovery"] = [recovery_hash(c) for c in codes]
        row.payload = app.codec.encode(data, context)
        row.confirmed_at = app.now()
        row.last_step = step
    return codes


def turn_off(app: App, account_id: int, code: str) -> None:
    """Turn the factor off with a right code (or a recovery code); the caller checked the
    password."""
    with app.db.writing() as db:
        if not is_on(db, account_id):
            raise NotFound("two-step sign-in is not on", field="code")
        if not use_code(db, app, account_id, code):
            raise _wrong_code()
        db.delete(db.get(TotpFactorRow, account_id))


def new_codes(app: App, account_id: int, code: str) -> list[str]:
    """Replace the recovery codes (after a right code); return the new ones, shown once."""
    codes = new_recovery_codes()
    with app.db.writing() as db:
        if not is_on(db, account_id):
            raise NotFound("two-step sign-in is not on", field="code")
        if not use_code(db, app, account_id, code):
            raise _wrong_code()
        row = db.get(TotpFactorRow, account_id)
        assert row is not None
        context = _context(_person_of(db, account_id), account_id)
        data = app.codec.decode(row.payload, context)
        data["recovery"] = [recovery_hash(c) for c in codes]
        row.payload = app.codec.encode(data, context)
    return codes


def _wrong_code() -> InvalidInput:
    return InvalidInput(
        "code: wrong or already used; enter the current 6 digits, or an unused recovery code",
        field="code",
        code="totp_wrong",
    )


def qr_svg(uri: str) -> str:
    """Return the enrolment QR code as an SVG element (drawn here: no script, no image URL)."""
    import segno

    out = io.BytesIO()
    segno.make(uri, error="m").save(
        out, kind="svg", xmldecl=False, svgns=True, scale=4, border=4, svgclass="qr",
        lineclass=None, dark="#000", light="#fff", title="QR code for your authenticator app",
    )  # fmt: skip
    return out.getvalue().decode()
