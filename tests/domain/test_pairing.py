"""Pairing: invitations, roles, the couple's words, the summary both accept, and ending."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from easein.domain.access import access_summary
from easein.domain.errors import Conflict, InvalidInput, NotFound
from easein.domain.pairing import (
    DS_WORDS,
    PLAIN_WORDS,
    NotPermitted,
    PairingStatus,
    Role,
    Words,
    accept_invitation,
    accept_summary,
    change_sharing,
    check_invitation,
    check_words,
    choose_words,
    end_pairing,
    new_invitation,
    revoke_invitation,
    role_of,
)
from easein.domain.policy import Policy
from easein.domain.sharing import SharingLevel
from tests.domain.factories import T0
from tests.domain.together import PARTNER, STRANGER, TRAINEE, active, pending

INVITE = new_invitation("abcdefgh12", TRAINEE, T0)
H = timedelta(hours=1)


# --- invitations ---------------------------------------------------------------------------

# (rule, invitation, when, who accepts, expected error code or None)
INVITATION_CASES = [
    ("invitation.valid_within_24h", INVITE, T0 + 23 * H, PARTNER, None),
    ("invitation.expires_after_24h", INVITE, T0 + 24 * H, PARTNER, "invitation_expired"),
    ("invitation.expired_long_ago", INVITE, T0 + 240 * H, PARTNER, "invitation_expired"),
    (
        "invitation.single_use",
        replace(INVITE, used_by=PARTNER, used_at=T0 + H),
        T0 + 2 * H,
        STRANGER,
        "invitation_used",
    ),
    (
        "invitation.withdrawn",
        replace(INVITE, revoked_at=T0 + H),
        T0 + 2 * H,
        PARTNER,
        "invitation_revoked",
    ),
    ("invitation.not_your_own", INVITE, T0 + H, TRAINEE, "own_invitation"),
]


@pytest.mark.parametrize(
    ("invite", "now", "person", "code"),
    [c[1:] for c in INVITATION_CASES],
    ids=[c[0] for c in INVITATION_CASES],
)
def test_check_invitation(invite, now, person, code):
    if code is None:
        assert check_invitation(invite, now, person) is invite
    else:
        with pytest.raises(InvalidInput) as raised:
            check_invitation(invite, now, person)
        assert raised.value.code == code
        assert "ask for a new one" in raised.value.message or "partner" in raised.value.message


def test_a_used_invitation_is_a_conflict():
    used, _ = accept_invitation(INVITE, T0 + H, PARTNER, pairing_id=1)
    with pytest.raises(Conflict):
        accept_invitation(used, T0 + 2 * H, STRANGER, pairing_id=2)


def test_accepting_starts_a_pending_pairing_with_the_trainee_as_inviter():
    used, pairing = accept_invitation(INVITE, T0 + H, PARTNER, pairing_id=5)
    assert (used.used_by, used.used_at) == (PARTNER, T0 + H)
    assert pairing.status is PairingStatus.PENDING
    assert (role_of(pairing, TRAINEE), role_of(pairing, PARTNER)) == (Role.TRAINEE, Role.PARTNER)
    assert pairing.sharing is SharingLevel.NOTHING  # privacy first until the trainee says more


@pytest.mark.parametrize("code", ["short", "has space 123", "x" * 65, "ümlautcode"])
def test_invitation_codes_must_be_plain_and_long_enough(code):
    with pytest.raises(InvalidInput):
        new_invitation(code, TRAINEE, T0)


def test_only_the_inviter_can_withdraw_an_invitation():
    assert revoke_invitation(INVITE, TRAINEE, T0 + H).revoked_at == T0 + H
    with pytest.raises(NotFound):
        revoke_invitation(INVITE, PARTNER, T0 + H)


# --- words ---------------------------------------------------------------------------------

WORD_CASES = [
    ("words.plain", ("trainee", "partner"), PLAIN_WORDS),
    ("words.ds", ("submissive", "Dominant"), DS_WORDS),
    ("words.own_tidied", ("  pet ", " Sir  Knight "), Words("pet", "Sir Knight")),
]


@pytest.mark.parametrize(
    ("given", "expected"), [c[1:] for c in WORD_CASES], ids=[c[0] for c in WORD_CASES]
)
def test_check_words_accepts(given, expected):
    assert check_words(*given) == expected


WORD_REFUSALS = [
    ("words.not_empty", ("", "partner")),
    ("words.at_most_24", ("x" * 25, "partner")),
    ("words.printable", ("pet\x00", "partner")),
    ("words.distinct", ("Pet", "pet")),
]


@pytest.mark.parametrize("given", [c[1] for c in WORD_REFUSALS], ids=[c[0] for c in WORD_REFUSALS])
def test_check_words_refuses(given):
    with pytest.raises(InvalidInput):
        check_words(*given)


# --- lifecycle -----------------------------------------------------------------------------


def test_the_pairing_is_active_only_once_both_accepted_the_summary():
    pairing = pending()
    once = accept_summary(pairing, TRAINEE, pairing.sharing, pairing.words, T0 + 2 * H)
    assert once.status is PairingStatus.PENDING
    both = accept_summary(once, PARTNER, once.sharing, once.words, T0 + 3 * H)
    assert both.status is PairingStatus.ACTIVE
    assert both.activated_at == T0 + 3 * H


def test_changing_the_sharing_while_pending_asks_both_to_accept_again():
    pairing = accept_summary(pending(), TRAINEE, SharingLevel.NOTHING, PLAIN_WORDS, T0 + 2 * H)
    changed = change_sharing(pairing, TRAINEE, SharingLevel.FULL)
    assert changed.summary_accepted_by == frozenset()
    with pytest.raises(Conflict) as raised:
        accept_summary(changed, PARTNER, SharingLevel.NOTHING, PLAIN_WORDS, T0 + 3 * H)
    assert raised.value.code == "summary_changed"


def test_changing_the_words_while_pending_asks_both_to_accept_again():
    pairing = accept_summary(pending(), TRAINEE, SharingLevel.NOTHING, PLAIN_WORDS, T0 + 2 * H)
    changed = choose_words(pairing, PARTNER, DS_WORDS)
    assert changed.words == DS_WORDS and changed.summary_accepted_by == frozenset()


def test_only_the_trainee_chooses_what_is_shared():
    with pytest.raises(NotPermitted) as raised:
        change_sharing(active(), PARTNER, SharingLevel.FULL)
    assert "only the trainee" in raised.value.message


def test_the_trainee_can_lower_sharing_at_once_when_active():
    pairing = change_sharing(active(SharingLevel.FULL), TRAINEE, SharingLevel.SUMMARY)
    assert pairing.sharing is SharingLevel.SUMMARY and pairing.status is PairingStatus.ACTIVE


@pytest.mark.parametrize("who", [TRAINEE, PARTNER], ids=["trainee_ends", "partner_ends"])
@pytest.mark.parametrize("start", [pending, active], ids=["pending", "active"])
def test_either_side_can_end_the_pairing_at_any_time(who, start):
    ended = end_pairing(start(), who, T0 + 5 * H)
    assert ended.status is PairingStatus.ENDED and ended.ended_by == who


def test_ended_is_final():
    ended = end_pairing(active(), PARTNER, T0 + 5 * H)
    for attempt in (
        lambda: end_pairing(ended, TRAINEE, T0 + 6 * H),
        lambda: accept_summary(ended, TRAINEE, ended.sharing, ended.words, T0 + 6 * H),
        lambda: change_sharing(ended, TRAINEE, SharingLevel.FULL),
        lambda: choose_words(ended, TRAINEE, DS_WORDS),
    ):
        with pytest.raises(Conflict) as raised:
            attempt()
        assert raised.value.code == "pairing_ended"


def test_a_stranger_finds_no_pairing():
    with pytest.raises(NotFound):
        end_pairing(active(), STRANGER, T0 + 5 * H)
    with pytest.raises(NotFound):
        role_of(active(), STRANGER)


# --- the summary both accept ---------------------------------------------------------------


@pytest.mark.parametrize(
    "level", list(SharingLevel), ids=[f"summary.{lv.value}" for lv in SharingLevel]
)
def test_the_summary_says_what_no_one_can_override_at_every_level(level):
    text = access_summary(level, DS_WORDS).text
    assert "What the Dominant sees" in text
    assert "What no one can override" in text
    assert "flared base" in text and "15%" in text
    assert "suspended" in text and "only the submissive resumes" in text
    assert "don't share this one" in text


def test_the_summary_tells_each_level_apart():
    texts = {level: access_summary(level).text for level in SharingLevel}
    assert len(set(texts.values())) == len(SharingLevel)
    assert "do not exist" in texts[SharingLevel.NOTHING]
    assert "without reasons" in texts[SharingLevel.SUMMARY]
    assert "Not the trainee's free notes" in texts[SharingLevel.FULL]
    assert "free notes" in texts[SharingLevel.FULL_WITH_NOTES]


def test_the_summary_quotes_the_step_in_force():
    assert "10%" in access_summary(SharingLevel.NOTHING, policy=Policy(max_step_percent=10)).text
