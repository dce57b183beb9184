"""The calendar feed service: one feed per account, its token opens the feed and nothing else."""

from __future__ import annotations

from dataclasses import replace
from datetime import time, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from easein.domain.errors import NotFound
from easein.domain.safety import ConditionKind
from easein.domain.sessions import Bleeding, BloodColour, Session, SessionKind
from easein.domain.toys import Base, ToyKind
from easein.services import accounts, plans, toys, training
from easein.services import calendar as service
from easein.services.accounts import NotAuthenticated
from easein.settings import Settings
from easein.store.account_models import AuthSessionRow
from tests.conftest import fast_hashing

MARKER = "ZZ-SECRET-MARKER"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return fast_hashing(Settings(database_url=database_url))


def sign_up(app, name: str = "alice"):
    profile, token, _ = accounts.register(
        app,
        username=name,
        password="a long passphrase",
        adult=True,
        timezone="Europe/Berlin",
        units="mm",
    )
    return profile, accounts.authenticate(app, token, kind=accounts.BROWSER)


def calendar_rows(app) -> list[AuthSessionRow]:
    with app.db.reading() as db:
        return list(db.scalars(select(AuthSessionRow).where(AuthSessionRow.kind == "calendar")))


def events(feed: bytes, prefix: str = "") -> list:
    return [e for e in Calendar.from_ical(feed).walk("VEVENT") if str(e["UID"]).startswith(prefix)]


def test_a_feed_is_one_calendar_row_that_holds_only_the_hash_of_its_token(app):
    _, who = sign_up(app)
    token, made = service.create_feed(app, who.account_id)
    assert len(token) >= 43  # 256 random bits, URL-safe
    (row,) = calendar_rows(app)
    assert row.account_id == who.account_id
    assert row.token_hash == accounts.token_hash(token) != token
    assert row.name == "calendar:neutral"
    assert row.expires_at is None
    assert made.exists and made.explicit is False


def test_regenerating_leaves_one_feed_and_the_old_address_opens_nothing(app):
    _, who = sign_up(app)
    old, _ = service.create_feed(app, who.account_id)
    new, made = service.create_feed(app, who.account_id, explicit=True)
    assert len(calendar_rows(app)) == 1
    assert made.explicit is True
    with pytest.raises(NotFound):
        service.feed_for_token(app, old)
    assert service.feed_for_token(app, new).startswith(b"BEGIN:VCALENDAR")


def test_revoking_ends_the_feed_and_revoking_again_says_there_is_none(app):
    _, who = sign_up(app)
    token, _ = service.create_feed(app, who.account_id)
    service.revoke_feed(app, who.account_id)
    assert calendar_rows(app) == []
    assert service.feed_status(app, who.account_id) == service.FeedStatus(False)
    with pytest.raises(NotFound):
        service.feed_for_token(app, token)
    with pytest.raises(NotFound):
        service.revoke_feed(app, who.account_id)


@pytest.mark.parametrize("token", ["", "x" * 43, "y" * 500])
def test_an_unknown_token_is_not_found(app, token):
    with pytest.raises(NotFound):
        service.feed_for_token(app, token)


def test_the_status_tells_the_wording_and_when_an_app_last_fetched_it(app, clock):
    _, who = sign_up(app)
    token, _ = service.create_feed(app, who.account_id, explicit=True)
    status = service.feed_status(app, who.account_id)
    assert (status.exists, status.explicit, status.last_fetched_at) == (True, True, None)
    clock.advance(hours=2)
    service.feed_for_token(app, token)
    assert service.feed_status(app, who.account_id).last_fetched_at == clock.now


@pytest.mark.parametrize("kind", [None, accounts.BROWSER, accounts.ACCESS_TOKEN])
def test_a_calendar_token_signs_nobody_in(app, kind):
    _, who = sign_up(app)
    token, _ = service.create_feed(app, who.account_id)
    with pytest.raises(NotAuthenticated):
        accounts.authenticate(app, token, kind=kind)


def test_a_calendar_feed_is_neither_a_sign_in_nor_a_token_in_the_lists(app):
    _, who = sign_up(app)
    service.create_feed(app, who.account_id)
    assert [s.kind for s in accounts.list_sign_ins(app, who)] == [accounts.BROWSER]
    assert accounts.list_sign_ins(app, who, kind=accounts.ACCESS_TOKEN) == []


def test_changing_the_password_keeps_the_feed(app):
    _, who = sign_up(app)
    token, _ = service.create_feed(app, who.account_id)
    accounts.change_password(app, who, current="a long passphrase", new="another long phrase")
    assert service.feed_for_token(app, token).startswith(b"BEGIN:VCALENDAR")


