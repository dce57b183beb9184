"""The partner's directives in the trainee's calendar feed, from a real pairing."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import recurring_ical_events
from icalendar import Calendar

from easein.domain.directives import DirectiveKind, DirectiveSpec, Window
from easein.domain.pairing import PLAIN_WORDS
from easein.domain.schedule import localise, occurrences
from easein.domain.sharing import SharingLevel
from easein.notify.ical import directive_plan
from easein.services import calendar as service
from easein.services.together import directives, pairing, stop
from easein.settings import Settings
from tests.conftest import fast_hashing
from tests.services.test_calendar import MARKER, events, sign_up

BERLIN_START = datetime(2026, 3, 2, 20, tzinfo=UTC)  # the test clock's start


@pytest.fixture
def settings(database_url: str) -> Settings:
    return fast_hashing(Settings(database_url=database_url))


def paired(app):
    """A trainee and a partner, each with an account, in an active pairing."""
    trainee, trainee_who = sign_up(app, "trainee")
    partner, partner_who = sign_up(app, "partner")
    made = pairing.invite(app, trainee.person_id)
    pid = pairing.accept_invitation(app, partner.person_id, made.code).pairing.id
    level = SharingLevel.SUMMARY
    pairing.change_sharing(app, trainee.person_id, pid, level)
    for who in (trainee, partner):
        pairing.accept_summary(app, who.person_id, pid, seen=level, seen_words=PLAIN_WORDS)
    return trainee, trainee_who, partner, partner_who, pid


EVENING = Window(time(21, 30), time(23, 45))


def evening_wear(window: Window | None = EVENING) -> DirectiveSpec:
    return DirectiveSpec(
        DirectiveKind.WEAR, timedelta(hours=2), "every night", date(2026, 3, 1), window,
        f"{MARKER} the blue one",
    )  # fmt: skip


def expanded(feed: bytes, uid: str, start: datetime, end: datetime) -> set[datetime]:
    found = recurring_ical_events.of(Calendar.from_ical(feed)).between(start, end)
    return {e["DTSTART"].dt.astimezone(UTC) for e in found if str(e["UID"]) == uid}


def test_the_trainees_feed_shows_each_directive_as_the_engine_schedules_it(app):
    trainee, who, partner, _, pid = paired(app)
    made = directives.create_directive(app, partner.person_id, pid, evening_wear())
    directives.create_directive(app, partner.person_id, pid, evening_wear(window=None))
    token, _ = service.create_feed(app, who.account_id)
    feed = service.feed_for_token(app, token)
    assert MARKER not in feed.decode()
    (event,) = events(feed, "directive-")  # the one without a window has no moment
    uid = f"directive-{made.directive.id}@easein"
    assert str(event["UID"]) == uid
    assert str(event["SUMMARY"]) == "Evening routine (agreed)"
    assert event["DURATION"].dt == timedelta(hours=2)
    assert "EXDATE" not in event
    # A year from the first window, across both DST changes: what the engine asks for.
    (view,) = [
        v for v in directives.list_directives(app, trainee.person_id, pid) if v.directive.window
    ]
    tz = trainee.tz
    start, end = localise(datetime(2026, 3, 1), tz), localise(datetime(2027, 3, 1), tz)
    ours = set(occurrences(directive_plan(view.directive), tz, start, end))
    assert expanded(feed, uid, start, end) == ours
    assert len(ours) == 365
    explicit, _ = service.create_feed(app, who.account_id, explicit=True)
    (event,) = events(service.feed_for_token(app, explicit), "directive-")
    assert str(event["SUMMARY"]) == "Directive: long wear"


def test_the_partners_own_feed_does_not_show_the_directives_they_set(app):
    _, _, partner, partner_who, pid = paired(app)
    directives.create_directive(app, partner.person_id, pid, evening_wear())
    token, _ = service.create_feed(app, partner_who.account_id)
    assert events(service.feed_for_token(app, token), "directive-") == []


def test_an_ended_directive_stops_and_an_ended_pairing_shows_none(app, clock):
    _, who, partner, _, pid = paired(app)
    made = directives.create_directive(app, partner.person_id, pid, evening_wear())
    clock.advance(days=3)
    directives.end_directive(app, partner.person_id, pid, made.directive.id)
    token, _ = service.create_feed(app, who.account_id)
    (event,) = events(service.feed_for_token(app, token), "directive-")
    (until,) = event["RRULE"]["UNTIL"]
    assert until == (clock.now - timedelta(seconds=1)).replace(microsecond=0)
    pairing.end_pairing(app, partner.person_id, pid)
    assert events(service.feed_for_token(app, token), "directive-") == []


def test_a_stop_and_talk_excludes_the_directives_windows_while_it_lasts(app, clock):
    trainee, who, partner, _, pid = paired(app)
    directives.create_directive(app, partner.person_id, pid, evening_wear())
    stop.call_stop_and_talk(app, trainee.person_id, pid)
    token, _ = service.create_feed(app, who.account_id)
    feed = service.feed_for_token(app, token)
    (event,) = events(feed, "directive-")
    assert len(event["EXDATE"].dts) == 14  # the fortnight ahead of an open pause
    (pause,) = events(feed, "break-")
    assert str(pause["SUMMARY"]) == "Pause"
    clock.advance(hours=2)  # over the 21:30 window
    stop.resume(app, trainee.person_id, pid)
    clock.advance(days=1)
    (event,) = events(service.feed_for_token(app, token), "directive-")
    assert len(event["EXDATE"].dts) == 1  # only the evening it lasted over
