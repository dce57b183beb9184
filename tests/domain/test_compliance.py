"""Check-ins and compliance: done, partly, skipped, missed and excused kept apart."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from easein.domain.adherence import Interval
from easein.domain.compliance import (
    SAFETY_EXCUSE,
    CheckIn,
    CheckInResult,
    Outcome,
    check_in,
    slots,
    summarise,
)
from easein.domain.directives import Directive, DirectiveKind, Window
from easein.domain.errors import InvalidInput
from easein.domain.pairing import NotPermitted
from easein.domain.stop_and_talk import StopAndTalk
from tests.domain.factories import T0
from tests.domain.together import PARTNER, TRAINEE, active

TZ = ZoneInfo("Europe/Berlin")
R = CheckInResult
NIGHTLY = Directive(
    id=5,
    pairing_id=7,
    kind=DirectiveKind.WEAR,
    duration=timedelta(hours=2),
    rrule="FREQ=DAILY",
    starts_on=date(2026, 3, 2),
    window=Window(datetime(2026, 1, 1, 21).time(), datetime(2026, 1, 1, 23, 30).time()),
    note="",
    item_id=None,
    created_by=PARTNER,
    revised_at=T0 - timedelta(hours=2),
    acknowledged_at=T0 - timedelta(hours=1),  # Monday 2 March, 19:00 Berlin
)


def utc(day, hour, minute=0):
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def answer(day, result, session_id=None):
    return CheckIn(5, date(2026, 3, day), result, utc(day, 23), session_id)


CHECK_INS = [
    answer(2, R.DONE, 41),
    answer(3, R.PARTLY, 42),
    answer(4, R.SKIPPED),
    answer(6, R.SKIPPED),  # skipped during a rest: excused, not skipped
]
SAFETY = [Interval(utc(5, 10), utc(7, 10), "paused: haemorrhoids")]
STOPS = [StopAndTalk(1, 7, PARTNER, utc(7, 20, 30), TRAINEE, utc(7, 23))]
NOW = utc(9, 20, 30)  # the 9 March window (21:00-23:30 Berlin) is open


def test_each_occurrence_is_classified():
    found = slots([NIGHTLY], CHECK_INS, SAFETY, STOPS, TZ, utc(1, 0), NOW)
    by_day = {s.day.day: (s.outcome, s.excuse, s.session_id) for s in found}
    assert by_day == {
        2: (Outcome.DONE, None, 41),
        3: (Outcome.PARTLY, None, 42),
        4: (Outcome.SKIPPED, None, None),
        5: (Outcome.EXCUSED, SAFETY_EXCUSE, None),
        6: (Outcome.EXCUSED, SAFETY_EXCUSE, None),
        7: (Outcome.EXCUSED, "stop_and_talk", None),
        8: (Outcome.MISSED, None, None),
        9: (Outcome.DUE, None, None),
    }


def test_compliance_keeps_missed_and_excused_apart():
    summary = summarise(slots([NIGHTLY], CHECK_INS, SAFETY, STOPS, TZ, utc(1, 0), NOW))
    assert (summary.done, summary.partly, summary.skipped) == (1, 1, 1)
    assert (summary.missed, summary.excused, summary.due) == (1, 3, 1)
    assert summary.rate == 0.375  # (1 + 1/2) / 4: excused and due do not count


def test_the_partner_never_reads_the_medical_reason_of_an_excuse():
    found = slots([NIGHTLY], [], SAFETY, [], TZ, utc(1, 0), NOW)
    assert {s.excuse for s in found if s.outcome is Outcome.EXCUSED} == {SAFETY_EXCUSE}
    assert "haemorrhoids" not in repr(found)


def test_nothing_is_expected_before_acknowledgement_or_after_the_end():
    unacknowledged = replace(NIGHTLY, acknowledged_at=None)
    assert slots([unacknowledged], [], [], [], TZ, utc(1, 0), NOW) == []
    ended = replace(NIGHTLY, ended_at=utc(4, 12))
    assert [s.day.day for s in slots([ended], [], [], [], TZ, utc(1, 0), NOW)] == [2, 3]


def test_a_revision_counts_from_its_acknowledgement():
    second = replace(NIGHTLY, revision=2, revised_at=utc(5, 9), acknowledged_at=utc(7, 9))
    found = slots([NIGHTLY, second], [], [], [], TZ, utc(1, 0), NOW)
    assert [(s.day.day, s.revision) for s in found] == [
        (2, 1), (3, 1), (4, 1), (7, 2), (8, 2), (9, 2),
    ]  # fmt: skip


# --- checking in -------------------------------------------------------------------------


def test_the_trainee_checks_in_with_the_session_attached():
    done = check_in(
        NIGHTLY, active(), TRAINEE, date(2026, 3, 2), R.DONE, utc(2, 22), TZ, session_id=41
    )
    assert (done.day, done.result, done.session_id) == (date(2026, 3, 2), R.DONE, 41)


@pytest.mark.parametrize(
    ("directive", "day", "result", "session_id", "now", "code"),
    [
        (NIGHTLY, 2, R.SKIPPED, 41, utc(2, 22), "inconsistent"),
        (
            replace(NIGHTLY, rrule="FREQ=WEEKLY;BYDAY=MO"),
            3,
            R.DONE,
            None,
            utc(3, 22),
            "not_planned",
        ),
        (NIGHTLY, 3, R.DONE, None, utc(2, 22), "in_the_future"),
        (replace(NIGHTLY, ended_at=utc(3, 1)), 3, R.DONE, None, utc(3, 22), "directive_ended"),
    ],
    ids=[
        "check_in.skipped_has_no_session",
        "check_in.only_planned_days",
        "check_in.not_before_it_starts",
        "check_in.not_after_the_end",
    ],
)
def test_check_in_refusals(directive, day, result, session_id, now, code):
    with pytest.raises(InvalidInput) as raised:
        check_in(
            directive, active(), TRAINEE, date(2026, 3, day), result, now, TZ, session_id=session_id
        )
    assert raised.value.code == code


def test_only_the_trainee_checks_in():
    with pytest.raises(NotPermitted):
        check_in(NIGHTLY, active(), PARTNER, date(2026, 3, 2), R.DONE, utc(2, 22), TZ)
