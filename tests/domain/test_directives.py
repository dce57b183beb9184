"""Directives: safety always wins, at creation, at every edit and at every moment after."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from easein.domain import rules
from easein.domain.directive_status import (
    SUSPENDED_FOR_SAFETY,
    DirectiveState,
    status_at,
)
from easein.domain.directives import (
    DirectiveKind,
    DirectiveSpec,
    Window,
    acknowledge,
    create_directive,
    edit_directive,
    end_directive,
    item_refusal,
)
from easein.domain.errors import Conflict, EaseInError, InvalidInput, NotFound, UnsafeItem
from easein.domain.pairing import NotPermitted, Words, end_pairing
from easein.domain.policy import DEFAULT_POLICY as P
from easein.domain.safety import State
from easein.domain.stop_and_talk import call_stop_and_talk, open_stop, resume, who_to_tell
from easein.domain.toys import Base
from tests.domain.factories import T0
from tests.domain.together import (
    NO_BASE,
    P20,
    P22,
    P25,
    P35,
    PARTNER,
    STRANGER,
    TOYS,
    TRAINEE,
    active,
    ladder,
    pending,
)

H = timedelta(hours=1)
NIGHTLY = DirectiveSpec(
    DirectiveKind.WEAR,
    timedelta(hours=2),
    "nightly",
    date(2026, 3, 2),
    Window(time(21, 0), time(23, 30)),
    "the blue one, plenty of lube",
)


def spec_for(item):
    return replace(NIGHTLY, kind=DirectiveKind.ITEM, item_id=item.id)


def create(spec=NIGHTLY, *, item=None, earned=22.0, pairing=None, who=PARTNER, below=None):
    return create_directive(
        spec,
        new_id=1,
        pairing=pairing or active(),
        person_id=who,
        now=T0,
        item=item,
        ladder=ladder(earned),
        policy=P,
        below_mm=below,
    )


# --- refused at creation: safety always wins -----------------------------------------------

ABOVE, STEP, BASE = (
    rules.DIRECTIVE_ABOVE_NEXT_RUNG,
    rules.DIRECTIVE_STEP_TOO_LARGE,
    rules.TOY_BASE_REQUIRED,
)
# (rule, earned size, item, size to stay below, the rule that refuses it or None)
ITEM_CASES = [
    ("directive.at_the_earned_size_is_allowed", 22.0, P22, None, None),
    ("directive.below_the_earned_size_is_allowed", 22.0, P20, None, None),
    ("directive.next_rung_within_the_step_is_allowed", 22.0, P25, None, None),
    (ABOVE, 20.0, P25, None, ABOVE),
    (ABOVE + ".far_above", 20.0, P35, None, ABOVE),
    (STEP, 25.0, P35, None, STEP),
    (BASE, 22.0, NO_BASE, None, BASE),
    ("directive.nothing_earned_first_rung_is_allowed", None, P20, None, None),
    ("directive.nothing_earned_second_rung_is_refused", None, P22, None, ABOVE),
    ("directive.after_a_step_back_stay_below", None, P22, 22.0, ABOVE),
    ("directive.after_a_step_back_smaller_is_allowed", None, P20, 22.0, None),
]


@pytest.mark.parametrize(
    ("earned", "item", "below", "rule"),
    [c[1:] for c in ITEM_CASES],
    ids=[c[0] for c in ITEM_CASES],
)
def test_an_unsafe_item_is_refused_at_creation_with_the_reason_and_rule(earned, item, below, rule):
    if rule is None:
        assert create(spec_for(item), item=item, earned=earned, below=below).item_id == item.id
        assert item_refusal(item, ladder(earned), P, below_mm=below) is None
        return
    with pytest.raises(UnsafeItem) as raised:
        create(spec_for(item), item=item, earned=earned, below=below)
    assert raised.value.code == rule
    assert rule in raised.value.message and item.name in raised.value.message
    assert raised.value.field == "item"


@pytest.mark.parametrize(
    ("earned", "item", "rule"),
    [(22.0, P35, rules.DIRECTIVE_ABOVE_NEXT_RUNG), (22.0, NO_BASE, rules.TOY_BASE_REQUIRED)],
    ids=["edit.above_next_rung", "edit.base_required"],
)
def test_an_edit_is_checked_like_a_new_directive(earned, item, rule):
    directive = create(spec_for(P22), item=P22)
    with pytest.raises(UnsafeItem) as raised:
        edit_directive(
            directive,
            spec_for(item),
            pairing=active(),
            person_id=PARTNER,
            now=T0 + H,
            item=item,
            ladder=ladder(earned),
            policy=P,
        )
    assert raised.value.code == rule


INPUT_CASES = [
    ("directive.item_kind_needs_an_item", replace(NIGHTLY, kind=DirectiveKind.ITEM), "item"),
    (
        "directive.next_rung_takes_no_item",
        replace(NIGHTLY, kind=DirectiveKind.NEXT_RUNG, item_id=22),
        "item",
    ),
    ("directive.duration_fits_the_window", replace(NIGHTLY, duration=timedelta(hours=3)), "window"),
    (
        "directive.duration_at_most_24h",
        replace(NIGHTLY, duration=timedelta(hours=25), window=None),
        "duration",
    ),
    ("directive.note_length", replace(NIGHTLY, note="x" * 1001), "note"),
    ("directive.schedule_supported", replace(NIGHTLY, schedule="FREQ=HOURLY"), "schedule"),
]


@pytest.mark.parametrize(
    ("spec", "field"), [c[1:] for c in INPUT_CASES], ids=[c[0] for c in INPUT_CASES]
)
def test_bad_input_names_the_field(spec, field):
    item = P22 if spec.item_id == 22 else None
    with pytest.raises(InvalidInput) as raised:
        create(spec, item=item)
    assert raised.value.field == field


def test_a_window_may_cross_midnight():
    overnight = replace(NIGHTLY, duration=timedelta(hours=8), window=Window(time(22), time(7)))
    assert create(overnight).window == Window(time(22), time(7))
    assert Window(time(9), time(9)).length == timedelta(days=1)


def test_the_schedule_is_normalised():
    assert create(replace(NIGHTLY, schedule="mon, wed, fri")).rrule == "FREQ=WEEKLY;BYDAY=MO,WE,FR"


@pytest.mark.parametrize(
    ("who", "pairing", "error"),
    [(TRAINEE, active, NotPermitted), (STRANGER, active, NotFound), (PARTNER, pending, Conflict)],
    ids=["only_the_partner_sets", "a_stranger_finds_nothing", "only_in_an_active_pairing"],
)
def test_who_may_set_a_directive(who, pairing, error):
    with pytest.raises(error):
        create(pairing=pairing(), who=who)


def test_an_edit_is_a_new_revision_the_trainee_acknowledges_afresh():
    directive = acknowledge(create(), active(), TRAINEE, T0 + H)
    edited = edit_directive(
        directive,
        replace(NIGHTLY, note="new note"),
        pairing=active(),
        person_id=PARTNER,
        now=T0 + 2 * H,
        item=None,
        ladder=ladder(22.0),
        policy=P,
    )
    assert (edited.revision, edited.acknowledged_at, edited.note) == (2, None, "new note")
    assert directive.note == NIGHTLY.note  # the earlier revision is untouched


def test_only_the_trainee_acknowledges_and_only_the_partner_ends():
    directive = create()
    with pytest.raises(NotPermitted):
        acknowledge(directive, active(), PARTNER, T0 + H)
    with pytest.raises(NotPermitted):
        end_directive(directive, active(), TRAINEE, T0 + H)
    assert end_directive(directive, active(), PARTNER, T0 + H).ended_at == T0 + H


# --- the status at a moment ----------------------------------------------------------------

ACKED = acknowledge(create(spec_for(P25), item=P25), active(), TRAINEE, T0 + H)
LATER = T0 + 3 * H

# (rule, safety state, stop and talk open, earned size now, expected state)
S = DirectiveState
SUSPENDED = S.SUSPENDED_FOR_SAFETY
STATUS_CASES = [
    ("directive.active_when_ready", State.READY, False, 22.0, S.ACTIVE),
    ("directive.suspended_during_rest", State.REST, False, 22.0, SUSPENDED),
    ("directive.suspended_while_paused", State.PAUSED, False, 22.0, SUSPENDED),
    ("directive.suspended_during_medical_hold", State.MEDICAL_HOLD, False, 22.0, SUSPENDED),
    ("directive.paused_by_stop_and_talk", State.READY, True, 22.0, S.PAUSED_BY_STOP_AND_TALK),
    ("directive.safety_before_stop_and_talk", State.REST, True, 22.0, SUSPENDED),
    ("directive.suspended_after_a_step_back", State.READY, False, 20.0, SUSPENDED),
]


@pytest.mark.parametrize(
    ("safety", "stopped", "earned", "expected"),
    [c[1:] for c in STATUS_CASES],
    ids=[c[0] for c in STATUS_CASES],
)
def test_status_at(safety, stopped, earned, expected):
    stops = [call_stop_and_talk([], active(), TRAINEE, T0 + 2 * H, new_id=1)] if stopped else []
    status = status_at(
        ACKED,
        LATER,
        pairing=active(),
        safety=safety,
        stops=stops,
        item=P25,
        ladder=ladder(earned),
        policy=P,
    )
    assert status.state is expected
    if expected is DirectiveState.SUSPENDED_FOR_SAFETY:
        assert status.partner_message == SUSPENDED_FOR_SAFETY  # never a medical detail


def test_the_partner_never_reads_why_safety_suspended_a_directive():
    for safety in (State.REST, State.PAUSED, State.MEDICAL_HOLD):
        status = status_at(
            ACKED, LATER, pairing=active(), safety=safety, stops=[], item=P25,
            ladder=ladder(22.0), policy=P,
        )  # fmt: skip
        assert status.partner_message == "suspended for safety"
        assert "medical" not in status.partner_message and "rest" not in status.partner_message


@pytest.mark.parametrize(
    ("directive", "pairing", "expected"),
    [
        (create(), active(), DirectiveState.AWAITING_ACKNOWLEDGEMENT),
        (replace(ACKED, ended_at=T0 + 2 * H), active(), DirectiveState.ENDED),
        (ACKED, end_pairing(active(), TRAINEE, T0 + 2 * H), DirectiveState.ENDED),
    ],
    ids=["directive.awaits_acknowledgement", "directive.ended", "directive.ends_with_the_pairing"],
)
def test_status_lifecycle(directive, pairing, expected):
    status = status_at(
        directive, LATER, pairing=pairing, safety=State.READY, stops=[], item=P25,
        ladder=ladder(22.0), policy=P,
    )  # fmt: skip
    assert status.state is expected


def test_the_trainee_reads_whose_acknowledgement_is_awaited_as_you():
    couple = replace(active(), words=Words("sub", "Sir"))
    status = status_at(
        create(), LATER, pairing=couple, safety=State.READY, stops=[], item=P25,
        ladder=ladder(22.0), policy=P,
    )  # fmt: skip
    assert status.message == "waiting for you to acknowledge it"
    assert status.partner_message == "waiting for the sub to acknowledge it"


# --- stop and talk -------------------------------------------------------------------------


@pytest.mark.parametrize("who", [TRAINEE, PARTNER], ids=["trainee_calls", "partner_calls"])
def test_anyone_in_the_pairing_can_call_stop_and_talk(who):
    stop = call_stop_and_talk([], active(), who, T0 + H, new_id=1)
    assert (stop.called_by, stop.called_at) == (who, T0 + H)
    assert who_to_tell(stop, active()) == ({TRAINEE, PARTNER} - {who}).pop()


def test_stop_and_talk_pauses_every_directive_at_once():
    directives = [replace(ACKED, id=i) for i in range(1, 5)]
    stop = call_stop_and_talk([], active(), TRAINEE, T0 + 2 * H, new_id=1)
    states = {
        status_at(d, LATER, pairing=active(), safety=State.READY, stops=[stop], item=P25,
                  ladder=ladder(22.0), policy=P).state
        for d in directives
    }  # fmt: skip
    assert states == {DirectiveState.PAUSED_BY_STOP_AND_TALK}


def test_stop_and_talk_has_no_cooldown_and_never_fails_twice():
    first = call_stop_and_talk([], active(), TRAINEE, T0 + H, new_id=1)
    again = call_stop_and_talk([first], active(), PARTNER, T0 + H, new_id=2)
    assert again is first  # already open: the same one, no error
    resumed = resume(first, active(), TRAINEE, T0 + H)  # at once: no waiting
    assert open_stop([resumed], T0 + H) is None
    new = call_stop_and_talk([resumed], active(), TRAINEE, T0 + H, new_id=3)
    assert new.id == 3 and open_stop([resumed, new], T0 + H) is new


def test_only_the_trainee_resumes():
    stop = call_stop_and_talk([], active(), PARTNER, T0 + H, new_id=1)
    with pytest.raises(NotPermitted) as raised:
        resume(stop, active(), PARTNER, T0 + 2 * H)
    assert "only the trainee" in raised.value.message
    with pytest.raises(NotFound):
        call_stop_and_talk([], active(), STRANGER, T0 + H, new_id=2)


# --- no sequence of operations makes an unsafe directive active ------------------------------

ITEMS = [P20, P22, P25, P35, NO_BASE, replace(P22, id=23, base=Base.HANDLE)]
SIZES = [None, 20.0, 22.0, 25.0, 35.0]
KINDS = list(DirectiveKind)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("create"), st.sampled_from([*ITEMS, None]), st.sampled_from(KINDS)),
        st.tuples(st.just("edit"), st.integers(0, 4), st.sampled_from(ITEMS)),
        st.tuples(st.just("ack"), st.integers(0, 4)),
        st.tuples(st.just("end"), st.integers(0, 4)),
        st.tuples(st.just("stop"), st.sampled_from([TRAINEE, PARTNER])),
        st.tuples(st.just("resume"), st.sampled_from([TRAINEE, PARTNER])),
        st.tuples(st.just("safety"), st.sampled_from(list(State))),
        st.tuples(st.just("earned"), st.sampled_from(SIZES), st.sampled_from([None, 22.0])),
    ),
    max_size=30,
)  # fmt: skip


def allowed(item, earned, below):
    """An independent statement of the cap: earned rung + 1, within the step, with a base."""
    if item.base is Base.NONE:
        return False
    if earned is not None and item.diameter_mm <= earned + 0.5:
        return True
    sizes = sorted({t.diameter_mm for t in TOYS if t.base is not Base.NONE})
    above = [s for s in sizes if earned is None or s > earned + 0.5]
    if not above or item.diameter_mm > above[0] + 0.5:
        return False
    if earned is None:
        return below is None or item.diameter_mm < below - 0.5
    return item.diameter_mm <= earned * (1 + P.max_step_percent / 100) + 0.5


@settings(max_examples=200, deadline=None)
@given(ops=operations)
def test_no_sequence_of_operations_makes_an_unsafe_directive_active(ops):
    pairing = active()
    by_id = {t.id: t for t in ITEMS}
    directives, stops = [], []
    safety, earned, below = State.READY, 22.0, None
    now = T0
    for op in ops:
        now += timedelta(minutes=7)
        kind, *args = op
        try:
            if kind == "create":
                item, dkind = args
                spec = replace(NIGHTLY, kind=dkind, item_id=None if item is None else item.id)
                directives.append(
                    create_directive(
                        spec, new_id=len(directives) + 1, pairing=pairing, person_id=PARTNER,
                        now=now, item=item, ladder=ladder(earned), policy=P, below_mm=below,
                    )
                )  # fmt: skip
            elif kind == "edit" and args[0] < len(directives):
                d, item = directives[args[0]], args[1]
                spec = replace(NIGHTLY, kind=DirectiveKind.ITEM, item_id=item.id)
                directives[args[0]] = edit_directive(
                    d, spec, pairing=pairing, person_id=PARTNER, now=now, item=item,
                    ladder=ladder(earned), policy=P, below_mm=below,
                )  # fmt: skip
            elif kind == "ack" and args[0] < len(directives):
                directives[args[0]] = acknowledge(directives[args[0]], pairing, TRAINEE, now)
            elif kind == "end" and args[0] < len(directives):
                directives[args[0]] = end_directive(directives[args[0]], pairing, PARTNER, now)
            elif kind == "stop":
                stop = call_stop_and_talk(stops, pairing, args[0], now, new_id=len(stops) + 1)
                if stop not in stops:
                    stops.append(stop)
            elif kind == "resume":
                current = open_stop(stops, now)
                if current is not None:
                    stops[stops.index(current)] = resume(current, pairing, args[0], now)
                    assert args[0] == TRAINEE, "only the trainee resumes"
            elif kind == "safety":
                safety = args[0]
            elif kind == "earned":
                earned, below = args[0], (args[1] if args[0] is None else None)
        except NotPermitted:
            assert kind == "resume" and args[0] == PARTNER
        except EaseInError:
            assert kind in {"create", "edit", "ack", "end"}
        for d in directives:
            item = by_id.get(d.item_id) if d.item_id is not None else None
            status = status_at(
                d, now, pairing=pairing, safety=safety, stops=stops, item=item,
                ladder=ladder(earned), policy=P, below_mm=below,
            )  # fmt: skip
            if status.state is DirectiveState.ACTIVE:
                assert safety is State.READY
                assert open_stop(stops, now) is None
                assert item is None or allowed(item, earned, below), (item, earned, below)


def test_a_directive_whose_item_was_retired_since_is_suspended():
    """Rule directive.item_retired: an item put away after the directive was set."""
    retired = replace(P25, retired=True)
    status = status_at(
        ACKED, LATER, pairing=active(), safety=State.READY, stops=[], item=retired,
        ladder=ladder(22.0), policy=P,
    )  # fmt: skip
    assert status.state is DirectiveState.SUSPENDED_FOR_SAFETY
    assert status.rule == rules.DIRECTIVE_ITEM_RETIRED
    assert status.partner_message == SUSPENDED_FOR_SAFETY
    assert item_refusal(retired, ladder(22.0), P).rule == rules.DIRECTIVE_ITEM_RETIRED
