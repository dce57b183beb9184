"""Adherence: done, missed, excused and due occurrences, streaks and habit strength."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from easein.domain.adherence import (
    ALPHA,
    Done,
    Interval,
    Occurrence,
    Status,
    evaluate,
    evaluate_days,
    habit_strength,
    summarise,
    summarise_days,
    upcoming,
)
from easein.domain.errors import InvalidInput
from easein.domain.schedule import Plan, localise
from easein.domain.sessions import SessionKind

BERLIN = ZoneInfo("Europe/Berlin")
STRETCH, WEAR, PARTNERED = SessionKind.STRETCH, SessionKind.WEAR, SessionKind.PARTNERED
DONE, MISSED, EXCUSED, DUE = Status.DONE, Status.MISSED, Status.EXCUSED, Status.DUE

# Nightly plans from Wednesday 1 May 2024; "now" is Friday 10 May, 12:00 in Berlin.
FIRST = date(2024, 5, 1)
TODAY = date(2024, 5, 10)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return localise(datetime.combine(day, time(hour, minute)), BERLIN)


START = local(FIRST, 0)
NOW = local(TODAY, 12)


def nightly(kind: SessionKind = STRETCH, plan_id: int = 1, at: time = time(21, 0)) -> Plan:
    return Plan(plan_id, f"{kind} at {at}", kind, "FREQ=DAILY", FIRST, at, timedelta(minutes=15))


def on(
    day: date,
    *,
    plans: list[Plan] | None = None,
    done: list[Done] | None = None,
    excused: list[Interval] | None = None,
) -> list[Occurrence]:
    found = evaluate(plans or [nightly()], done or [], excused or [], BERLIN, START, NOW)
    return [o for o in found if o.local_day == day]


MAY_3 = date(2024, 5, 3)


@pytest.mark.parametrize(
    ("plan_kind", "sessions", "excused", "day", "expected"),
    [
        pytest.param(STRETCH, [(STRETCH, MAY_3, 8)], [], MAY_3, DONE, id="same-day-earlier"),
        pytest.param(STRETCH, [(STRETCH, MAY_3, 23)], [], MAY_3, DONE, id="same-day-later"),
        pytest.param(
            STRETCH, [(STRETCH, MAY_3 + timedelta(1), 0)], [], MAY_3, MISSED, id="after-midnight"
        ),
        pytest.param(STRETCH, [(PARTNERED, MAY_3, 22)], [], MAY_3, DONE, id="partnered-counts"),
        pytest.param(PARTNERED, [(STRETCH, MAY_3, 22)], [], MAY_3, MISSED, id="stretch-is-not"),
        pytest.param(STRETCH, [(WEAR, MAY_3, 22)], [], MAY_3, MISSED, id="wear-is-not-stretch"),
        pytest.param(WEAR, [(PARTNERED, MAY_3, 22)], [], MAY_3, MISSED, id="nothing-but-wear"),
        pytest.param(STRETCH, [], [], MAY_3, MISSED, id="nothing-logged"),
        pytest.param(
            STRETCH, [], [(local(MAY_3, 8), local(MAY_3, 22))], MAY_3, EXCUSED, id="inside-rest"
        ),
        pytest.param(
            STRETCH, [(STRETCH, MAY_3, 20)], [(START, NOW)], MAY_3, DONE, id="done-in-rest"
        ),
        pytest.param(
            STRETCH, [], [(START, local(MAY_3, 21))], MAY_3, MISSED, id="rest-ended-at-21"
        ),
        pytest.param(STRETCH, [], [], TODAY, DUE, id="today-not-yet"),
        pytest.param(STRETCH, [(STRETCH, TODAY, 8)], [], TODAY, DONE, id="today-done"),
        pytest.param(
            STRETCH,
            [],
            [(local(TODAY, 9), local(TODAY, 21, 1))],
            TODAY,
            EXCUSED,
            id="today-resting",
        ),
    ],
)
def test_each_occurrence_is_done_missed_excused_or_due(
    plan_kind: SessionKind,
    sessions: list[tuple[SessionKind, date, int]],
    excused: list[tuple[datetime, datetime]],
    day: date,
    expected: Status,
) -> None:
    done = [Done(kind, local(d, hour)) for kind, d, hour in sessions]
    rests = [Interval(begins, ends, "safety rest") for begins, ends in excused]

    [occurrence] = on(day, plans=[nightly(plan_kind)], done=done, excused=rests)

    assert occurrence.status is expected
    assert occurrence.at == local(day, 21)
    if expected is DONE:
        assert occurrence.session_started_at == done[0].started_at
    if expected is EXCUSED:
        assert occurrence.excuse == "safety rest"


def test_rest_days_never_count_as_misses() -> None:
    # Spotting on the 2nd: three days of rest, from the morning of the 3rd.
    rest = Interval(local(MAY_3, 8), local(MAY_3 + timedelta(days=3), 8), "rest after spotting")
    done = [Done(STRETCH, local(date(2024, 5, d), 20)) for d in (1, 2, 6, 7, 8, 9)]

    found = evaluate([nightly()], done, [rest], BERLIN, START, NOW)

    assert [o.status for o in found] == [DONE] * 2 + [EXCUSED] * 3 + [DONE] * 4 + [DUE]
    summary = summarise(found)
    assert summary.missed == 0
    assert summary.rate == 1.0
    assert summary.current_streak == 6


def test_an_ongoing_hold_excuses_everything_until_lifted() -> None:
    hold = Interval(local(date(2024, 5, 8), 9), None, "medical hold")

    found = evaluate([nightly()], [], [hold], BERLIN, START, NOW)

    assert [o.status for o in found[-3:]] == [EXCUSED] * 3
    assert {o.excuse for o in found[-3:]} == {"medical hold"}


def test_one_session_cannot_satisfy_two_occurrences() -> None:
    morning, evening = nightly(plan_id=1, at=time(8, 0)), nightly(plan_id=2, at=time(21, 0))
    session = Done(STRETCH, local(MAY_3, 12))

    found = on(MAY_3, plans=[morning, evening], done=[session])

    assert [(o.plan_id, o.status) for o in found] == [(1, DONE), (2, MISSED)]


def test_two_sessions_satisfy_two_plans_in_time_order() -> None:
    morning, evening = nightly(plan_id=1, at=time(8, 0)), nightly(plan_id=2, at=time(21, 0))
    sessions = [Done(STRETCH, local(MAY_3, 22)), Done(STRETCH, local(MAY_3, 9))]

    found = on(MAY_3, plans=[morning, evening], done=sessions)

    assert [o.session_started_at for o in found] == [local(MAY_3, 9), local(MAY_3, 22)]


def test_partnered_session_goes_to_the_partnered_plan_before_a_stretch_plan() -> None:
    stretch, partnered = nightly(STRETCH, 1, time(8, 0)), nightly(PARTNERED, 2, time(21, 0))

    found = on(MAY_3, plans=[stretch, partnered], done=[Done(PARTNERED, local(MAY_3, 22))])

    assert [(o.plan_id, o.status) for o in found] == [(1, MISSED), (2, DONE)]


def test_occurrences_after_today_are_not_evaluated() -> None:
    found = evaluate([nightly()], [], [], BERLIN, START, NOW)

    assert found[-1].local_day == TODAY
    assert len(found) == 10


def test_evaluate_refuses_a_naive_now() -> None:
    with pytest.raises(InvalidInput) as caught:
        evaluate([nightly()], [], [], BERLIN, START, datetime(2024, 5, 10, 12))
    assert caught.value.field == "now"


def test_upcoming_lists_the_next_days_and_stays_quiet_during_a_rest() -> None:
    rest = Interval(local(TODAY, 8), local(TODAY + timedelta(days=2), 8), "rest after spotting")

    found = upcoming([nightly()], BERLIN, NOW, 4, excused=[rest])

    assert [o.local_day.day for o in found] == [11, 12, 13, 14]
    assert [o.status for o in found] == [EXCUSED, Status.UPCOMING, Status.UPCOMING, Status.UPCOMING]


def test_upcoming_refuses_negative_days() -> None:
    with pytest.raises(InvalidInput) as caught:
        upcoming([nightly()], BERLIN, NOW, -1)
    assert caught.value.field == "days"


# --- summaries ---------------------------------------------------------------------------


def occurrences_of(statuses: list[Status]) -> list[Occurrence]:
    base = datetime(2024, 1, 1, 20, tzinfo=UTC)
    return [
        Occurrence(1, base + timedelta(days=n), (base + timedelta(days=n)).date(), status)
        for n, status in enumerate(statuses)
    ]


@pytest.mark.parametrize(
    ("statuses", "current", "best"),
    [
        ([], 0, 0),
        ([DONE, DONE, MISSED, DONE], 1, 2),
        ([DONE, DONE, EXCUSED, EXCUSED, DONE], 3, 3),
        ([DONE, EXCUSED, DUE], 1, 1),
        ([DONE, DONE, DONE, MISSED], 0, 3),
        ([MISSED, EXCUSED, MISSED], 0, 0),
    ],
)
def test_streak_counts_done_survives_rest_and_breaks_on_a_miss(
    statuses: list[Status], current: int, best: int
) -> None:
    summary = summarise(occurrences_of(statuses))

    assert (summary.current_streak, summary.best_streak) == (current, best)


def test_summary_counts_and_rate() -> None:
    summary = summarise(occurrences_of([DONE, MISSED, DONE, EXCUSED, DONE, DUE]))

    assert (summary.done, summary.missed, summary.excused, summary.due) == (3, 1, 1, 1)
    assert summary.rate == 0.75


def test_rate_is_none_before_anything_was_done_or_missed() -> None:
    assert summarise(occurrences_of([EXCUSED, DUE])).rate is None


def test_summary_takes_occurrences_in_time_order() -> None:
    ordered = occurrences_of([MISSED, DONE, DONE])

    assert summarise(list(reversed(ordered))) == summarise(ordered)


@pytest.mark.parametrize(
    ("before", "then", "change"),
    [
        ([], DONE, "rises"),
        ([DONE] * 5, DONE, "rises"),
        ([DONE] * 5, MISSED, "falls"),
        ([DONE, MISSED], MISSED, "falls"),
        ([DONE] * 5, EXCUSED, "same"),
        ([DONE] * 5, DUE, "same"),
        ([], MISSED, "same"),  # nothing to lose yet
    ],
)
def test_habit_strength_rises_with_done_falls_with_missed_and_ignores_excused(
    before: list[Status], then: Status, change: str
) -> None:
    old = habit_strength(occurrences_of(before))
    new = habit_strength(occurrences_of([*before, then]))

    assert {"rises": new > old, "falls": new < old, "same": new == old}[change]


def test_habit_strength_reaches_half_after_one_half_life_of_done() -> None:
    assert habit_strength(occurrences_of([DONE])) == round(ALPHA * 100, 1)
    assert habit_strength(occurrences_of([DONE] * 14)) == 50.0
    assert habit_strength(occurrences_of([DONE] * 14 + [MISSED] * 14)) == 25.0


# --- invariants --------------------------------------------------------------------------

PAST = st.sampled_from([DONE, MISSED, EXCUSED, DUE])


@settings(max_examples=200, deadline=None)
@given(st.lists(PAST, max_size=60))
def test_summary_counts_add_up_and_strength_stays_in_range(statuses: list[Status]) -> None:
    summary = summarise(occurrences_of(statuses))

    assert summary.done + summary.missed + summary.excused + summary.due == len(statuses)
    assert 0.0 <= summary.habit_strength <= 100.0
    assert summary.current_streak <= summary.best_streak <= summary.done
    assert summary.rate is None or 0.0 <= summary.rate <= 1.0


@settings(max_examples=200, deadline=None)
@given(st.lists(PAST, max_size=40), st.lists(st.integers(min_value=0, max_value=40), max_size=8))
def test_excused_occurrences_never_reduce_strength_or_break_streaks(
    statuses: list[Status], positions: list[int]
) -> None:
    rested = list(statuses)
    for position in positions:
        rested.insert(min(position, len(rested)), EXCUSED)

    plain, with_rest = summarise(occurrences_of(statuses)), summarise(occurrences_of(rested))

    assert with_rest.habit_strength == plain.habit_strength
    assert with_rest.current_streak == plain.current_streak
    assert with_rest.best_streak == plain.best_streak


SESSIONS = st.lists(
    st.builds(
        Done,
        st.sampled_from(list(SessionKind)),
        st.datetimes(
            min_value=datetime(2024, 4, 30), max_value=datetime(2024, 5, 11), timezones=st.just(UTC)
        ),
    ),
    max_size=20,
)


@settings(max_examples=100, deadline=None)
@given(SESSIONS)
def test_each_session_satisfies_at_most_one_occurrence_of_its_own_day(done: list[Done]) -> None:
    plans = [nightly(STRETCH, 1, time(8)), nightly(PARTNERED, 2), nightly(WEAR, 3, time(23))]

    found = evaluate(plans, done, [], BERLIN, START, NOW)

    used = Counter(o.session_started_at for o in found if o.status is DONE)
    assert used <= Counter(d.started_at for d in done)
    for o in found:
        if o.session_started_at is not None:
            assert o.session_started_at.astimezone(BERLIN).date() == o.local_day


@settings(max_examples=100, deadline=None)
@given(SESSIONS, st.lists(st.integers(min_value=0, max_value=9), max_size=3))
def test_per_day_counts_classify_exactly_like_the_sessions_they_count(
    done: list[Done], rest_days: list[int]
) -> None:
    plans = [nightly(STRETCH, 1, time(8)), nightly(PARTNERED, 2), nightly(WEAR, 3, time(23))]
    excused = [
        Interval(local(FIRST + timedelta(d), 0), local(FIRST + timedelta(d + 1), 12), "rest")
        for d in rest_days
    ]
    tally: Counter[tuple[date, str]] = Counter(
        (d.started_at.astimezone(BERLIN).date(), d.kind.value) for d in done
    )
    counts = [(day, kind, n) for (day, kind), n in tally.items()]

    by_session = evaluate(plans, done, excused, BERLIN, START, NOW)
    by_day = evaluate_days(plans, counts, excused, BERLIN, START, NOW)

    strip = [(o.plan_id, o.at, o.status, o.excuse) for o in by_session]
    assert strip == [(o.plan_id, o.at, o.status, o.excuse) for o in by_day]
    assert summarise(by_session) == summarise(by_day)
    assert summarise_days(plans, counts, excused, BERLIN, START, NOW) == summarise(by_session)
