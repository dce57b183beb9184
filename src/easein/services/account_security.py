"""Changes to how an account signs in: the TOTP second factor and the decoy PIN.

Each change needs the account's password (a borrowed, signed-in browser is not
enough to lock the owner out or to plant a decoy); turning the second factor off
also needs a code.

The decoy PIN opens another account, made when the PIN is set: an empty profile
of its own (its own person, no data), named "!" + the owner's name so that no one
can sign up or sign in by that name, showing the owner's name once signed in. It
shares nothing with the real account: every service reads and writes by person, and
the decoy is another person. What it does not hide: see docs/security.md.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from easein.domain.errors import InvalidInput
from easein.services import second_factor
from easein.services.accounts import (
    DECOY_MARK,
    Principal,
    add_account,
    end_other_sign_ins,
    hasher,
    verify_password,
)
from easein.services.app import App
from easein.services.second_factor import Enrolment, FactorStatus
from easein.store.account_models import AccountRow, DecoyRow
from easein.store.models import Person

PIN_DIGITS = (4, 12)


# --- the second factor -----------------------------------------------------------------------


def totp_status(app: App, who: Principal) -> FactorStatus:
    return second_factor.status(app, who.account_id)


def totp_start(app: App, who: Principal, *, password: str) -> Enrolment:
    """Start setting up the second factor: the secret, shown once; off until confirmed."""
    verify_password(app, who, password)
    return second_factor.start(app, who.account_id, who.username)


def totp_confirm(app: App, who: Principal, *, code: str) -> list[str]:
    """Turn the second factor on with a first code; return the recovery codes (shown once).

    Every other browser sign-in ends: one made by someone else before is not let through.
    """
    codes = second_factor.confirm(app, who.account_id, code)
    with app.db.writing() as db:
        end_other_sign_ins(db, who)
    return codes


def totp_turn_off(app: App, who: Principal, *, password: str, code: str) -> None:
    verify_password(app, who, password)
    second_factor.turn_off(app, who.account_id, code)


def totp_new_recovery_codes(app: App, who: Principal, *, password: str, code: str) -> list[str]:
    verify_password(app, who, password)
    return second_factor.new_codes(app, who.account_id, code)


# --- the decoy PIN ---------------------------------------------------------------------------


def has_decoy(app: App, who: Principal) -> bool:
    with app.db.reading() as db:
        return db.get(DecoyRow, who.account_id) is not None


def check_pin(pin: str) -> str:
    low, high = PIN_DIGITS
    clean = pin.strip()
    if not (low <= len(clean) <= high and clean.isascii() and clean.isdigit()):
        raise InvalidInput(f"pin: {low}-{high} digits", field="pin", code="pin_invalid")
    return clean


def set_decoy(app: App, who: Principal, *, password: str, pin: str) -> None:
    """Set (or replace) the decoy PIN: a new, empty decoy profile opened by it."""
    from argon2.exceptions import VerificationError

    clean = check_pin(pin)
    verify_password(app, who, password)
    with app.db.reading() as db:
        account = db.get(AccountRow, who.account_id)
        assert account is not None
        stored, real_name = account.password_hash, account.username
    try:
        same = hasher(app).verify(stored, clean)
    except VerificationError:
        same = False
    if same:
        raise InvalidInput("pin: must not be your password", field="pin", code="pin_is_password")
    name = DECOY_MARK + real_name
    if len(name) > 64:
        raise InvalidInput("this account's name is too long for a decoy", field="pin")
    digest = hasher(app).hash(clean)
    with app.db.writing() as db:
        _remove_decoy(db, who.account_id)
        db.flush()
        decoy = add_account(
            db,
            app,
            username=name,
            password_hash=digest,
            adult=True,
            timezone=who.profile.timezone,
            units=who.profile.units.value,
        )
        db.add(DecoyRow(account_id=who.account_id, decoy_account_id=decoy.id, created_at=app.now()))


def clear_decoy(app: App, who: Principal, *, password: str) -> None:
    """Remove the decoy PIN and its profile."""
    verify_password(app, who, password)
    with app.db.writing() as db:
        _remove_decoy(db, who.account_id)


def _remove_decoy(db: DbSession, account_id: int) -> None:
    link = db.get(DecoyRow, account_id)
    if link is None:
        return
    _remove_decoy(db, link.decoy_account_id)  # a decoy's own decoy, if someone made one
    person_id = db.scalar(
        select(AccountRow.person_id).where(AccountRow.id == link.decoy_account_id)
    )
    person = db.get(Person, person_id)
    if person is not None:
        db.delete(person)  # its account, sign-ins and the link go with it (cascade)