def spotting(app, profile, *, notes: str) -> Session:
    toy = toys.add_toy(
        app, profile.person_id, name="small", kind=ToyKind.PLUG, diameter_mm=20, base=Base.FLARED
    )
    draft = Session(
        id=0,
        kind=SessionKind.STRETCH,
        started_at=app.now() - timedelta(hours=1),
        duration=timedelta(minutes=15),
        item_ids=(toy.id,),
        reached_item_id=toy.id,
        reached_mm=20,
        pain=1,
    )
    draft = replace(draft, bleeding=Bleeding.SPOTTING, colour=BloodColour.BRIGHT, notes=notes)
    return training.log_session(app, profile, draft, [toy.id])


def test_the_feed_shows_the_plans_and_skips_them_during_a_rest_without_saying_why(app, clock):
    profile, who = sign_up(app)
    plan = plans.add_plan(
        app, profile, name=f"{MARKER} plan", kind=SessionKind.STRETCH, schedule="daily",
        at=time(21), duration=timedelta(minutes=20),
    )  # fmt: skip
    spotting(app, profile, notes=f"{MARKER} notes")
    token, _ = service.create_feed(app, who.account_id)
    feed = service.feed_for_token(app, token)
    assert MARKER not in feed.decode()
    assert b"20mm" not in feed and b"spotting" not in feed.lower()
    (event,) = events(feed, "plan-")
    assert str(event["UID"]) == f"plan-{plan.id}@easein"
    assert str(event["SUMMARY"]) == "Evening routine"
    assert len(event["EXDATE"].dts) == 3  # three days of rest after a little blood
    (rest,) = events(feed, "break-")
    assert str(rest["SUMMARY"]).startswith("Rest until ")


def test_a_condition_shows_as_a_pause_and_its_note_never_shows(app, clock):
    profile, who = sign_up(app)
    plans.add_plan(
        app, profile, name="nightly", kind=SessionKind.WEAR, schedule="daily", at=time(22),
        duration=timedelta(hours=2),
    )  # fmt: skip
    training.set_condition(app, profile, ConditionKind.HAEMORRHOIDS, f"{MARKER} note")
    token, _ = service.create_feed(app, who.account_id, explicit=True)
    feed = service.feed_for_token(app, token)
    assert MARKER not in feed.decode()
    assert b"haemorrhoid" not in feed.lower()
    (pause,) = events(feed, "break-")
    assert str(pause["SUMMARY"]) == "Training paused"
    (event,) = events(feed, "plan-")
    assert len(event["EXDATE"].dts) == 14  # the fortnight ahead


def test_a_token_opens_its_owners_plans_only(app):
    alice, alice_who = sign_up(app, "alice")
    bob, bob_who = sign_up(app, "bob")
    for profile, name in ((alice, "alice plan"), (bob, "bob plan")):
        plans.add_plan(
            app, profile, name=name, kind=SessionKind.STRETCH, schedule="daily", at=time(8),
            duration=timedelta(minutes=10),
        )  # fmt: skip
    token, _ = service.create_feed(app, alice_who.account_id, explicit=True)
    service.create_feed(app, bob_who.account_id, explicit=True)
    feed = service.feed_for_token(app, token).decode()
    assert "alice plan" in feed
    assert "bob plan" not in feed


def test_a_profile_without_an_account_has_no_feed(app):
    from easein.services.profile import init_local

    profile = init_local(app, adult=True, timezone="Europe/Berlin", units="mm")
    with pytest.raises(service.NoAccount, match="sign up in the web app first"):
        service.account_of(app, profile)


def test_the_account_of_a_person_who_signed_up(app):
    profile, who = sign_up(app)
    assert service.account_of(app, profile) == who.account_id


def test_a_fresh_feed_is_a_calendar_even_with_nothing_planned(app):
    _, who = sign_up(app)
    token, _ = service.create_feed(app, who.account_id)
    feed = Calendar.from_ical(service.feed_for_token(app, token))
    assert feed.walk("VEVENT") == []
    assert str(feed["X-WR-CALNAME"]) == "EaseIn"


def test_regenerations_at_the_same_time_still_leave_exactly_one_feed(app):
    from concurrent.futures import ThreadPoolExecutor

    _, who = sign_up(app)
    with ThreadPoolExecutor(max_workers=4) as pool:
        made = list(pool.map(lambda _: service.create_feed(app, who.account_id)[0], range(12)))
    (row,) = calendar_rows(app)
    assert sum(row.token_hash == accounts.token_hash(token) for token in made) == 1
