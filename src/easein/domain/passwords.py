"""Password rules after NIST SP 800-63B: long enough, not too long, not common, not the name.

No composition rules (a digit, a capital, a symbol): NIST advises against them,
as they make passwords harder to remember and hardly harder to guess. Length
counts characters (Unicode code points), spaces included, and a passphrase of
several words fits comfortably. The list of common passwords is passed in, so
this module reads no file; `easein.services.common_passwords` loads the list
EaseIn ships.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Container

from easein.domain.errors import InvalidInput

MIN_LENGTH = 8
MAX_LENGTH = 256  # NIST: allow at least 64; the cap only bounds the hashing work.

# Rule ids: the `type` of a 422 and the `code` of the error, so clients can tell them apart.
BLANK = "password_blank"
TOO_SHORT = "password_too_short"
TOO_LONG = "password_too_long"
COMMON = "password_common"
IS_USERNAME = "password_is_username"


def normalise(password: str) -> str:
    """The password as hashed and as a key is derived from it: Unicode NFKC (SP 800-63B,
    5.1.1.2), so an accented letter typed precomposed or as a letter and a combining
    accent is the same password."""
    return unicodedata.normalize("NFKC", password)


def comparable(password: str) -> str:
    """Return `password` as the common-password list and the username are compared.

    Case-insensitive and without surrounding spaces: "Password1 " is as
    guessable as "password1".
    """
    return password.strip().lower()


def check_password(
    password: str,
    *,
    common: Container[str],
    username: str = "",
    field: str = "password",
) -> str:
    """Return `password` if it may be used, else raise naming `field` and the rule it breaks.

    `common` holds the common passwords, lower-cased; `username` is the
    account's name (a password equal to it is the first thing anyone tries).
    """
    if password and not password.strip():
        raise InvalidInput(f"{field}: not only spaces", field=field, code=BLANK)
    if len(password) < MIN_LENGTH:
        raise InvalidInput(
            f"{field}: at least {MIN_LENGTH} characters; a few words you can remember work well",
            field=field,
            code=TOO_SHORT,
        )
    if len(password) > MAX_LENGTH:
        raise InvalidInput(f"{field}: at most {MAX_LENGTH} characters", field=field, code=TOO_LONG)
    plain = comparable(password)
    if username and plain == username.strip().lower():
        raise InvalidInput(
            f"{field}: must not be your username; choose something only you know",
            field=field,
            code=IS_USERNAME,
        )
    if plain in common:
        raise InvalidInput(
            f"{field}: this is one of the most common passwords, tried first by anyone "
            "guessing; choose another (a few unrelated words work well)",
            field=field,
            code=COMMON,
        )
    return password
