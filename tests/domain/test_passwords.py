"""The password rules (NIST SP 800-63B), a row per rule: which passwords pass, which break what."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from easein.domain import passwords
from easein.domain.errors import InvalidInput
from easein.domain.passwords import check_password

COMMON = frozenset({"password1", "iloveyou", "qwertyuiop"})


@pytest.mark.parametrize(
    ("rule", "password", "username"),
    [
        (passwords.BLANK, " " * 12, ""),
        (passwords.TOO_SHORT, "", ""),
        (passwords.TOO_SHORT, "seven c", ""),
        (passwords.TOO_LONG, "x" * 257, ""),
        (passwords.COMMON, "password1", ""),
        (passwords.COMMON, "PassWord1", ""),  # compared without case
        (passwords.COMMON, " iloveyou ", ""),  # nor surrounding spaces
        (passwords.IS_USERNAME, "alice-smith", "alice-smith"),
        (passwords.IS_USERNAME, "Alice-Smith", "alice-smith"),
    ],
)
def test_a_password_breaking_a_rule_is_refused_naming_the_rule(rule, password, username):
    with pytest.raises(InvalidInput) as refused:
        check_password(password, common=COMMON, username=username)
    assert refused.value.code == rule
    assert refused.value.field == "password"
    assert refused.value.message.startswith("password: ")


@pytest.mark.parametrize(
    ("why", "password"),
    [
        ("exactly the minimum", "8 chars!"),
        ("64 characters, as NIST asks to allow", "w" * 64),
        ("the maximum", "w" * 256),
        ("no composition rules: all lower case", "horse battery staple"),
        ("no composition rules: digits only", "40917362"),
        ("letters beyond ASCII count as characters", "größenwahn"),
        ("contains the username but is more", "alice-smith likes tea"),
        ("contains a common password but is more", "password1 and then some"),
    ],
)
def test_a_password_within_the_rules_passes(why, password):
    assert check_password(password, common=COMMON, username="alice-smith") == password


def test_the_field_is_named_as_the_caller_says():
    with pytest.raises(InvalidInput) as refused:
        check_password("short", common=COMMON, field="new_password")
    assert refused.value.field == "new_password"
    assert refused.value.message.startswith("new_password: ")


@given(st.text(min_size=passwords.MIN_LENGTH, max_size=passwords.MAX_LENGTH))
def test_only_the_listed_rules_refuse(password):
    """No hidden rule: a password of allowed length, not blank, not common, not the name, passes."""
    if password.strip() and password.strip().lower() not in COMMON:
        assert check_password(password, common=COMMON) == password
