"""The person's profile: adult confirmation, time zone and units."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from easein.domain.errors import Conflict, EaseInError, InvalidInput
from easein.domain.units import Units, parse_units
from easein.services.app import App
from easein.store.models import Person


class NotInitialised(EaseInError):
    code = "not_initialised"


@dataclass(frozen=True)
class Profile:
    person_id: int
    timezone: str
    units: Units
    # Which version of this person's data the profile was read with (see
    # store.db._bump_revisions); None when unknown. `created_at` tells a person
    # from a later one who was given the same id after a deletion.
    revision: int | None = None
    created_at: datetime | None = None
    # The person's data key, when a sign-in that holds it is asking (services.accounts):
    # their session notes open with it. None for the worker, the command line, a
    # partner's view of this person, and sign-ins older than the key.
    data_key: bytes | None = field(default=None, repr=False, compare=False)

    @property
    def version(self) -> tuple[int, datetime, int] | None:
        """Return what identifies this person's data as read, for caches; None if unknown."""
        if self.revision is None or self.created_at is None:
            return None
        return (self.person_id, self.created_at, self.revision)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def parse_timezone(name: str) -> str:
    """Return `name` if it is an IANA time zone such as Europe/Berlin."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder like 'America'
        raise InvalidInput(
            f"unknown time zone {name!r}: use an Area/City name such as Europe/Berlin",
            field="timezone",
            code="unknown_timezone",
        ) from None
    return name


def _profile(person: Person) -> Profile:
    return Profile(
        person.id, person.timezone, Units(person.units), person.revision, person.created_at
    )


def create_person(db: DbSession, app: App, *, adult: bool, timezone: str, units: str) -> Person:
    """Add a person (in the caller's transaction) after the 18+ confirmation."""
    if not adult:
        raise InvalidInput(
            "EaseIn is for adults only: confirm you are 18 or older",
            field="adult",
            code="adult_required",
        )
    now = app.now()
    person = Person(
        created_at=now,
        adult_confirmed_at=now,
        timezone=parse_timezone(timezone),
        units=parse_units(units).value,
    )
    db.add(person)
    db.flush()
    return person


def init_local(app: App, *, adult: bool, timezone: str, units: str) -> Profile:
    """Create the local profile of this database (local mode has exactly one)."""
    with app.db.writing() as db:
        if db.scalar(select(Person.id).limit(1)) is not None:
            raise Conflict(
                "this database already has a profile; change it with `easein profile`",
                field="profile",
            )
        return _profile(create_person(db, app, adult=adult, timezone=timezone, units=units))


def local_profile(app: App) -> Profile:
    """Return the local profile, or raise if `easein init` has not run."""
    with app.db.reading() as db:
        person = db.scalars(select(Person).order_by(Person.id).limit(1)).first()
    if person is None:
        raise NotInitialised("no profile yet: run `easein init` first", field="profile")
    return _profile(person)


def update_profile(
    app: App, person_id: int, *, timezone: str | None = None, units: str | None = None
) -> Profile:
    """Change the time zone and/or units."""
    with app.db.writing() as db:
        person = db.get(Person, person_id)
        if person is None:
            raise NotInitialised("no profile yet: run `easein init` first", field="profile")
        if timezone is not None:
            person.timezone = parse_timezone(timezone)
        if units is not None:
            person.units = parse_units(units).value
        db.flush()
        return _profile(person)
