"""Bodies of the account-security routes: two-step sign-in, decoy PIN, auto-delete."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field, StrictInt, StrictStr

from easein.api.schemas import Strict


class PasswordOnly(Strict):
    password: StrictStr = Field(max_length=256)


class TotpCode(Strict):
    code: StrictStr = Field(max_length=64, description="The 6 digits the app shows now.")


class TotpChange(Strict):
    password: StrictStr = Field(max_length=256)
    code: StrictStr = Field(
        max_length=64, description="The current 6-digit code, or an unused recovery code."
    )


class TotpStatusOut(BaseModel):
    enabled: bool
    pending: bool = Field(description="Set up but not confirmed with a first code yet.")
    enabled_at: datetime | None
    recovery_codes_left: int


class TotpEnrolmentOut(BaseModel):
    secret: str = Field(description="Shown once: type it into the app, or open the URI.")
    otpauth_uri: str


class RecoveryCodesOut(BaseModel):
    recovery_codes: list[str] = Field(
        description="Shown once: each signs in once in place of a code; only hashes are kept."
    )


class DecoyOut(BaseModel):
    enabled: bool


class DecoySet(Strict):
    password: StrictStr = Field(max_length=256)
    pin: StrictStr = Field(min_length=4, max_length=12, pattern=r"^[0-9]+$")


class AutoDeleteOut(BaseModel):
    older_than_days: int | None = Field(description="null: nothing is deleted automatically.")


class AutoDeleteSet(Strict):
    older_than_days: StrictInt | None = Field(ge=7, le=3650)
