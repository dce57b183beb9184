"""Sharing: what the partner sees at each level, and that nothing else ever gets through."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from easein.domain.errors import InvalidInput
from easein.domain.progression import Action, Recommendation
from easein.domain.safety import Reason, SafetyState, State
from easein.domain.sessions import Bleeding, BloodColour
from easein.domain.sharing import (
    REASON_FIELDS,
    RECOMMENDATION_FIELDS,
    RECOMMENDATION_ITEM_FIELDS,
    SESSION_FIELDS,
    SESSION_ITEM_FIELDS,
    SESSION_REACHED_FIELDS,
    STATUS_FIELDS,
    SharingLevel,
    parse_level,
    project_session,
    project_sessions,
    project_status,
    visible_session_id,
)
from easein.present import safety_json, session_json
from tests.domain.factories import T0, session, toy

L = SharingLevel
SESSION = session_json(
    session(
        22.0,
        pain=3,
        bleeding=Bleeding.SPOTTING,
        colour=BloodColour.BRIGHT,
        notes="felt shy, then good",
        id=41,
    ),
    {1: toy("blue plug", 22.0, id=1)},
)
STATUS = safety_json(
    SafetyState(
        State.PAUSED,
        None,
        (Reason("condition.active", "Paused for haemorrhoids: after the long drive", None),
         Reason("bleeding.spotting", "A little blood (session #41)", 41)),
    ),
    Recommendation(Action.NONE, None, "No training while a condition is active."),
)  # fmt: skip
MEDICAL = {"pain", "sharp", "bleeding", "colour", "sensations", "comfort"}


# Whether the notes are sealed from the one reading: said to the owner, never to a partner.
OWNERS = "notes_locked"

# (rule, level, keys the partner sees)
SESSION_CASES = [
    ("sharing.nothing_means_the_session_does_not_exist", L.NOTHING, None),
    (
        "sharing.summary_is_done_or_not_without_medical_detail",
        L.SUMMARY,
        {"id", "kind", "started_at", "duration_min", "outcome"},
    ),
    ("sharing.full_is_the_report_without_notes", L.FULL, set(SESSION) - {"notes", OWNERS}),
    ("sharing.full_with_notes_is_everything", L.FULL_WITH_NOTES, set(SESSION) - {OWNERS}),
]


@pytest.mark.parametrize(
    ("level", "keys"), [c[1:] for c in SESSION_CASES], ids=[c[0] for c in SESSION_CASES]
)
def test_project_session(level, keys):
    view = project_session(SESSION, level)
    assert (None if view is None else set(view)) == keys


def test_summary_carries_no_medical_detail():
    view = project_session(SESSION, L.SUMMARY)
    assert view is not None and not MEDICAL & set(view)
    assert "notes" not in view and "felt shy" not in repr(view)


@pytest.mark.parametrize("level", list(L), ids=[f"sharing.override_hides.{lv.value}" for lv in L])
def test_a_session_marked_dont_share_does_not_exist_at_any_level(level):
    assert project_session(SESSION, level, hidden=True) is None
    assert project_sessions([SESSION], level, hidden_ids={41}) == []
    assert visible_session_id(41, level, {41}) is None


def test_project_sessions_keeps_the_shared_ones_in_order():
    other = {**SESSION, "id": 42}
    views = project_sessions([SESSION, other], L.SUMMARY, hidden_ids={41})
    assert [v["id"] for v in views] == [42]


FULL_STATUS = {"state", "until", "reasons", "recommendation"}
STATUS_CASES = [
    ("sharing.nothing_means_no_status", L.NOTHING, None),
    ("sharing.summary_is_the_state_name_only", L.SUMMARY, {"state"}),
    ("sharing.full_has_rules_not_messages", L.FULL, FULL_STATUS),
    ("sharing.full_with_notes_has_messages", L.FULL_WITH_NOTES, FULL_STATUS),
]


@pytest.mark.parametrize(
    ("level", "keys"), [c[1:] for c in STATUS_CASES], ids=[c[0] for c in STATUS_CASES]
)
def test_project_status(level, keys):
    view = project_status(STATUS, level)
    assert (None if view is None else set(view)) == keys


def test_a_condition_note_reaches_the_partner_only_with_notes_shared():
    full = project_status(STATUS, L.FULL)
    assert full is not None and "long drive" not in repr(full)
    assert [r["rule"] for r in full["reasons"]] == ["condition.active", "bleeding.spotting"]
    with_notes = project_status(STATUS, L.FULL_WITH_NOTES)
    assert with_notes is not None and "long drive" in repr(with_notes)


def test_a_reason_citing_a_hidden_session_loses_the_session_id():
    view = project_status(STATUS, L.FULL, hidden_ids={41})
    assert view is not None and [r["session_id"] for r in view["reasons"]] == [None, None]


def test_a_status_with_a_recommended_item_keeps_only_its_id_name_and_size():
    item = toy("blue plug", 22.0, id=1)
    status = safety_json(
        SafetyState(State.READY, T0 + timedelta(days=1), ()),
        Recommendation(Action.ADVANCE, item, "try it"),
    )
    view = project_status(status, L.FULL)
    assert view is not None
    assert view["recommendation"]["item"] == {"id": 1, "name": "blue plug", "diameter_mm": 22.0}


def test_parse_level():
    assert parse_level(" Full_With_Notes ") is L.FULL_WITH_NOTES
    with pytest.raises(InvalidInput):
        parse_level("everything")


# --- the allow-list holds for anything -----------------------------------------------------

KNOWN = sorted(
    set().union(*SESSION_FIELDS.values(), *STATUS_FIELDS.values(), *REASON_FIELDS.values())
    | {"secret", "diagnosis", "notes", "message", "note", "items", "reached"}
)
keys = st.one_of(st.sampled_from(KNOWN), st.text(max_size=8))
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5))
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=12,
)
documents = st.dictionaries(keys, values, max_size=12)


def _nested_ok(value, allowed):
    if isinstance(value, dict):
        return set(value) <= allowed
    if isinstance(value, list):
        return all(isinstance(v, dict) and set(v) <= allowed for v in value)
    return value is None


@settings(max_examples=150, deadline=None)
@given(document=documents, level=st.sampled_from(list(L)), hidden=st.booleans())
def test_a_session_projection_never_holds_a_field_outside_the_allow_list(document, level, hidden):
    view = project_session(document, level, hidden=hidden)
    if level is L.NOTHING or hidden:
        assert view is None
        return
    assert view is not None and set(view) <= SESSION_FIELDS[level]
    if "items" in view:
        assert _nested_ok(view["items"], SESSION_ITEM_FIELDS)
    if "reached" in view:
        assert _nested_ok(view["reached"], SESSION_REACHED_FIELDS)


@settings(max_examples=150, deadline=None)
@given(document=documents, level=st.sampled_from(list(L)), hidden=st.sets(st.integers(0, 5)))
def test_a_status_projection_never_holds_a_field_outside_the_allow_list(document, level, hidden):
    view = project_status(document, level, hidden_ids=hidden)
    if level is L.NOTHING:
        assert view is None
        return
    assert view is not None and set(view) <= STATUS_FIELDS[level]
    for reason in view.get("reasons", []):
        assert set(reason) <= REASON_FIELDS[level]
        assert reason.get("session_id") is None or reason["session_id"] not in hidden
    recommendation = view.get("recommendation")
    if recommendation is not None:
        assert set(recommendation) <= RECOMMENDATION_FIELDS
        if "item" in recommendation:
            assert _nested_ok(recommendation["item"], RECOMMENDATION_ITEM_FIELDS)
