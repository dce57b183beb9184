"""Builders for the training-together tests: a pairing, its people and a ladder."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from easein.domain.ladder import build_ladder
from easein.domain.pairing import Pairing, accept_invitation, accept_summary, new_invitation
from easein.domain.policy import DEFAULT_POLICY
from easein.domain.sharing import SharingLevel
from easein.domain.toys import Base
from tests.domain.factories import T0, toy

TRAINEE = 1
PARTNER = 2
STRANGER = 3

# A ladder of plugs 2-3 mm apart (within the 15% step), one big jump, and an unsafe item.
P20 = toy("p20", 20.0, id=20)
P22 = toy("p22", 22.0, id=22)
P25 = toy("p25", 25.0, id=25)
P35 = toy("p35", 35.0, id=35)
NO_BASE = toy("no base", 21.0, base=Base.NONE, id=99)
TOYS = [P20, P22, P25, P35, NO_BASE]


def ladder(earned_mm: float | None):
    return build_ladder(TOYS, earned_mm, DEFAULT_POLICY)


def pending(level: SharingLevel = SharingLevel.NOTHING) -> Pairing:
    invite = new_invitation("abcdefgh12", TRAINEE, T0)
    _, pairing = accept_invitation(invite, T0 + timedelta(hours=1), PARTNER, pairing_id=7)
    return replace(pairing, sharing=level)


def active(level: SharingLevel = SharingLevel.NOTHING) -> Pairing:
    pairing = pending(level)
    at = T0 + timedelta(hours=2)
    pairing = accept_summary(pairing, TRAINEE, pairing.sharing, pairing.words, at)
    return accept_summary(pairing, PARTNER, pairing.sharing, pairing.words, at)
