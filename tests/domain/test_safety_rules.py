"""Every safety rule of DOMAIN.md, table-driven, named after the rule it proves."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from easein.domain import rules
from easein.domain.policy import DEFAULT_POLICY as P
from easein.domain.safety import Condition, ConditionKind, State, evaluate
from easein.domain.sessions import Bleeding, BloodColour, Outcome
from easein.domain.training import apply_clearance, replay
from tests.domain.factories import T0, session

TZ = ZoneInfo("Europe/Berlin")


def state_after(*sessions, now=None, conditions=(), clearances=()):
    training = replay(sessions, clearances, P, TZ)
    moment = now or (max(s.ended_at for s in sessions) + timedelta(minutes=1))
    return training, evaluate(training, conditions, moment, TZ)


def rule_ids(safety):
    return [r.rule for r in safety.reasons]


# (rule, session changes, expected state, expected rules among the reasons)
CASES = [
    ("no_problem_is_ready", {}, State.READY, []),
    ("discomfort_below_the_limit_is_ready", {"pain": P.pain_limit - 1}, State.READY, []),
    (rules.PAIN_LIMIT, {"pain": P.pain_limit}, State.READY, [rules.PAIN_LIMIT]),
    (rules.PAIN_SHARP, {"pain": 3, "sharp": True}, State.READY, [rules.PAIN_SHARP]),
    (
        rules.BLEEDING_SPOTTING,
        {"bleeding": Bleeding.SPOTTING, "colour": BloodColour.BRIGHT},
        State.REST,
        [rules.BLEEDING_SPOTTING],
    ),
    (
        rules.MEDICAL_BLEEDING_LASTING,
        {"bleeding": Bleeding.LASTING, "colour": BloodColour.BRIGHT},
        State.MEDICAL_HOLD,
        [rules.MEDICAL_BLEEDING_LASTING],
    ),
    (
        rules.MEDICAL_BLEEDING_DARK,
        {"bleeding": Bleeding.SPOTTING, "colour": BloodColour.DARK},
        State.MEDICAL_HOLD,
        [rules.MEDICAL_BLEEDING_DARK],
    ),
    (
        rules.MEDICAL_ACUTE_PAIN,
        {"pain": P.acute_pain},
        State.MEDICAL_HOLD,
        [rules.MEDICAL_ACUTE_PAIN],
    ),
    (
        "medical.sharp_pain_with_blood",
        {"pain": 3, "sharp": True, "bleeding": Bleeding.SPOTTING, "colour": BloodColour.BRIGHT},
        State.MEDICAL_HOLD,
        [rules.MEDICAL_ACUTE_PAIN],
    ),
    (rules.LUBE_REAPPLY, {"pain": 2, "relubed": False}, State.READY, [rules.LUBE_REAPPLY]),
    ("lube.no_reminder_without_pain", {"pain": 0, "relubed": False}, State.READY, []),
    (
        rules.LUBE_REAPPLY + "_no_lube_at_all",
        {"pain": 1, "lube": False},
        State.READY,
        [rules.LUBE_REAPPLY],
    ),
    (
        rules.OUTCOME_NOT_COMPLETED,
        {"outcome": Outcome.STOPPED},
        State.READY,
        [rules.OUTCOME_NOT_COMPLETED],
    ),
]


@pytest.mark.parametrize(("rule", "changes", "expected", "cited"), CASES, ids=[c[0] for c in CASES])
def test_each_rule_sets_the_state_and_cites_itself(rule, changes, expected, cited):
    first = session(20, 0)
    s = session(20, 1, **changes)
    _, safety = state_after(first, s)
    assert safety.state is expected
    for rule_id in cited:
        assert rule_id in rule_ids(safety)
        cited_reason = next(r for r in safety.reasons if r.rule == rule_id)
        assert cited_reason.session_id == s.id
        assert cited_reason.message
    if not cited:
        assert safety.reasons == ()


def test_spotting_starts_a_rest_of_three_days():
    s = session(20, 0, bleeding=Bleeding.SPOTTING, colour=BloodColour.BRIGHT)
    training, safety = state_after(s)
    assert safety.state is State.REST
    assert safety.until == s.ended_at + timedelta(days=P.rest_days_after_spotting)
    just_before = evaluate(training, (), safety.until - timedelta(seconds=1), TZ)
    assert just_before.state is State.REST
    after = evaluate(training, (), safety.until, TZ)
    assert after.state is State.READY


def test_a_second_spotting_extends_the_rest_never_shortens_it():
    a = session(20, 0, bleeding=Bleeding.SPOTTING)
    b = session(20, 1, bleeding=Bleeding.SPOTTING)
    _, safety = state_after(a, b)
    assert safety.until == b.ended_at + timedelta(days=P.rest_days_after_spotting)


@pytest.mark.parametrize(
    "condition", list(ConditionKind), ids=[f"condition.active_{c.value}" for c in ConditionKind]
)
def test_an_active_condition_pauses_training_until_cleared(condition):
    s = session(20, 0)
    now = s.ended_at + timedelta(hours=1)
    active = Condition(1, condition, "", since=now - timedelta(minutes=5))
    _, safety = state_after(s, now=now, conditions=[active])
    assert safety.state is State.PAUSED
    assert rule_ids(safety) == [rules.CONDITION_ACTIVE]
    cleared = Condition(1, condition, "", since=active.since, cleared_at=now - timedelta(minutes=1))
    _, later = state_after(s, now=now, conditions=[cleared])
    assert later.state is State.READY


def test_medical_hold_outranks_pause_and_rest_and_lists_every_reason():
    s = session(20, 0, bleeding=Bleeding.LASTING, colour=BloodColour.DARK, pain=8)
    now = s.ended_at + timedelta(hours=1)
    cond = Condition(1, ConditionKind.HAEMORRHOIDS, "", since=now - timedelta(hours=2))
    _, safety = state_after(s, now=now, conditions=[cond])
    assert safety.state is State.MEDICAL_HOLD
    ids = rule_ids(safety)
    for rule in (
        rules.MEDICAL_BLEEDING_LASTING,
        rules.MEDICAL_BLEEDING_DARK,
        rules.MEDICAL_ACUTE_PAIN,
        rules.CONDITION_ACTIVE,
        rules.BLEEDING_SPOTTING,
    ):
        assert rule in ids


def test_medical_hold_lasts_until_the_trainee_clears_it():
    hold = session(20, 0, bleeding=Bleeding.LASTING)
    later = [session(20, d) for d in (10, 20, 30)]
    training = replay([hold, *later], [], P, TZ)
    assert evaluate(training, (), T0 + timedelta(days=365), TZ).state is State.MEDICAL_HOLD
    cleared = apply_clearance(training, T0 + timedelta(days=31))
    assert evaluate(cleared, (), T0 + timedelta(days=32), TZ).state is State.READY


def test_a_clearance_does_not_lift_a_hold_logged_after_it():
    cleared_at = T0 + timedelta(days=1)
    # Logged (recorded) after the clearance, though it started before it.
    late = session(20, 0.5, bleeding=Bleeding.LASTING, recorded_at=cleared_at + timedelta(hours=1))
    training = replay([late], [cleared_at], P, TZ)
    assert evaluate(training, (), cleared_at + timedelta(days=5), TZ).state is State.MEDICAL_HOLD


def test_thresholds_are_settings():
    from easein.domain.policy import Policy

    strict = Policy.checked(pain_limit=3)
    s = session(20, 0, pain=3)
    training = replay([session(20, -1), s], [], strict, TZ)
    safety = evaluate(training, (), s.ended_at, TZ)
    assert rules.PAIN_LIMIT in rule_ids(safety)
    lenient = replay([session(20, -1), s], [], P, TZ)
    assert rules.PAIN_LIMIT not in rule_ids(evaluate(lenient, (), s.ended_at, TZ))


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("pain_limit", 9),
        ("pain_limit", 0),
        ("max_step_percent", 50),
        ("rest_days_after_spotting", 0),
        ("acute_pain", 10),
        ("sessions_to_advance", 1),
    ],
)
def test_a_threshold_cannot_be_set_outside_its_safe_bounds(name, value):
    from easein.domain.errors import InvalidInput
    from easein.domain.policy import Policy

    with pytest.raises(InvalidInput) as caught:
        Policy.checked(**{name: value})
    assert caught.value.field == name


def test_blood_of_unsaid_colour_is_recorded_as_bright():
    from easein.domain.sessions import check_session

    s = session(20, 0, bleeding=Bleeding.SPOTTING)
    assert check_session(s, now=s.ended_at).colour is BloodColour.BRIGHT
    assert check_session(session(20, 0), now=s.ended_at).colour is None
