"""Schedules: parsing phrases and RRULEs, and occurrences on the local wall clock across DST."""

from __future__ import annotations

import time as clock
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st

from easein.domain.errors import InvalidInput
from easein.domain.schedule import Plan, localise, occurrences, parse_schedule
from easein.domain.sessions import SessionKind

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def plan(
    rrule: str = "FREQ=DAILY",
    starts_on: date = date(2024, 1, 1),
    at: time = time(21, 0),
    ended_on: date | None = None,
) -> Plan:
    return Plan(
        id=1,
        name="nightly plug",
        kind=SessionKind.WEAR,
        rrule=rrule,
        starts_on=starts_on,
        at=at,
        duration=timedelta(hours=1),
        ended_on=ended_on,
    )


def local_window(tz: ZoneInfo, first: date, after_last: date) -> tuple[datetime, datetime]:
    return localise(datetime.combine(first, time.min), tz), localise(
        datetime.combine(after_last, time.min), tz
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("daily", "FREQ=DAILY"),
        ("Every day", "FREQ=DAILY"),
        ("nightly", "FREQ=DAILY"),
        ("every night", "FREQ=DAILY"),
        ("weekdays", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
        ("weekends", "FREQ=WEEKLY;BYDAY=SA,SU"),
        ("mon,wed,fri", "FREQ=WEEKLY;BYDAY=MO,WE,FR"),
        ("mon wed fri", "FREQ=WEEKLY;BYDAY=MO,WE,FR"),
        ("Tue and Thu", "FREQ=WEEKLY;BYDAY=TU,TH"),
        ("fri, Monday", "FREQ=WEEKLY;BYDAY=MO,FR"),
        ("every other day", "FREQ=DAILY;INTERVAL=2"),
        ("every 3 days", "FREQ=DAILY;INTERVAL=3"),
        ("once a week", "FREQ=WEEKLY;BYDAY=MO"),
        ("2x/week", "FREQ=WEEKLY;BYDAY=TU,FR"),
        ("twice a week", "FREQ=WEEKLY;BYDAY=TU,FR"),
        ("3 times a week", "FREQ=WEEKLY;BYDAY=MO,WE,FR"),
        ("3x/week", "FREQ=WEEKLY;BYDAY=MO,WE,FR"),
        ("4 times per week", "FREQ=WEEKLY;BYDAY=MO,TU,TH,SA"),
        ("5 nights a week", "FREQ=WEEKLY;BYDAY=MO,TU,TH,FR,SA"),
        ("6x/week", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA"),
        ("7 times a week", "FREQ=DAILY"),
        ("FREQ=WEEKLY;BYDAY=MO,WE,FR", "FREQ=WEEKLY;BYDAY=MO,WE,FR"),
        ("RRULE:freq=weekly;byday=fr,mo", "FREQ=WEEKLY;BYDAY=MO,FR"),
        ("FREQ=DAILY;INTERVAL=1", "FREQ=DAILY"),
        ("FREQ=DAILY;BYDAY=MO,WE", "FREQ=WEEKLY;BYDAY=MO,WE"),
        ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU", "FREQ=DAILY"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;WKST=SU", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;WKST=SU"),
        ("FREQ=WEEKLY;BYDAY=TU;WKST=SU", "FREQ=WEEKLY;BYDAY=TU"),
        ("FREQ=WEEKLY", "FREQ=WEEKLY"),
    ],
)
def test_parse_schedule_normalises_phrases_and_rrules(text: str, expected: str) -> None:
    assert parse_schedule(text) == expected
    assert parse_schedule(expected) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "empty"),
        ("sometimes", "not a schedule"),
        ("mon, funday", "not a schedule"),
        ("FREQ=HOURLY", "at most once a day"),
        ("FREQ=MINUTELY;INTERVAL=30", "at most once a day"),
        ("FREQ=DAILY;COUNT=3", "COUNT"),
        ("FREQ=DAILY;UNTIL=20250101T000000Z", "UNTIL"),
        ("DTSTART:20240101T090000Z\nRRULE:FREQ=DAILY", "DTSTART"),
        ("FREQ=DAILY;BYHOUR=9,21", "time of day"),
        ("FREQ=MONTHLY;BYMONTHDAY=1", "DAILY or WEEKLY"),
        ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "not supported"),
        ("BYDAY=MO", "FREQ is missing"),
        ("FREQ=DAILY;FREQ=WEEKLY", "twice"),
        ("FREQ=DAILY;INTERVAL=0", "INTERVAL"),
        ("FREQ=DAILY;INTERVAL=two", "INTERVAL"),
        ("FREQ=DAILY;INTERVAL=2;BYDAY=MO", "weekdays"),
        ("FREQ=WEEKLY;BYDAY=1MO", "not a day"),
        ("FREQ=;BYDAY=MO", "KEY=VALUE"),
        ("8 times a week", "from 1 to 7"),
        ("0x/week", "from 1 to 7"),
        ("every 0 days", "every N days"),
    ],
)
def test_parse_schedule_rejects_what_it_cannot_run(text: str, says: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_schedule(text)
    assert caught.value.field == "schedule"
    assert says in caught.value.message
    assert "FREQ=WEEKLY;BYDAY=MO,WE,FR" in caught.value.message  # says what is allowed


@pytest.mark.parametrize(
    ("tz", "first", "after_last", "winter_utc_hour", "summer_utc_hour"),
    [
        (BERLIN, date(2024, 3, 25), date(2024, 11, 2), 20, 19),  # 31 Mar, 27 Oct
        (NEW_YORK, date(2024, 3, 5), date(2024, 11, 8), 2, 1),  # 10 Mar, 3 Nov
    ],
)
def test_nightly_plan_stays_at_21_local_across_dst_changes(
    tz: ZoneInfo, first: date, after_last: date, winter_utc_hour: int, summer_utc_hour: int
) -> None:
    start, end = local_window(tz, first, after_last)

    found = occurrences(plan(starts_on=first), tz, start, end)

    assert len(found) == (after_last - first).days
    assert all(o.astimezone(tz).time() == time(21, 0) for o in found)
    offsets = [o.astimezone(tz).utcoffset() or timedelta(0) for o in found]
    assert offsets[-1] == offsets[0]  # winter again
    assert max(offsets) - min(offsets) == timedelta(hours=1)
    assert {o.hour for o in found} == {winter_utc_hour, summer_utc_hour}
    assert found[0].hour == winter_utc_hour
    assert found[-1].hour == winter_utc_hour


@pytest.mark.parametrize(
    ("tz", "day", "expected_local"),
    [
        (BERLIN, date(2024, 3, 31), "2024-03-31T03:30:00+02:00"),  # 02:00 → 03:00
        (NEW_YORK, date(2024, 3, 10), "2024-03-10T03:30:00-04:00"),  # 02:00 → 03:00
    ],
)
def test_wall_time_in_the_spring_gap_moves_forward_by_the_gap(
    tz: ZoneInfo, day: date, expected_local: str
) -> None:
    start, end = local_window(tz, day, day + timedelta(days=1))

    found = occurrences(plan(at=time(2, 30)), tz, start, end)

    assert [o.astimezone(tz).isoformat() for o in found] == [expected_local]


@pytest.mark.parametrize(
    ("tz", "day", "expected_local"),
    [
        (BERLIN, date(2024, 10, 27), "2024-10-27T02:30:00+02:00"),
        (NEW_YORK, date(2024, 11, 3), "2024-11-03T01:30:00-04:00"),
    ],
)
def test_wall_time_in_the_autumn_fold_happens_once_at_the_first(
    tz: ZoneInfo, day: date, expected_local: str
) -> None:
    start, end = local_window(tz, day, day + timedelta(days=1))
    at = time.fromisoformat(expected_local[11:19])

    found = occurrences(plan(at=at), tz, start, end)

    assert [o.astimezone(tz).isoformat() for o in found] == [expected_local]


@pytest.mark.parametrize(("year", "expected"), [(2023, 156), (2024, 157)])
def test_mon_wed_fri_over_a_year(year: int, expected: int) -> None:
    start, end = local_window(BERLIN, date(year, 1, 1), date(year + 1, 1, 1))
    weekly = plan("FREQ=WEEKLY;BYDAY=MO,WE,FR", starts_on=date(2020, 1, 1))

    found = occurrences(weekly, BERLIN, start, end)

    assert len(found) == expected
    assert {o.astimezone(BERLIN).strftime("%a") for o in found} == {"Mon", "Wed", "Fri"}


def test_plan_runs_from_starts_on_to_ended_on_inclusive() -> None:
    start, end = local_window(BERLIN, date(2023, 12, 1), date(2024, 2, 1))
    bounded = plan(starts_on=date(2024, 1, 5), ended_on=date(2024, 1, 14))

    days = [o.astimezone(BERLIN).date() for o in occurrences(bounded, BERLIN, start, end)]

    assert days == [date(2024, 1, 5) + timedelta(days=n) for n in range(10)]


def test_ended_before_it_started_has_no_occurrences() -> None:
    start, end = local_window(BERLIN, date(2024, 1, 1), date(2024, 2, 1))
    assert occurrences(plan(ended_on=date(2023, 12, 1)), BERLIN, start, end) == []


def test_late_window_of_a_ten_year_plan_returns_only_that_window() -> None:
    start, end = local_window(BERLIN, date(2033, 6, 1), date(2033, 6, 8))

    found = occurrences(plan(starts_on=date(2024, 1, 1)), BERLIN, start, end)

    assert [o.astimezone(BERLIN).day for o in found] == [1, 2, 3, 4, 5, 6, 7]


def test_late_window_does_not_replay_the_plan_from_its_start() -> None:
    # A plan two centuries old: walking from its start would take ~0.2 s a call.
    ancient = plan(starts_on=date(1825, 1, 1))
    start, end = local_window(BERLIN, date(2025, 6, 1), date(2025, 6, 8))

    began = clock.perf_counter()
    for _ in range(20):
        assert len(occurrences(ancient, BERLIN, start, end)) == 7
    assert clock.perf_counter() - began < 0.5


@pytest.mark.parametrize(
    ("rrule", "starts_on", "expected_days"),
    [
        ("FREQ=DAILY;INTERVAL=2", date(2024, 1, 1), [1, 3, 5, 7]),  # 1 March is day 60
        ("FREQ=DAILY;INTERVAL=2", date(2024, 1, 2), [2, 4, 6]),
        # Every other week from the week of Monday 1 January: 26 Feb-3 Mar is on.
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU", date(2024, 1, 1), [3]),
        # Weeks start on Sunday: 25 Feb-2 Mar is on, 3-9 March is off.
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU;WKST=SU", date(2024, 1, 1), []),
        ("FREQ=WEEKLY", date(2024, 1, 3), [6]),  # the first day's weekday, a Wednesday
    ],
)
def test_late_window_keeps_the_plans_rhythm(
    rrule: str, starts_on: date, expected_days: list[int]
) -> None:
    # 1-7 March 2024 runs Friday to Thursday.
    start, end = local_window(BERLIN, date(2024, 3, 1), date(2024, 3, 8))

    found = occurrences(plan(rrule, starts_on=starts_on), BERLIN, start, end)

    assert [o.astimezone(BERLIN).day for o in found] == expected_days


def test_occurrences_refuse_naive_bounds() -> None:
    with pytest.raises(InvalidInput) as caught:
        occurrences(plan(), BERLIN, datetime(2024, 1, 1), datetime(2024, 2, 1, tzinfo=UTC))
    assert caught.value.field == "start"


# --- invariants -------------------------------------------------------------------------

RULES = st.sampled_from(
    [
        "FREQ=DAILY",
        "FREQ=DAILY;INTERVAL=2",
        "FREQ=DAILY;INTERVAL=9",
        "FREQ=WEEKLY",
        "FREQ=WEEKLY;BYDAY=MO,WE,FR",
        "FREQ=WEEKLY;BYDAY=SA,SU",
        "FREQ=WEEKLY;INTERVAL=3;BYDAY=TU,SU;WKST=SU",
    ]
)
ZONES = st.sampled_from(
    [
        "UTC",
        "Europe/Berlin",
        "America/New_York",
        "America/Santiago",  # changes at midnight
        "Australia/Lord_Howe",  # 30-minute DST
        "Pacific/Apia",  # skipped 30 Dec 2011 entirely
        "Asia/Kolkata",
        "Pacific/Chatham",
    ]
).map(ZoneInfo)
TIMES = st.one_of(
    st.times(),
    st.sampled_from([time(0, 0), time(0, 30), time(1, 30), time(2, 0), time(2, 30), time(23, 30)]),
)
INSTANTS = st.datetimes(
    min_value=datetime(2009, 1, 1), max_value=datetime(2031, 1, 1), timezones=st.just(UTC)
)


def _exists(wall: datetime, tz: ZoneInfo) -> bool:
    return localise(wall, tz).astimezone(tz).replace(tzinfo=None) == wall


@settings(max_examples=150, deadline=None)
@given(
    rrule=RULES,
    tz=ZONES,
    at=TIMES,
    starts_on=st.dates(min_value=date(2009, 1, 1), max_value=date(2030, 1, 1)),
    start=INSTANTS,
    length=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400)),
)
def test_occurrences_are_ordered_inside_the_window_and_at_the_plans_wall_time(
    rrule: str, tz: ZoneInfo, at: time, starts_on: date, start: datetime, length: timedelta
) -> None:
    end = start + length

    found = occurrences(plan(rrule, starts_on=starts_on, at=at), tz, start, end)

    assert all(a < b for a, b in pairwise(found))
    assert all(start <= o < end for o in found)
    for o in found:
        local = o.astimezone(tz)
        if local.time() != at:
            # Only a wall time that does not exist that day may move (forward).
            scheduled = [datetime.combine(local.date() - timedelta(days=n), at) for n in (0, 1)]
            assert not all(_exists(wall, tz) for wall in scheduled)
            assert any(wall < local.replace(tzinfo=None) for wall in scheduled)


@settings(max_examples=60, deadline=None)
@given(
    rrule=RULES,
    tz=ZONES,
    at=TIMES,
    starts_on=st.dates(min_value=date(2009, 1, 1), max_value=date(2016, 1, 1)),
    start=INSTANTS,
    length=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=60)),
)
def test_occurrences_match_dateutil_walked_from_the_plans_start(
    rrule: str, tz: ZoneInfo, at: time, starts_on: date, start: datetime, length: timedelta
) -> None:
    # Reference: the rule walked from the plan's very first day, as the brief
    # describes it, without any shortcut.
    end = start + length
    walked = rrulestr(rrule, dtstart=datetime.combine(starts_on, time.min)).between(
        datetime.combine(starts_on, time.min),
        datetime.combine(end.date() + timedelta(days=2), time.min),
        inc=True,
    )
    expected: list[datetime] = []
    for day in walked:
        instant = localise(datetime.combine(day.date(), at), tz)
        if start <= instant < end and (not expected or instant > expected[-1]):
            expected.append(instant)

    assert occurrences(plan(rrule, starts_on=starts_on, at=at), tz, start, end) == expected
