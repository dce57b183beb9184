"""Accounts: register, sign in and out, sign-ins, tokens, password, profile, deletion."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from easein.api.deps import COOKIE, AppDep, Who
from easein.api.errors import ERROR_RESPONSES, MessageBody
from easein.api.schemas import (
    AccountDelete,
    Login,
    PasswordChange,
    ProfileOut,
    ProfileUpdate,
    Recover,
    RecoveryKeyNew,
    RecoveryKeyOut,
    Register,
    Registered,
    ResourceId,
    SignedIn,
    SignInOut,
    TokenCreate,
    TokenCreated,
)
from easein.services import accounts, recovery
from easein.services.profile import update_profile

router = APIRouter(tags=["account"], responses=ERROR_RESPONSES)


def set_session_cookie(response: Response, app: AppDep, token: str) -> None:
    response.set_cookie(
        COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=app.settings.secure_cookies,
        max_age=app.settings.session_max_days * 86400,
        path="/",
    )


@router.post("/accounts", status_code=status.HTTP_201_CREATED, response_model=Registered)
def register(body: Register, app: AppDep, request: Request, response: Response) -> Registered:
    """Create an account (adults only) and sign in. The answer carries the recovery key,
    shown this once: keep it somewhere safe, apart from the password."""
    _, token, recovery_key = accounts.register(
        app,
        username=body.username,
        password=body.password,
        adult=body.adult,
        timezone=body.timezone,
        units=body.units,
        client=request.headers.get("user-agent", "browser")[:80],
    )
    set_session_cookie(response, app, token)
    return Registered(
        username=body.username.strip().lower(),
        csrf_token=accounts.csrf_token(accounts.token_hash(token)),
        recovery_key=recovery_key,
    )


def _sign_in(
    app: AppDep,
    username: str,
    password: str,
    request: Request,
    response: Response,
    totp: str | None = None,
) -> SignedIn:
    client = request.headers.get("user-agent", "browser")[:80]
    token = accounts.login(app, username=username, password=password, totp=totp, client=client)
    set_session_cookie(response, app, token)
    return SignedIn(
        username=username.strip().lower(),
        csrf_token=accounts.csrf_token(accounts.token_hash(token)),
    )


@router.post(
    "/auth/login",
    response_model=SignedIn,
    responses={429: {"model": MessageBody, "description": "Too many failed sign-ins"}},
)
def login(body: Login, app: AppDep, request: Request, response: Response) -> SignedIn:
    """Sign in: sets an HttpOnly session cookie and returns the CSRF token for writes.

    With two-step sign-in on, send `totp` too: without a right code the answer is the
    same 401 as for a wrong password, with `"code": "totp_required"` once the password
    was right. Wrong codes count toward the 429 like wrong passwords.
    """
    return _sign_in(app, body.username, body.password, request, response, body.totp)


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(who: Who, app: AppDep, response: Response) -> Response:
    """End this sign-in."""
    accounts.logout(app, who)
    response.delete_cookie(COOKIE, path="/")
    response.status_code = status.HTTP_204_NO_CONTENT
    return response


@router.get("/auth/sessions", response_model=list[SignInOut])
def sign_ins(who: Who, app: AppDep) -> list[SignInOut]:
    """List your signed-in browsers."""
    return [
        SignInOut(**vars(s), current=s.id == who.session_id)
        for s in accounts.list_sign_ins(app, who)
    ]


@router.delete("/auth/sessions/{session_id}", status_code=status.HTTP_204_NO_CONTENT)
def end_sign_in(session_id: ResourceId, who: Who, app: AppDep) -> None:
    """End one of your sign-ins (another device, say)."""
    accounts.end_sign_in(app, who, session_id)


@router.get("/tokens", response_model=list[SignInOut])
def tokens(who: Who, app: AppDep) -> list[SignInOut]:
    """List your personal access tokens (never the tokens themselves)."""
    found = accounts.list_sign_ins(app, who, kind=accounts.ACCESS_TOKEN)
    return [SignInOut(**vars(s), current=s.id == who.session_id) for s in found]


@router.post("/tokens", status_code=status.HTTP_201_CREATED, response_model=TokenCreated)
def create_token(body: TokenCreate, who: Who, app: AppDep) -> TokenCreated:
    """Create a personal access token for scripts: send it as `Authorization: Bearer`."""
    token, made = accounts.create_access_token(app, who, body.name)
    return TokenCreated(id=made.id, name=made.name, token=token)


@router.delete("/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_token(token_id: ResourceId, who: Who, app: AppDep) -> None:
    """Revoke one of your tokens."""
    accounts.end_sign_in(app, who, token_id, kind=accounts.ACCESS_TOKEN)


@router.post("/account/password", status_code=status.HTTP_204_NO_CONTENT)
def change_password(body: PasswordChange, who: Who, app: AppDep) -> None:
    """Change your password (the current one is required); other sign-ins and tokens end."""
    accounts.change_password(app, who, current=body.current_password, new=body.new_password)


@router.post(
    "/account/recover",
    response_model=RecoveryKeyOut,
    responses={429: {"model": MessageBody, "description": "Too many failed attempts"}},
)
def recover(body: Recover, app: AppDep) -> RecoveryKeyOut:
    """Forgot the password: set a new one with the recovery key (no sign-in needed).

    Every sign-in and token of the account ends; the recovery key is used up and the
    answer carries the next one, shown once. A wrong key and an unknown username get the
    same 401, and count toward the 429 like wrong passwords. Two-step sign-in stays on.
    """
    text = recovery.reset_password(
        app, username=body.username, recovery_key=body.recovery_key, new_password=body.new_password
    )
    return RecoveryKeyOut(recovery_key=text)


@router.post(
    "/account/recovery-key", status_code=status.HTTP_201_CREATED, response_model=RecoveryKeyOut
)
def new_recovery_key(body: RecoveryKeyNew, who: Who, app: AppDep) -> RecoveryKeyOut:
    """Make a new recovery key (the password is required); the old one stops working."""
    return RecoveryKeyOut(recovery_key=recovery.replace(app, who, password=body.password))


@router.delete("/account", status_code=status.HTTP_204_NO_CONTENT)
def delete_account(body: AccountDelete, who: Who, app: AppDep, response: Response) -> Response:
    """Delete your account and everything in it, for good."""
    accounts.delete_account(app, who, password=body.password)
    response.delete_cookie(COOKIE, path="/")
    response.status_code = status.HTTP_204_NO_CONTENT
    return response


@router.get("/profile", response_model=ProfileOut)
def profile(who: Who) -> ProfileOut:
    """Your time zone and units."""
    p = who.profile
    return ProfileOut(username=who.username, timezone=p.timezone, units=p.units.value)


@router.patch("/profile", response_model=ProfileOut)
def change_profile(body: ProfileUpdate, who: Who, app: AppDep) -> ProfileOut:
    """Change your time zone and/or units."""
    p = update_profile(app, who.profile.person_id, timezone=body.timezone, units=body.units)
    return ProfileOut(username=who.username, timezone=p.timezone, units=p.units.value)
