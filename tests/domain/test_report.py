"""The clinician report's facts: the period, clinical wording, notes only when chosen."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from easein.domain.errors import InvalidInput
from easein.domain.policy import Policy
from easein.domain.report import (
    bleeding_text,
    build_report,
    duration_text,
    parse_period,
    size_text,
)
from easein.domain.safety import Condition, ConditionKind
from easein.domain.sessions import Bleeding, BloodColour, SessionKind
from easein.domain.training import replay
from easein.domain.units import Units
from tests.domain.factories import session, toy

BERLIN = ZoneInfo("Europe/Berlin")
TODAY = date(2026, 3, 20)
POLICY = Policy()


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("2026-01-01", "2026-03-31", (date(2026, 1, 1), date(2026, 3, 31))),
        (" 2026-03-01 ", "2026-03-01", (date(2026, 3, 1), date(2026, 3, 1))),
        (None, None, (date(2025, 12, 21), TODAY)),  # the last 90 days, to today
        ("", "", (date(2025, 12, 21), TODAY)),
        (None, "2026-02-28", (date(2025, 12, 1), date(2026, 2, 28))),
        (date(2026, 2, 1), date(2026, 2, 2), (date(2026, 2, 1), date(2026, 2, 2))),
    ],
)
def test_a_period_is_local_days_with_defaults(first, last, expected):
    period = parse_period(first, last, BERLIN, today=TODAY)
    assert (period.first, period.last) == expected


def test_a_period_spans_whole_local_days_across_a_dst_change():
    period = parse_period("2026-03-29", "2026-03-29", BERLIN, today=TODAY)
    assert period.start == datetime(2026, 3, 28, 23, 0, tzinfo=UTC)  # CET midnight
    assert period.end == datetime(2026, 3, 29, 22, 0, tzinfo=UTC)  # CEST midnight: 23 h


@pytest.mark.parametrize(
    ("first", "last", "field", "says"),
    [
        ("2026-03-31", "2026-01-01", "to", "before from"),
        ("yesterday", "2026-01-01", "from", "not a date"),
        ("2026-01-01", "2026-02-30", "to", "not a date"),
        ("1969-12-31", "2026-01-01", "from", "outside"),
        ("2026-01-01", "3000-01-01", "to", "outside"),
    ],
)
def test_a_bad_period_is_refused_naming_the_field(first, last, field, says):
    with pytest.raises(InvalidInput) as caught:
        parse_period(first, last, BERLIN, today=TODAY)
    assert caught.value.field == field
    assert says in caught.value.message


@pytest.mark.parametrize(
    ("bleeding", "colour", "words"),
    [
        (Bleeding.NONE, None, "No bleeding"),
        (Bleeding.SPOTTING, BloodColour.BRIGHT, "Bleeding: spotting (bright red)"),
        (Bleeding.SPOTTING, None, "Bleeding: spotting (bright red)"),
        (
            Bleeding.LASTING,
            BloodColour.DARK,
            "Bleeding: lasting more than a few minutes (dark red)",
        ),
    ],
)
def test_bleeding_in_clinical_words(bleeding, colour, words):
    assert bleeding_text(session(20, bleeding=bleeding, colour=colour)) == words


@pytest.mark.parametrize(
    ("mm", "units", "words"),
    [(25, Units.MM, "25 mm"), (25.4, Units.IN, "25.4 mm (1.00 in)"), (19.5, Units.MM, "19.5 mm")],
)
def test_sizes_are_in_mm_plus_the_persons_units(mm, units, words):
    assert size_text(mm, units) == words


@pytest.mark.parametrize(
    ("minutes", "words"),
    [(15, "15 min"), (60, "1 h"), (90, "1 h 30 min"), (0.2, "1 min"), (24 * 60, "24 h")],
)
def test_durations_in_hours_and_minutes(minutes, words):
    assert duration_text(timedelta(minutes=minutes)) == words


# --- the report of a period --------------------------------------------------------------

SMALL = toy("small plug", 20, material="silicone", id=1)
LARGE = toy("large plug", 25, id=2)


def log():
    """Sessions from 2026-03-02 (a Monday, 20:00 in Berlin) on, one a day."""
    return [
        session(20, 0, item_id=1, notes="NOTE-ONE"),
        session(25, 1, item_id=2, pain=5),
        session(20, 2, item_id=1, bleeding=Bleeding.SPOTTING, colour=BloodColour.BRIGHT),
        session(25, 3, item_id=2, pain=3, sharp=True, kind=SessionKind.WEAR),
        session(25, 4, item_id=2, bleeding=Bleeding.LASTING, colour=BloodColour.DARK),
    ]


def report_of(sessions, first="2026-03-01", last="2026-03-31", conditions=(), **kw):
    return build_report(
        sessions,
        [SMALL, LARGE],
        list(conditions),
        replay(sessions, [], POLICY, BERLIN),
        parse_period(first, last, BERLIN, today=TODAY),
        now=datetime(2026, 3, 20, 12, 0, tzinfo=UTC),
        tz=BERLIN,
        units=kw.pop("units", Units.MM),
        policy=POLICY,
        **kw,
    )


def test_the_report_counts_sessions_and_names_the_largest_diameter():
    report = report_of(log())
    assert "Sessions: 5 on 5 of 31 days" in report.summary
    assert any(
        line.startswith("Largest diameter used: 25 mm (large plug), first on 03 Mar 2026 20:00")
        for line in report.summary
    )
    assert [(k.label, k.sessions, k.total) for k in report.kinds] == [
        ("Active dilation", 4, "1 h"),
        ("Prolonged wear", 1, "15 min"),
    ]
    assert [(i.name, i.size, i.sessions) for i in report.items] == [
        ("small plug", "20 mm", 2),
        ("large plug", "25 mm", 3),
    ]
    assert report.items[0].description == "Plug, flared base, silicone"


def test_pain_and_bleeding_events_carry_their_dates_and_the_medical_hold():
    report = report_of(log())
    assert "Pain ≥ 4/10: 1 of 5 sessions" in report.pain
    assert "Sharp or sudden pain: 1 session" in report.pain
    assert [e.when for e in report.pain_events] == ["03 Mar 2026 20:00", "05 Mar 2026 20:00"]
    assert report.pain_events[1].what.startswith("Pain 3/10, sharp or sudden; prolonged wear")
    assert [(e.when, e.what.split(";")[0]) for e in report.bleeding_events] == [
        ("04 Mar 2026 20:00", "Bleeding: spotting (bright red)"),
        ("06 Mar 2026 20:00", "Bleeding: lasting more than a few minutes (dark red)"),
    ]
    assert report.bleeding_events[1].what.endswith("medical hold: see a doctor")
    assert "medical hold" not in report.bleeding_events[0].what
    assert report.state == "Medical hold: advised to see a doctor"
    assert any("see a doctor" in reason for reason in report.state_reasons)


def test_only_sessions_within_the_local_days_of_the_period_count():
    late = session(20, 0, started_at=datetime(2026, 3, 31, 21, 30, tzinfo=UTC))  # 23:30 CEST
    after = session(20, 0, started_at=datetime(2026, 3, 31, 22, 10, tzinfo=UTC))  # 1 April
    before = session(20, 0, started_at=datetime(2026, 2, 28, 22, 59, tzinfo=UTC))  # 28 Feb
    report = report_of([before, late, after])
    assert [x.when for x in report.log] == ["31 Mar 2026 23:30"]


def test_notes_are_left_out_unless_chosen_also_from_conditions_and_the_state():
    paused = Condition(
        1, ConditionKind.HAEMORRHOIDS, "COND-NOTE", datetime(2026, 3, 10, tzinfo=UTC)
    )
    hidden = report_of(log(), conditions=[paused])
    assert hidden.notes is None
    assert "COND-NOTE" not in repr(hidden) and "NOTE-ONE" not in repr(hidden)
    assert hidden.conditions == ("Haemorrhoids: from 10 Mar 2026 01:00, ongoing",)

    shown = report_of(log(), conditions=[paused], include_notes=True)
    assert shown.notes is not None
    assert [(n.when, n.what) for n in shown.notes] == [("02 Mar 2026 20:00", "NOTE-ONE")]
    assert shown.conditions == ("Haemorrhoids: from 10 Mar 2026 01:00, ongoing; note: COND-NOTE",)
    assert any("COND-NOTE" in reason for reason in shown.state_reasons)


def test_conditions_outside_the_period_are_left_out():
    old = Condition(
        1,
        ConditionKind.CONSTIPATION,
        "",
        datetime(2026, 1, 2, tzinfo=UTC),
        cleared_at=datetime(2026, 1, 5, tzinfo=UTC),
    )
    assert report_of(log(), conditions=[old]).conditions == ()
    assert report_of(log(), "2026-01-01", conditions=[old]).conditions == (
        "Constipation: from 02 Jan 2026 01:00, cleared 05 Jan 2026 01:00",
    )


def test_an_empty_period_has_no_events_and_a_ready_state():
    report = report_of([], "2025-01-01", "2025-01-31")
    assert report.summary[0] == "Sessions: 0 on 0 of 31 days"
    assert report.pain == () and report.pain_events == () and report.bleeding_events == ()
    assert report.points == () and report.log == ()
    assert report.state.startswith("No restriction")


def test_a_person_who_uses_inches_sees_both_units():
    report = report_of(log(), units=Units.IN)
    assert report.log[1].item == "25 mm (0.98 in) (large plug)"


def test_an_item_that_is_gone_is_named_by_its_number():
    orphan = replace(session(30, 0), item_ids=(99,), reached_item_id=99)
    report = report_of([orphan])
    assert report.log[0].item == "30 mm (item #99)"
    assert report.items[0].name == "item #99"
