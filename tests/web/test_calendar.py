"""The adherence calendar shows the domain's statuses by day: rest is rest, not a miss."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from easein.domain import adherence
from easein.domain.schedule import Plan
from easein.domain.sessions import SessionKind
from easein.web.progress import CALENDAR_WEEKS, calendar

TZ = ZoneInfo("Europe/Berlin")


def test_rest_days_show_as_rest_and_days_without_a_plan_show_nothing():
    plan = Plan(
        1,
        "Nightly",
        SessionKind.STRETCH,
        "FREQ=DAILY",
        date(2026, 3, 2),
        time(21),
        timedelta(minutes=20),
    )
    done = [adherence.Done(SessionKind.STRETCH, datetime(2026, 3, 2, 20, 10, tzinfo=UTC))]
    rest = [
        adherence.Interval(
            datetime(2026, 3, 3, tzinfo=UTC), datetime(2026, 3, 5, tzinfo=UTC), "rest"
        )
    ]
    now = datetime(2026, 3, 6, 12, tzinfo=UTC)
    found = adherence.evaluate([plan], done, rest, TZ, datetime(2026, 3, 2, tzinfo=UTC), now)
    weeks = calendar(found, date(2026, 3, 6))
    assert len(weeks) == CALENDAR_WEEKS
    last = {d["day"]: d for d in weeks[-1]["days"]}
    assert weeks[-1]["monday"] == date(2026, 3, 2)
    assert [last[date(2026, 3, n)]["status"] for n in range(2, 7)] == [
        "done",
        "excused",
        "excused",
        "missed",
        "due",
    ]
    assert last[date(2026, 3, 3)]["words"] == "rest (excused)"
    assert last[date(2026, 3, 7)]["future"] and last[date(2026, 3, 7)]["status"] == ""
    assert all(d["status"] == "" for w in weeks[:-1] for d in w["days"])


def test_the_progress_page_draws_the_calendar_from_the_service(live_server):
    from tests.web.helpers import signed_up

    client, csrf = signed_up(live_server.url)
    plan = {"csrf_token": csrf, "name": "Nightly", "kind": "stretch", "schedule": "daily"}
    client.post("/plans", data={**plan, "at": "21:00", "duration": "20"})
    assert 'class="calendar"' in client.get("/progress").text
    page = client.get("/progress").text
    # The plan starts today: today's occurrence is due, nothing is missed yet.
    assert 'class="day due"' in page
    assert 'class="day missed"' not in page
    live_server.clock.advance(days=2)
    page = client.get("/progress").text
    assert 'class="day missed"' in page
