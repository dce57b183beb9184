"""The shipped list of common passwords loads, and holds what it should (data/README.md)."""

from __future__ import annotations

from easein.domain.passwords import MIN_LENGTH
from easein.services.common_passwords import common_passwords


def test_the_list_holds_thousands_of_common_passwords_in_lower_case():
    common = common_passwords()
    assert len(common) > 8000
    assert {"password1", "iloveyou", "qwertyuiop", "football", "sunshine1"} <= common
    assert all(p == p.lower() and p == p.strip() for p in common)
    assert all(len(p) >= MIN_LENGTH for p in common)  # shorter ones fail the length rule
    assert "a long passphrase" not in common
