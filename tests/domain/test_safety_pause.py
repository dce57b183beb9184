"""A stop and talk pauses training like a condition: medical hold > paused > rest."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from easein.domain import rules
from easein.domain.policy import DEFAULT_POLICY as P
from easein.domain.safety import Pause, State, evaluate
from easein.domain.sessions import Bleeding, BloodColour
from easein.domain.training import replay
from tests.domain.factories import T0, session

TZ = ZoneInfo("Europe/Berlin")
STOP = Pause(rules.STOP_AND_TALK, "Stop and talk", T0 + timedelta(hours=1))
LATER = T0 + timedelta(hours=2)


def test_an_open_stop_and_talk_pauses_a_ready_trainee_with_its_rule():
    training = replay([session(20.0)], (), P, TZ)
    assert evaluate(training, (), LATER, TZ).state is State.READY
    safety = evaluate(training, (), LATER, TZ, pauses=[STOP])
    assert safety.state is State.PAUSED
    assert rules.STOP_AND_TALK in [r.rule for r in safety.reasons]


def test_a_resumed_stop_and_talk_pauses_nothing():
    training = replay([session(20.0)], (), P, TZ)
    resumed = Pause(STOP.rule, STOP.message, STOP.since, STOP.since + timedelta(minutes=5))
    assert evaluate(training, (), LATER, TZ, pauses=[resumed]).state is State.READY


def test_a_stop_and_talk_outranks_a_rest():
    spotting = session(20.0, bleeding=Bleeding.SPOTTING, colour=BloodColour.BRIGHT)
    training = replay([spotting], (), P, TZ)
    assert evaluate(training, (), LATER, TZ).state is State.REST
    assert evaluate(training, (), LATER, TZ, pauses=[STOP]).state is State.PAUSED


def test_a_medical_hold_outranks_a_stop_and_talk():
    dark = session(20.0, bleeding=Bleeding.SPOTTING, colour=BloodColour.DARK)
    training = replay([dark], (), P, TZ)
    assert evaluate(training, (), LATER, TZ, pauses=[STOP]).state is State.MEDICAL_HOLD
