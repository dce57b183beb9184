"""The calendar feed, read back by an independent consumer (recurring-ical-events).

What a calendar app expands from the feed must be exactly what EaseIn's own
schedule engine plans, minus the rests: the same UTC instants over a year that
crosses both of Berlin's DST changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from icalendar import Calendar

from easein.domain.adherence import Interval
from easein.domain.schedule import Plan, localise, occurrences
from easein.domain.sessions import SessionKind
from easein.notify.ical import PAUSE_HORIZON, breaks, build_feed

BERLIN = ZoneInfo("Europe/Berlin")
MARKER = "ZZ-SECRET-MARKER"
YEAR_START = localise(datetime(2026, 1, 1), BERLIN)
YEAR_END = localise(datetime(2027, 1, 1), BERLIN)

NIGHTLY = Plan(
    1, f"{MARKER} nightly", SessionKind.STRETCH, "FREQ=DAILY", date(2026, 1, 1), time(21),
    timedelta(minutes=20),
)  # fmt: skip
# 1 Feb 2026 is a Sunday: the first occurrence is Monday the 2nd.
MWF = Plan(
    2, f"{MARKER} evenings", SessionKind.WEAR, "FREQ=WEEKLY;BYDAY=MO,WE,FR", date(2026, 2, 1),
    time(19, 30), timedelta(hours=2),
)  # fmt: skip
# Ended after the spring change.
ENDED = Plan(
    3, f"{MARKER} mornings", SessionKind.STRETCH, "FREQ=DAILY;INTERVAL=2", date(2026, 1, 10),
    time(7, 15), timedelta(minutes=15), ended_on=date(2026, 4, 15),
)  # fmt: skip
FORTNIGHTLY = Plan(
    4, f"{MARKER} weekends", SessionKind.PARTNERED, "FREQ=WEEKLY;INTERVAL=2;BYDAY=SA,SU;WKST=SU",
    date(2026, 1, 7), time(10), timedelta(hours=1),
)  # fmt: skip
PLANS = (NIGHTLY, MWF, ENDED, FORTNIGHTLY)

# Rests across both DST changes (29 March and 25 October 2026), and one in summer.
RESTS = (
    Interval(datetime(2026, 3, 27, 20, 40, tzinfo=UTC), datetime(2026, 3, 30, 20, 40, tzinfo=UTC),
             "rest"),
    Interval(datetime(2026, 7, 1, 18, tzinfo=UTC), datetime(2026, 7, 4, 18, tzinfo=UTC), "rest"),
    Interval(datetime(2026, 10, 24, 9, tzinfo=UTC), datetime(2026, 10, 27, 9, tzinfo=UTC), "rest"),
)  # fmt: skip
END_OF_YEAR = datetime(2026, 12, 31, 12, tzinfo=UTC)


def parse(feed: bytes) -> Calendar:
    return Calendar.from_ical(feed)


def expanded(feed: bytes, start: datetime, end: datetime) -> dict[str, set[datetime]]:
    """Return the consumer's occurrences of each plan event, as UTC instants, by UID."""
    found: dict[str, set[datetime]] = {}
    for event in recurring_ical_events.of(parse(feed)).between(start, end):
        uid = str(event["UID"])
        if uid.startswith("plan-"):
            found.setdefault(uid, set()).add(event["DTSTART"].dt.astimezone(UTC))
    return found


def planned(
    plans: Iterable[Plan], excused: Sequence[tuple[datetime, datetime]], start: datetime,
    end: datetime,
) -> dict[str, set[datetime]]:  # fmt: skip
    """Return EaseIn's own occurrences by UID, without those inside an excused period."""
    found: dict[str, set[datetime]] = {}
    for plan in plans:
        kept = {
            at
            for at in occurrences(plan, BERLIN, start, end)
            if not any(a <= at < b for a, b in excused)
        }
        if kept:
            found[f"plan-{plan.id}@easein"] = kept
    return found


