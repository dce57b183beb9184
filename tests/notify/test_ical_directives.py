"""The partner's directives in the calendar feed, read back by recurring-ical-events.

Each directive with a window is one recurring event; what a calendar app
expands from it must be what EaseIn's schedule engine asks of the trainee (the
same UTC instants, as reminders use), minus the breaks and after its end, over
a year that crosses both of Berlin's DST changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta

import pytest
import recurring_ical_events

from easein.domain.adherence import Interval
from easein.domain.directives import Directive, DirectiveKind, Window
from easein.domain.schedule import localise, occurrences
from easein.notify.ical import PAUSE_HORIZON, build_feed, directive_plan
from tests.notify.test_ical import (
    BERLIN,
    END_OF_YEAR,
    MARKER,
    NIGHTLY,
    RESTS,
    YEAR_END,
    YEAR_START,
    events,
    parse,
)


def directive(
    id: int, kind: DirectiveKind, rrule: str, starts_on: date, window: Window | None,
    duration: timedelta, ended_at: datetime | None = None,
) -> Directive:  # fmt: skip
    return Directive(
        id=id, pairing_id=1, kind=kind, duration=duration, rrule=rrule, starts_on=starts_on,
        window=window, note=f"{MARKER} note", item_id=None, created_by=2,
        revised_at=datetime(2025, 12, 1, tzinfo=UTC), ended_at=ended_at,
        ended_by=2 if ended_at else None,
    )  # fmt: skip


WEAR = directive(
    11, DirectiveKind.WEAR, "FREQ=DAILY", date(2026, 1, 1), Window(time(21, 30), time(23, 45)),
    timedelta(hours=2),
)  # fmt: skip
# Ended at 07:00 CEST on Wednesday 10 June, the very start of that morning's window.
MWF = directive(
    12, DirectiveKind.STRETCH, "FREQ=WEEKLY;BYDAY=MO,WE,FR", date(2026, 1, 5),
    Window(time(7), time(8)), timedelta(minutes=30), datetime(2026, 6, 10, 5, tzinfo=UTC),
)  # fmt: skip
ANY_TIME = directive(
    13, DirectiveKind.STRETCH, "FREQ=DAILY", date(2026, 1, 1), None, timedelta(minutes=20)
)
LATE = directive(
    14, DirectiveKind.NEXT_RUNG, "FREQ=WEEKLY;INTERVAL=2;BYDAY=SU", date(2026, 1, 4),
    Window(time(2, 30), time(3, 30)), timedelta(minutes=45),
)  # fmt: skip
DIRECTIVES = (WEAR, MWF, ANY_TIME, LATE)


def expanded(feed: bytes, start: datetime, end: datetime) -> dict[str, set[datetime]]:
    """Return the consumer's occurrences of each directive event, as UTC instants, by UID."""
    found: dict[str, set[datetime]] = {}
    for event in recurring_ical_events.of(parse(feed)).between(start, end):
        uid = str(event["UID"])
        if uid.startswith("directive-"):
            found.setdefault(uid, set()).add(event["DTSTART"].dt.astimezone(UTC))
    return found


def asked(
    directives: Iterable[Directive], excused: Sequence[tuple[datetime, datetime]],
    start: datetime, end: datetime,
) -> dict[str, set[datetime]]:  # fmt: skip
    """Return the engine's occurrences of each directive with a window, before its end and
    outside the excused periods (as reminders skip them)."""
    found: dict[str, set[datetime]] = {}
    for item in directives:
        if item.window is None:
            continue
        kept = {
            at
            for at in occurrences(directive_plan(item), BERLIN, start, end)
            if (item.ended_at is None or at < item.ended_at)
            and not any(a <= at < b for a, b in excused)
        }
        if kept:
            found[f"directive-{item.id}@easein"] = kept
    return found


def test_a_year_of_directives_across_both_dst_changes_expands_as_easein_asks_them():
    feed = build_feed([], RESTS, BERLIN, END_OF_YEAR, directives=DIRECTIVES)
    rests = [(r.start, r.end) for r in RESTS]
    theirs = expanded(feed, YEAR_START, YEAR_END)
    ours = asked(DIRECTIVES, rests, YEAR_START, YEAR_END)
    assert theirs == ours
    assert len(ours["directive-11@easein"]) == 365 - 9  # three evenings in each rest
    assert max(ours["directive-12@easein"]) == datetime(2026, 6, 8, 5, tzinfo=UTC)
    assert {at.astimezone(BERLIN).time() for at in ours["directive-11@easein"]} == {time(21, 30)}


