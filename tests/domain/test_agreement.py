"""The agreement: versions never rewritten, signed by both, reopened without changing the past."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from easein.domain.agreement import (
    AgreementVersion,
    Change,
    Terms,
    VersionStatus,
    check_terms,
    diff,
    in_force,
    propose,
    reopen,
    sign,
    status_of,
)
from easein.domain.errors import Conflict, InvalidInput, NotFound
from easein.domain.pairing import NotPermitted
from easein.domain.sharing import SharingLevel
from tests.domain.factories import T0
from tests.domain.together import PARTNER, STRANGER, TRAINEE, active, pending

H = timedelta(hours=1)
PAIRING = active()
TERMS = Terms(
    goal="Comfortable with the 30 mm plug",
    target_mm=30.0,
    per_week=3,
    schedule="mon,wed,fri",
    mess_plan="Towel, wipes, laugh, carry on",
    sharing=SharingLevel.SUMMARY,
)


def signed_v1():
    v1 = propose([], PAIRING, TRAINEE, TERMS, T0)
    v1 = sign([v1], PAIRING, 1, TRAINEE, T0 + H)
    return sign([v1], PAIRING, 1, PARTNER, T0 + 2 * H)


def test_a_version_is_in_force_only_once_both_signed_it():
    v1 = propose([], PAIRING, TRAINEE, TERMS, T0)
    assert in_force([v1], PAIRING) is None
    half = sign([v1], PAIRING, 1, TRAINEE, T0 + H)
    assert (
        in_force([half], PAIRING) is None
        and status_of(half, [half], PAIRING) is VersionStatus.DRAFT
    )
    both = sign([half], PAIRING, 1, PARTNER, T0 + 2 * H)
    assert in_force([both], PAIRING) == both
    assert both.terms.schedule == "FREQ=WEEKLY;BYDAY=MO,WE,FR"


def test_reopening_makes_a_new_draft_and_the_old_version_stays_in_force():
    v1 = signed_v1()
    v2 = reopen([v1], PAIRING, PARTNER, T0 + 3 * H)
    assert (v2.number, v2.based_on, v2.terms, v2.signatures) == (2, 1, v1.terms, ())
    history = [v1, v2]
    assert in_force(history, PAIRING) == v1
    assert status_of(v1, history, PAIRING) is VersionStatus.IN_FORCE
    assert status_of(v2, history, PAIRING) is VersionStatus.DRAFT


def test_signing_the_new_version_makes_the_old_one_past_without_changing_it():
    v1 = signed_v1()
    v2 = propose([v1], PAIRING, PARTNER, replace(TERMS, per_week=4), T0 + 3 * H)
    v2 = sign([v1, v2], PAIRING, 2, PARTNER, T0 + 4 * H)
    v2 = sign([v1, v2], PAIRING, 2, TRAINEE, T0 + 5 * H)
    history = [v1, v2]
    assert in_force(history, PAIRING) == v2
    assert status_of(v1, history, PAIRING) is VersionStatus.PAST
    assert v1 == signed_v1()  # the past is not rewritten


# (rule, action, expected error, code)
REFUSALS = [
    (
        "agreement.signing_an_old_version_is_refused",
        lambda v1, v2: sign([v1, v2], PAIRING, 1, TRAINEE, T0 + 9 * H),
        Conflict,
        "version_superseded",
    ),
    (
        "agreement.no_double_signature",
        lambda v1, v2: sign([v1, v2], PAIRING, 2, PARTNER, T0 + 9 * H),
        Conflict,
        "already_signed",
    ),
    (
        "agreement.reopen_needs_a_signed_version",
        lambda v1, v2: reopen([v1, v2], PAIRING, TRAINEE, T0 + 9 * H),
        Conflict,
        "agreement_draft_open",
    ),
    (
        "agreement.unknown_version",
        lambda v1, v2: sign([v1, v2], PAIRING, 9, TRAINEE, T0 + 9 * H),
        NotFound,
        "not_found",
    ),
    (
        "agreement.a_stranger_finds_nothing",
        lambda v1, v2: sign([v1, v2], PAIRING, 2, STRANGER, T0 + 9 * H),
        NotFound,
        "not_found",
    ),
    (
        "agreement.only_the_trainee_changes_sharing",
        lambda v1, v2: propose(
            [v1, v2], PAIRING, PARTNER, replace(TERMS, sharing=SharingLevel.FULL), T0 + 9 * H
        ),
        NotPermitted,
        "not_permitted",
    ),
    (
        "agreement.only_in_an_active_pairing",
        lambda v1, v2: propose([], pending(), TRAINEE, TERMS, T0),
        Conflict,
        "pairing_pending",
    ),
]


@pytest.mark.parametrize(
    ("action", "error", "code"), [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS]
)
def test_refusals(action, error, code):
    v1 = signed_v1()
    v2 = propose([v1], PAIRING, PARTNER, replace(TERMS, goal="Nightly wear"), T0 + 3 * H)
    v2 = sign([v1, v2], PAIRING, 2, PARTNER, T0 + 4 * H)
    with pytest.raises(error) as raised:
        action(v1, v2)
    assert raised.value.code == code


def test_the_trainee_may_change_what_is_shared():
    v2 = propose(
        [signed_v1()], PAIRING, TRAINEE, replace(TERMS, sharing=SharingLevel.FULL), T0 + 3 * H
    )
    assert v2.terms.sharing is SharingLevel.FULL


def test_diff_is_field_by_field():
    v1 = signed_v1()
    v2 = propose(
        [v1], PAIRING, TRAINEE, replace(TERMS, per_week=5, sharing=SharingLevel.FULL), T0 + 3 * H
    )
    assert diff(v1, v2) == (
        Change("per_week", 3, 5),
        Change("sharing", SharingLevel.SUMMARY, SharingLevel.FULL),
    )
    assert diff(v1, v1) == ()


TERM_REFUSALS = [
    ("agreement.goal_required", replace(TERMS, goal="  "), "goal"),
    ("agreement.goal_length", replace(TERMS, goal="x" * 501), "goal"),
    ("agreement.target_size_plausible", replace(TERMS, target_mm=0.0), "target_mm"),
    ("agreement.wear_at_most_24h", replace(TERMS, target_wear=timedelta(hours=30)), "target_wear"),
    ("agreement.per_week_range", replace(TERMS, per_week=15), "per_week"),
    ("agreement.schedule_supported", replace(TERMS, schedule="FREQ=MONTHLY"), "schedule"),
    ("agreement.mess_plan_length", replace(TERMS, mess_plan="x" * 2001), "mess_plan"),
]


@pytest.mark.parametrize(
    ("terms", "field"), [r[1:] for r in TERM_REFUSALS], ids=[r[0] for r in TERM_REFUSALS]
)
def test_check_terms_names_the_field(terms, field):
    with pytest.raises(InvalidInput) as raised:
        check_terms(terms)
    assert raised.value.field == field


# --- any sequence of proposals and signatures keeps the past intact ---------------------------

steps = st.lists(
    st.tuples(
        st.sampled_from(["propose", "reopen", "sign"]),
        st.sampled_from([TRAINEE, PARTNER]),
        st.integers(1, 6),
    ),
    max_size=15,
)


@settings(max_examples=100, deadline=None)
@given(steps=steps)
def test_no_step_rewrites_an_earlier_version(steps):
    history: list[AgreementVersion] = []
    now = T0
    for action, who, n in steps:
        now += H
        before = list(history)
        try:
            if action == "propose":
                history.append(propose(history, PAIRING, who, replace(TERMS, per_week=n), now))
            elif action == "reopen":
                history.append(reopen(history, PAIRING, who, now))
            else:
                signed = sign(history, PAIRING, n, who, now)
                history[n - 1] = signed
        except (Conflict, NotFound, NotPermitted):
            assert history == before
        # Only signatures are ever added, and only to the latest version.
        for old, new in zip(before, history, strict=False):
            assert old.terms == new.terms and old.number == new.number
            assert new.signatures[: len(old.signatures)] == old.signatures
            if new.signatures != old.signatures:
                assert new.number == len(history)
        assert [v.number for v in history] == list(range(1, len(history) + 1))
        current = in_force(history, PAIRING)
        assert current is None or current.signed_by == {TRAINEE, PARTNER}
