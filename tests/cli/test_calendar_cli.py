"""`easein calendar url|revoke`: the account's feed from the command line; bad input exits 2."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from icalendar import Calendar

from easein.domain.errors import NotFound
from easein.services import accounts
from easein.services import calendar as service
from easein.services.app import App, open_app
from easein.services.profile import local_profile
from easein.settings import Settings
from tests.cli.conftest import Cli
from tests.cli.test_bad_input import assert_refused
from tests.conftest import FakeClock, fast_hashing


@pytest.fixture
def core(database_url: str, clock: FakeClock) -> Iterator[App]:
    """The same database as the CLI's, for signing up and fetching the feed."""
    app = open_app(fast_hashing(Settings(database_url=database_url)), clock=clock)
    yield app
    app.close()


@pytest.fixture
def signed_up(core: App, cli: Cli) -> Cli:
    """A person who signed up in the web app first: the CLI's local profile has an account."""
    accounts.register(
        core, username="alice", password="a long passphrase", adult=True,
        timezone="Europe/Berlin", units="mm",
    )  # fmt: skip
    return cli


def token_of(url: str) -> str:
    return url.rsplit("/", 1)[1].removesuffix(".ics")


def test_url_prints_the_address_and_the_feed_answers_on_it(signed_up: Cli, core: App) -> None:
    made = signed_up("calendar", "url")
    assert made.code == 0, made.err
    (url,) = made.out.splitlines()
    assert url.startswith("http://127.0.0.1:8765/calendar/") and url.endswith(".ics")
    assert "shown this once" in made.err
    feed = Calendar.from_ical(service.feed_for_token(core, token_of(url)))
    assert str(feed["X-WR-CALNAME"]) == "EaseIn"


def test_url_again_makes_a_new_address_and_the_old_one_stops(signed_up: Cli, core: App) -> None:
    first = signed_up("calendar", "url", "--json").json()
    second = signed_up(
        "calendar", "url", "--explicit", "--base-url", "https://easein.example.org/", "--json"
    ).json()
    assert second["url"].startswith("https://easein.example.org/calendar/")
    assert (first["explicit"], second["explicit"]) == (False, True)
    with pytest.raises(NotFound):
        service.feed_for_token(core, token_of(first["url"]))
    service.feed_for_token(core, token_of(second["url"]))


def test_revoke_ends_the_feed_and_a_second_revoke_is_refused(signed_up: Cli, core: App) -> None:
    url = signed_up("calendar", "url", "--json").json()["url"]
    revoked = signed_up("calendar", "revoke")
    assert (revoked.code, revoked.out) == (0, "Calendar address revoked.\n")
    with pytest.raises(NotFound):
        service.feed_for_token(core, token_of(url))
    assert_refused(signed_up("calendar", "revoke"), "no calendar feed")


@pytest.mark.parametrize(
    "base", ["ftp://example.org", "example.org", "https://", "http://x?y=1", "javascript:alert(1)"]
)
def test_a_bad_base_url_exits_2_and_makes_no_feed(signed_up: Cli, core: App, base: str) -> None:
    assert_refused(signed_up("calendar", "url", "--base-url", base), "base-url")
    account = service.account_of(core, local_profile(core))
    assert service.feed_status(core, account).exists is False


def test_a_local_profile_without_an_account_is_told_to_sign_up_first(cli: Cli) -> None:
    assert cli("init", "--adult", "--timezone", "Europe/Berlin", "--units", "mm").code == 0
    assert_refused(cli("calendar", "url"), "no account", "sign up in the web app first")
    assert_refused(cli("calendar", "revoke"), "no account")


def test_without_a_profile_it_says_to_run_init(cli: Cli) -> None:
    assert_refused(cli("calendar", "url"), "easein init")


def test_an_unknown_option_exits_2(signed_up: Cli) -> None:
    assert_refused(signed_up("calendar", "url", "--neutral"), "--neutral")
