"""The progression engine: hold, advance one rung, step back, and re-earning."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from easein.domain import rules
from easein.domain.ladder import build_ladder
from easein.domain.policy import DEFAULT_POLICY as P
from easein.domain.progression import Action, recommend
from easein.domain.safety import evaluate
from easein.domain.sessions import Bleeding, Outcome
from easein.domain.training import replay
from tests.domain.factories import session, toy

TZ = ZoneInfo("Europe/Berlin")
LADDER = [toy("finger", 15, id=1), toy("s", 17, id=2), toy("m", 19, id=3), toy("l", 21, id=4)]


def rec(*sessions, toys=LADDER, days_later=1):
    training = replay(sessions, [], P, TZ)
    now = (max(s.ended_at for s in sessions) if sessions else sessions_start()) + timedelta(
        days=days_later
    )
    safety = evaluate(training, (), now, TZ)
    return training, recommend(training, safety, build_ladder(toys, training.earned_mm, P), P, TZ)


def sessions_start():
    return session(15, 0).started_at


def test_a_beginner_starts_with_the_smallest_item():
    _, r = rec()
    assert (r.action, r.item.name) == (Action.HOLD, "finger")


def test_three_comfortable_sessions_over_a_week_advance_one_rung():
    _, r = rec(session(15, 0), session(15, 3), session(15, 6))
    assert (r.action, r.item.name) == (Action.ADVANCE, "s")


@pytest.mark.parametrize(
    ("days", "why"),
    [((0, 1, 2), "three sessions within three days"), ((0, 6), "only two sessions")],
)
def test_no_advance_before_enough_sessions_over_enough_days(days, why):
    _, r = rec(*(session(15, d) for d in days))
    assert r.action is Action.HOLD, why
    assert r.item.name == "finger"


@pytest.mark.parametrize(
    ("bad", "rule"),
    [
        ({"pain": P.pain_limit}, rules.PAIN_LIMIT),
        ({"sharp": True, "pain": 2}, rules.PAIN_SHARP),
        ({"bleeding": Bleeding.SPOTTING}, rules.BLEEDING_SPOTTING),
        ({"outcome": Outcome.FAILED}, rules.OUTCOME_NOT_COMPLETED),
        ({"outcome": Outcome.STOPPED}, rules.OUTCOME_NOT_COMPLETED),
    ],
)
def test_a_bad_or_unfinished_session_blocks_advancing(bad, rule):
    training, r = rec(session(15, 0), session(15, 3), session(15, 6, **bad), days_later=5)
    assert r.action is not Action.ADVANCE
    assert len(training.streak) == 0, f"{rule} restarts the count"


def test_sharp_pain_sends_the_next_session_one_rung_down():
    ok = [session(15, 0), session(15, 3), session(15, 6), session(17, 7)]
    training, r = rec(*ok, session(17, 8, sharp=True, pain=2))
    assert training.earned_mm == 15
    assert (r.action, r.item.name) == (Action.STEP_BACK, "finger")


def test_pain_during_an_attempt_at_the_next_size_steps_back_to_the_earned_one():
    ok = [session(15, 0), session(15, 3), session(15, 6)]
    training, r = rec(*ok, session(17, 7, pain=5))
    assert training.earned_mm == 15
    assert (r.action, r.item.name) == (Action.STEP_BACK, "finger")


def test_after_a_step_back_the_size_is_re_earned_the_same_way():
    history = [
        session(15, 0),
        session(15, 3),
        session(15, 6),
        session(17, 7),
        session(17, 8, pain=5),
    ]
    training, r = rec(*history, session(15, 9), session(15, 10))
    assert r.action is Action.HOLD
    training, r = rec(*history, session(15, 9), session(15, 12), session(15, 16))
    assert (r.action, r.item.name) == (Action.ADVANCE, "s")


def test_a_size_not_yet_earned_does_not_count():
    training, r = rec(session(15, 0), session(21, 1), session(21, 8), session(21, 9))
    assert training.earned_mm == 15
    assert any(t.rule == rules.AHEAD_OF_PLAN for t in training.latest)
    assert r.item.name == "finger"


def test_a_ladder_gap_holds_and_names_the_size_to_look_for():
    gap = [toy("finger", 15, id=1), toy("big", 25, id=2)]
    _, r = rec(session(15, 0), session(15, 3), session(15, 6), toys=gap)
    assert (r.action, r.item.name) == (Action.HOLD, "finger")
    assert "17.2 mm" in r.why


def test_an_item_without_base_is_never_recommended():
    with_unsafe = [
        toy("finger", 15, id=1),
        toy("unsafe", 16, base=__import__("easein.domain.toys", fromlist=["Base"]).Base.NONE, id=9),
        toy("s", 17, id=2),
    ]
    _, r = rec(session(15, 0), session(15, 3), session(15, 6), toys=with_unsafe)
    assert r.item.name == "s"


def test_no_usable_items_recommends_adding_one():
    _, r = rec(toys=[])
    assert r.action is Action.NONE and r.item is None


def test_a_step_back_from_the_first_earned_size_goes_one_rung_down_not_to_the_start():
    training, r = rec(session(19, 0), session(19, 1, bleeding=Bleeding.SPOTTING), days_later=4)
    assert training.earned_mm is None
    assert training.below_mm == 19
    assert (r.action, r.item.name) == (Action.STEP_BACK, "s")


def test_after_that_step_back_the_same_size_does_not_count_until_a_smaller_one_is_comfortable():
    training, _ = rec(session(19, 0), session(19, 1, pain=5), session(19, 2))
    assert training.earned_mm is None
    assert any(t.rule == rules.AHEAD_OF_PLAN for t in training.latest)
    training, _ = rec(session(19, 0), session(19, 1, pain=5), session(17, 2))
    assert training.earned_mm == 17
    assert training.below_mm is None
