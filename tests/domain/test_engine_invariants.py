"""Invariants of the safety and progression engines, over generated histories."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from easein.domain.ladder import build_ladder
from easein.domain.policy import DEFAULT_POLICY as P
from easein.domain.progression import Action, recommend
from easein.domain.safety import State, evaluate
from easein.domain.sessions import Bleeding, BloodColour, Outcome
from easein.domain.toys import Base
from easein.domain.training import TrainingState, apply_clearance, apply_session, replay
from tests.domain.factories import session, toy

TZ = ZoneInfo("Europe/Berlin")

sizes = st.sampled_from([12.0, 15.0, 17.0, 18.5, 20.0, 22.0, 25.0, 29.0, 35.0, 45.0])
bases = st.sampled_from([Base.FLARED, Base.HANDLE, Base.NONE])


@st.composite
def inventories(draw):
    chosen = draw(st.lists(st.tuples(sizes, bases), min_size=0, max_size=8))
    return [toy(f"t{i}", mm, base=b, id=100 + i) for i, (mm, b) in enumerate(chosen)]


@st.composite
def histories(draw, max_size=25):
    n = draw(st.integers(0, max_size))
    day = 0.0
    out = []
    for _ in range(n):
        day += draw(st.sampled_from([0.5, 1, 1, 2, 3, 4]))
        bleeding = draw(
            st.sampled_from([Bleeding.NONE] * 8 + [Bleeding.SPOTTING, Bleeding.LASTING])
        )
        out.append(
            session(
                draw(sizes),
                day,
                pain=draw(st.integers(0, 10)),
                sharp=draw(st.booleans()) and draw(st.booleans()),
                bleeding=bleeding,
                colour=None
                if bleeding is Bleeding.NONE
                else draw(st.sampled_from(list(BloodColour))),
                outcome=draw(
                    st.sampled_from([Outcome.COMPLETED] * 6 + [Outcome.STOPPED, Outcome.FAILED])
                ),
            )
        )
    return out


def _status(history, toys, now):
    training = replay(history, [], P, TZ)
    safety = evaluate(training, (), now, TZ)
    ladder = build_ladder(toys, training.earned_mm, P)
    return training, safety, ladder, recommend(training, safety, ladder, P, TZ)


def _now(history):
    return (history[-1].ended_at if history else session(15, 0).started_at) + timedelta(days=1)


@settings(max_examples=150, deadline=None)
@given(histories(), inventories())
def test_never_recommends_beyond_earned_plus_one_or_the_allowed_step(history, toys):
    training, _, ladder, r = _status(history, toys, _now(history))
    if r.item is None:
        return
    assert r.item.usable_anally, "never an item without a flared base or handle"
    assert not r.item.retired
    earned = training.earned_mm
    if earned is None:
        floor = training.below_mm
        assert r.item.diameter_mm == ladder.rungs[0].diameter_mm or (
            floor is not None and r.item.diameter_mm < floor
        )
        return
    if r.action is Action.ADVANCE:
        assert r.item.diameter_mm <= P.max_next_mm(earned)
        assert ladder.next is not None and r.item in ladder.next.items
    else:
        assert r.item.diameter_mm <= earned + P.same_size_tolerance_mm


@settings(max_examples=100, deadline=None)
@given(histories(), histories(max_size=8))
def test_a_medical_hold_persists_until_cleared_whatever_is_logged_after(before, after):
    trigger = session(20, 0, bleeding=Bleeding.LASTING, colour=BloodColour.BRIGHT)
    later = [
        session(s.reached_mm, 1 + i, pain=s.pain, bleeding=s.bleeding, colour=s.colour)
        for i, s in enumerate(after)
    ]
    history = [trigger, *later]
    training = replay(history, [], P, TZ)
    now = _now(history) + timedelta(days=400)
    assert evaluate(training, (), now, TZ).state is State.MEDICAL_HOLD
    cleared = apply_clearance(training, now)
    assert evaluate(cleared, (), now + timedelta(minutes=1), TZ).state is not State.MEDICAL_HOLD


@settings(max_examples=100, deadline=None)
@given(histories())
def test_a_rest_lasts_at_least_its_configured_days(history):
    training = replay(history, [], P, TZ)
    for s in history:
        if s.bleeding is Bleeding.NONE:
            continue
        for offset in (
            timedelta(minutes=1),
            timedelta(days=P.rest_days_after_spotting) - timedelta(minutes=1),
        ):
            state = evaluate(training, (), s.ended_at + offset, TZ).state
            assert state in (State.REST, State.MEDICAL_HOLD)


@settings(max_examples=150, deadline=None)
@given(histories(), inventories())
def test_the_engine_is_deterministic_and_the_incremental_fold_equals_a_replay(history, toys):
    now = _now(history)
    assert _status(history, toys, now) == _status(list(history), list(toys), now)
    folded = TrainingState()
    for s in history:
        folded = apply_session(folded, s, P, TZ)
    assert folded == replay(history, [], P, TZ)
    assert replay(list(reversed(history)), [], P, TZ) == folded, "replay sorts by time"