def test_each_directive_with_a_window_is_one_event_at_its_window_for_its_duration():
    feed = build_feed([NIGHTLY], [], BERLIN, END_OF_YEAR, directives=DIRECTIVES)
    found = {str(e["UID"]): e for e in events(feed, "directive-")}
    assert sorted(found) == ["directive-11@easein", "directive-12@easein", "directive-14@easein"]
    wear = found["directive-11@easein"]
    assert wear["DTSTART"].dt == datetime(2026, 1, 1, 21, 30, tzinfo=BERLIN)
    assert wear["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert wear["DURATION"].dt == timedelta(hours=2)
    assert "UNTIL" not in wear["RRULE"]
    (until,) = found["directive-12@easein"]["RRULE"]["UNTIL"]
    assert until == datetime(2026, 6, 10, 4, 59, 59, tzinfo=UTC)  # just before it was ended
    assert found["directive-12@easein"]["DTSTART"].dt == datetime(2026, 1, 5, 7, tzinfo=BERLIN)
    assert len(events(feed, "plan-")) == 1


def test_a_directive_ended_before_its_first_window_has_no_event():
    gone = directive(
        15, DirectiveKind.WEAR, "FREQ=DAILY", date(2026, 3, 1), Window(time(22), time(23)),
        timedelta(hours=1), datetime(2026, 3, 1, 20, tzinfo=UTC),
    )  # fmt: skip
    assert events(build_feed([], [], BERLIN, END_OF_YEAR, directives=[gone]), "directive-") == []


def test_a_rest_excludes_the_directive_and_a_pause_the_fortnight_ahead():
    feed = build_feed([], RESTS[:1], BERLIN, END_OF_YEAR, directives=[WEAR])
    (event,) = events(feed, "directive-")
    excluded = sorted(d.dt for d in event["EXDATE"].dts)
    assert excluded == [datetime(2026, 3, n, 21, 30, tzinfo=BERLIN) for n in (28, 29, 30)]
    now = datetime(2026, 6, 10, 12, tzinfo=UTC)
    hold = Interval(datetime(2026, 6, 8, 19, tzinfo=UTC), None, "paused: stop and talk")
    feed = build_feed([], [hold], BERLIN, now, directives=[WEAR])
    start, end = localise(datetime(2026, 6, 1), BERLIN), localise(datetime(2026, 7, 15), BERLIN)
    assert expanded(feed, start, end) == asked([WEAR], [(hold.start, now + PAUSE_HORIZON)],
                                               start, end)  # fmt: skip


def test_directive_titles_are_neutral_by_default_and_name_only_the_kind_when_explicit():
    neutral = build_feed([], RESTS, BERLIN, END_OF_YEAR, directives=DIRECTIVES)
    titles = {str(e["UID"]): str(e["SUMMARY"]) for e in events(neutral, "directive-")}
    assert titles == {
        "directive-11@easein": "Evening routine (agreed)",
        "directive-12@easein": "Morning routine (agreed)",
        "directive-14@easein": "Night routine (agreed)",
    }
    explicit = build_feed([], RESTS, BERLIN, END_OF_YEAR, explicit=True, directives=DIRECTIVES)
    titles = {str(e["UID"]): str(e["SUMMARY"]) for e in events(explicit, "directive-")}
    assert titles["directive-11@easein"] == "Directive: long wear"
    assert titles["directive-12@easein"] == "Directive: a stretch session"


@pytest.mark.parametrize("explicit", [False, True])
def test_no_feed_carries_a_directives_note(explicit):
    feed = build_feed([], RESTS, BERLIN, END_OF_YEAR, explicit=explicit, directives=DIRECTIVES)
    text = feed.decode()
    assert MARKER not in text
    assert "directive" not in text.lower().replace("uid:directive-", "") or explicit
    assert not re.search(r"\d\s*(mm|cm|in)\b", text.lower()), "a size"
