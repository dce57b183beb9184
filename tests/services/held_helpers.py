"""People with accounts (and so data keys), their sessions and a pairing, for the tests of
what is sealed under keys the people hold. Cheap Argon2 parameters come from the
`settings` fixture of the test module."""

from __future__ import annotations

from dataclasses import replace

from easein.domain.pairing import PLAIN_WORDS
from easein.domain.sessions import Session
from easein.domain.sharing import SharingLevel
from easein.domain.toys import Base, ToyKind
from easein.services import accounts, toys, training
from easein.services.profile import Profile
from easein.services.together import pairing
from easein.services.together.records import profile_of
from tests.services.together_helpers import just_finished

PASSWORD = "a long passphrase"


def sign_up(app, name: str) -> accounts.Principal:
    _, token, _ = accounts.register(
        app, username=name, password=PASSWORD, adult=True, timezone="UTC", units="mm"
    )
    return accounts.authenticate(app, token)


def sign_in(app, name: str) -> accounts.Principal:
    return accounts.authenticate(app, accounts.login(app, username=name, password=PASSWORD))


def unkeyed(app, who: accounts.Principal) -> Profile:
    """The person as the worker, the command line or an old sign-in reads them: no key."""
    with app.db.reading() as db:
        return profile_of(db, who.profile.person_id)


def keyed(app, who: accounts.Principal) -> Profile:
    return replace(unkeyed(app, who), data_key=who.data_key)


def plug(app, who: accounts.Principal) -> int:
    made = toys.add_toy(
        app, who.profile.person_id, name="p20", kind=ToyKind.PLUG, diameter_mm=20, base=Base.FLARED
    )
    return made.id


def log(app, profile: Profile, item_id: int, notes: str) -> Session:
    """Log a session with `notes` as `profile` (with its data key, or without)."""
    return training.log_session(app, profile, just_finished(app, notes=notes), [item_id])


def couple(app, level: SharingLevel = SharingLevel.FULL_WITH_NOTES):
    tia, pat = sign_up(app, "tia"), sign_up(app, "pat")
    made = pairing.invite(app, tia.profile.person_id)
    pid = pairing.accept_invitation(
        app, pat.profile.person_id, made.code, data_key=pat.data_key
    ).pairing.id
    pairing.change_sharing(app, tia.profile.person_id, pid, level, data_key=tia.data_key)
    for who in (pat, tia):
        pairing.accept_summary(
            app,
            who.profile.person_id,
            pid,
            seen=level,
            seen_words=PLAIN_WORDS,
            data_key=who.data_key,
        )
    return tia, pat, pid
