"""Two-step sign-in (TOTP), the decoy PIN and auto-delete of old entries."""

from __future__ import annotations

from fastapi import APIRouter, status

from easein.api.account_schemas import (
    AutoDeleteOut,
    AutoDeleteSet,
    DecoyOut,
    DecoySet,
    PasswordOnly,
    RecoveryCodesOut,
    TotpChange,
    TotpCode,
    TotpEnrolmentOut,
    TotpStatusOut,
)
from easein.api.deps import AppDep, Who
from easein.api.errors import ERROR_RESPONSES
from easein.services import account_security as security
from easein.services import auto_delete

router = APIRouter(tags=["account"], responses=ERROR_RESPONSES)


@router.get("/account/totp", response_model=TotpStatusOut)
def totp_status(who: Who, app: AppDep) -> TotpStatusOut:
    """Whether two-step sign-in is on, and how many recovery codes are left (never the secret)."""
    return TotpStatusOut(**vars(security.totp_status(app, who)))


@router.post("/account/totp", status_code=status.HTTP_201_CREATED, response_model=TotpEnrolmentOut)
def totp_start(body: PasswordOnly, who: Who, app: AppDep) -> TotpEnrolmentOut:
    """Start setting up two-step sign-in (password required): the secret, shown this once.

    It is off until confirmed with a first code (`POST /account/totp/confirm`).
    """
    made = security.totp_start(app, who, password=body.password)
    return TotpEnrolmentOut(secret=made.secret, otpauth_uri=made.uri)


@router.post("/account/totp/confirm", response_model=RecoveryCodesOut)
def totp_confirm(body: TotpCode, who: Who, app: AppDep) -> RecoveryCodesOut:
    """Turn two-step sign-in on with a first code; returns 10 recovery codes, shown once.

    Every other browser sign-in ends; personal access tokens stay.
    """
    return RecoveryCodesOut(recovery_codes=security.totp_confirm(app, who, code=body.code))


@router.delete("/account/totp", status_code=status.HTTP_204_NO_CONTENT)
def totp_turn_off(body: TotpChange, who: Who, app: AppDep) -> None:
    """Turn two-step sign-in off: the password and a code (or a recovery code)."""
    security.totp_turn_off(app, who, password=body.password, code=body.code)


@router.post("/account/totp/recovery-codes", response_model=RecoveryCodesOut)
def totp_recovery_codes(body: TotpChange, who: Who, app: AppDep) -> RecoveryCodesOut:
    """Replace the recovery codes (the password and a code); the old ones stop working."""
    codes = security.totp_new_recovery_codes(app, who, password=body.password, code=body.code)
    return RecoveryCodesOut(recovery_codes=codes)


@router.get("/account/decoy", response_model=DecoyOut)
def decoy(who: Who, app: AppDep) -> DecoyOut:
    """Whether a decoy PIN is set."""
    return DecoyOut(enabled=security.has_decoy(app, who))


@router.put("/account/decoy", status_code=status.HTTP_204_NO_CONTENT)
def set_decoy(body: DecoySet, who: Who, app: AppDep) -> None:
    """Set or replace the decoy PIN (password required): signing in with your name and the
    PIN opens a separate, empty profile."""
    security.set_decoy(app, who, password=body.password, pin=body.pin)


@router.delete("/account/decoy", status_code=status.HTTP_204_NO_CONTENT)
def clear_decoy(body: PasswordOnly, who: Who, app: AppDep) -> None:
    """Remove the decoy PIN and its profile (password required)."""
    security.clear_decoy(app, who, password=body.password)


@router.get("/account/auto-delete", response_model=AutoDeleteOut)
def auto_delete_setting(who: Who, app: AppDep) -> AutoDeleteOut:
    """After how many days entries are deleted automatically (null: never)."""
    return AutoDeleteOut(older_than_days=auto_delete.setting(app, who.profile.person_id))


@router.put("/account/auto-delete", response_model=AutoDeleteOut)
def set_auto_delete(body: AutoDeleteSet, who: Who, app: AppDep) -> AutoDeleteOut:
    """Delete sessions, cleared conditions and check-ins older than N days (null: never).

    The earned size history goes with them. Sessions behind a current hold or rest stay.
    """
    days = auto_delete.set_setting(app, who.profile.person_id, body.older_than_days)
    return AutoDeleteOut(older_than_days=days)