def events(feed: bytes, prefix: str) -> list:
    return [e for e in parse(feed).walk("VEVENT") if str(e["UID"]).startswith(prefix)]


def test_a_year_across_both_dst_changes_expands_exactly_as_easein_plans_it():
    feed = build_feed(PLANS, RESTS, BERLIN, END_OF_YEAR)
    rests = [(r.start, r.end) for r in RESTS]
    theirs = expanded(feed, YEAR_START, YEAR_END)
    ours = planned(PLANS, rests, YEAR_START, YEAR_END)
    assert theirs == ours
    assert len(ours["plan-1@easein"]) == 365 - 9  # three evenings in each rest skipped
    assert max(ours["plan-3@easein"]) < datetime(2026, 4, 16, tzinfo=UTC)


def test_the_wall_time_stays_the_same_across_dst_changes():
    feed = build_feed([NIGHTLY], [], BERLIN, END_OF_YEAR)
    local = sorted(at.astimezone(BERLIN) for at in expanded(feed, YEAR_START, YEAR_END)
                   ["plan-1@easein"])  # fmt: skip
    assert {at.time() for at in local} == {time(21)}
    assert {at.utcoffset() for at in local} == {timedelta(hours=1), timedelta(hours=2)}
    (event,) = events(feed, "plan-")
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert [tz["TZID"] for tz in parse(feed).walk("VTIMEZONE")] == ["Europe/Berlin"]


def test_each_plan_is_one_recurring_event_starting_on_its_first_occurrence():
    feed = build_feed(PLANS, [], BERLIN, END_OF_YEAR)
    found = {str(e["UID"]): e for e in events(feed, "plan-")}
    assert sorted(found) == [f"plan-{p.id}@easein" for p in PLANS]
    assert found["plan-2@easein"]["DTSTART"].dt == datetime(2026, 2, 2, 19, 30, tzinfo=BERLIN)
    assert found["plan-2@easein"]["DURATION"].dt == timedelta(hours=2)
    assert found["plan-2@easein"]["RRULE"]["BYDAY"] == ["MO", "WE", "FR"]
    assert "UNTIL" not in found["plan-1@easein"]["RRULE"]
    (until,) = found["plan-3@easein"]["RRULE"]["UNTIL"]
    assert until == datetime(2026, 4, 15, 21, 59, 59, tzinfo=UTC)  # the end of 15 April, CEST


def test_rest_days_are_exceptions_of_the_plan_and_the_rest_is_one_event():
    feed = build_feed([NIGHTLY], RESTS[:1], BERLIN, END_OF_YEAR)
    (plan,) = events(feed, "plan-")
    excluded = sorted(d.dt for d in plan["EXDATE"].dts)
    # 27 March 21:40 CET to 30 March 22:40 CEST: the 28th, 29th and 30th at 21:00
    assert excluded == [datetime(2026, 3, n, 21, tzinfo=BERLIN) for n in (28, 29, 30)]
    (rest,) = events(feed, "break-")
    assert str(rest["SUMMARY"]) == "Rest until Mon 30 Mar, 22:40"
    assert rest["DTSTART"].dt == datetime(2026, 3, 27, 21, 40, tzinfo=BERLIN)
    assert rest["DTEND"].dt == datetime(2026, 3, 30, 22, 40, tzinfo=BERLIN)
    assert str(rest["TRANSP"]) == "TRANSPARENT"


def test_an_open_pause_excludes_the_next_fortnight_and_shows_one_pause():
    now = datetime(2026, 6, 10, 12, tzinfo=UTC)
    hold = Interval(datetime(2026, 6, 8, 19, tzinfo=UTC), None, "medical_hold")
    feed = build_feed([NIGHTLY], [hold], BERLIN, now)
    start, end = localise(datetime(2026, 6, 1), BERLIN), localise(datetime(2026, 7, 15), BERLIN)
    assert expanded(feed, start, end) == planned(
        [NIGHTLY], [(hold.start, now + PAUSE_HORIZON)], start, end
    )
    (pause,) = events(feed, "break-")
    assert str(pause["SUMMARY"]) == "Pause"
    assert pause["DTEND"].dt.astimezone(UTC) == now + PAUSE_HORIZON
    # the first evening after the horizon is planned again
    assert datetime(2026, 6, 24, 19, tzinfo=UTC) in expanded(feed, start, end)["plan-1@easein"]


def test_overlapping_rests_and_pauses_merge_into_one_break():
    rest = Interval(datetime(2026, 5, 1, tzinfo=UTC), datetime(2026, 5, 4, tzinfo=UTC), "rest")
    pause = Interval(datetime(2026, 5, 3, tzinfo=UTC), datetime(2026, 5, 6, tzinfo=UTC),
                     "paused: haemorrhoids")  # fmt: skip
    later = Interval(datetime(2026, 5, 20, tzinfo=UTC), datetime(2026, 5, 23, tzinfo=UTC), "rest")
    found = breaks([later, pause, rest], END_OF_YEAR)
    assert [(b.start, b.end, b.rest) for b in found] == [
        (rest.start, pause.end, False),
        (later.start, later.end, True),
    ]


def test_titles_are_neutral_by_default_and_name_the_plan_only_when_explicit():
    neutral = build_feed(PLANS, RESTS, BERLIN, END_OF_YEAR)
    titles = {str(e["UID"]): str(e["SUMMARY"]) for e in events(neutral, "plan-")}
    assert titles == {
        "plan-1@easein": "Evening routine",
        "plan-2@easein": "Evening routine",
        "plan-3@easein": "Morning routine",
        "plan-4@easein": "Morning routine",
    }
    explicit = build_feed(PLANS, RESTS, BERLIN, END_OF_YEAR, explicit=True)
    titles = {str(e["UID"]): str(e["SUMMARY"]) for e in events(explicit, "plan-")}
    assert titles["plan-1@easein"] == f"Stretch session: {MARKER} nightly"
    assert titles["plan-2@easein"] == f"Wear session: {MARKER} evenings"
    assert all(str(e["SUMMARY"]).startswith("Training rest until")
               for e in events(explicit, "break-"))  # fmt: skip


@pytest.mark.parametrize("explicit", [False, True])
def test_neutral_feeds_never_carry_the_plan_names_and_no_feed_says_more(explicit):
    feed = build_feed(PLANS, RESTS, BERLIN, END_OF_YEAR, explicit=explicit).decode()
    assert (MARKER in feed) is explicit
    text = feed.lower()
    for word in ("anal", "plug", "bleed", "blood", "doctor", "medical", "haemorrhoid"):
        assert word not in text
    assert not re.search(r"\d\s*(mm|cm|in)\b", text), "a size"
    assert "CLASS:PRIVATE" in feed


def test_uids_stay_the_same_from_one_fetch_to_the_next():
    first = build_feed(PLANS, RESTS, BERLIN, END_OF_YEAR)
    later = build_feed(PLANS, RESTS, BERLIN, END_OF_YEAR + timedelta(days=3))
    uids = [sorted(str(e["UID"]) for e in parse(f).walk("VEVENT")) for f in (first, later)]
    assert uids[0] == uids[1]
    assert len(uids[0]) == len(set(uids[0])) == len(PLANS) + len(RESTS)


def test_a_spring_forward_gap_and_an_autumn_fold_agree_with_the_consumer():
    night = Plan(9, "late", SessionKind.WEAR, "FREQ=DAILY", date(2026, 3, 20), time(2, 30),
                 timedelta(hours=1))  # fmt: skip
    feed = build_feed([night], [], BERLIN, END_OF_YEAR)
    start, end = localise(datetime(2026, 3, 20), BERLIN), localise(datetime(2026, 11, 1), BERLIN)
    assert expanded(feed, start, end) == planned([night], [], start, end)
