"""Builders for the training-together service tests: people, a pairing, items, sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from easein.domain.directives import DirectiveKind, DirectiveSpec
from easein.domain.pairing import PLAIN_WORDS
from easein.domain.sessions import Session, SessionKind
from easein.domain.sharing import SharingLevel
from easein.domain.toys import Base, ToyKind
from easein.services import toys, training
from easein.services.app import App
from easein.services.profile import Profile, create_person
from easein.services.together import pairing
from easein.services.together.records import profile_of


def person(app: App) -> Profile:
    with app.db.writing() as db:
        made = create_person(db, app, adult=True, timezone="Europe/Berlin", units="mm")
        return profile_of(db, made.id)


def fresh(app: App, who: Profile) -> Profile:
    """The profile read again (its revision moves with every write)."""
    with app.db.reading() as db:
        return profile_of(db, who.person_id)


@dataclass
class Couple:
    trainee: Profile
    partner: Profile
    pairing_id: int
    items: dict[str, int]


def pair(app: App, level: SharingLevel = SharingLevel.FULL_WITH_NOTES) -> Couple:
    trainee, partner = person(app), person(app)
    made = pairing.invite(app, trainee.person_id)
    view = pairing.accept_invitation(app, partner.person_id, made.code)
    pid = view.pairing.id
    pairing.change_sharing(app, trainee.person_id, pid, level)
    for who in (trainee, partner):
        pairing.accept_summary(app, who.person_id, pid, seen=level, seen_words=PLAIN_WORDS)
    items = {}
    for name, mm, base in [
        ("p20", 20, Base.FLARED),
        ("p22", 22, Base.FLARED),
        ("p25", 25, Base.FLARED),
        ("p35", 35, Base.FLARED),
        ("loose", 21, Base.NONE),
    ]:
        kind = ToyKind.PLUG if base is Base.FLARED else ToyKind.DILDO
        toy = toys.add_toy(app, trainee.person_id, name=name, kind=kind, diameter_mm=mm, base=base)
        items[name] = toy.id
    return Couple(trainee, partner, pid, items)


def just_finished(app: App, **kw: object) -> Session:
    """A comfortable 15-minute stretch session that just finished, to log."""
    duration = timedelta(minutes=15)
    draft = Session(
        id=0,
        kind=SessionKind.STRETCH,
        started_at=app.now() - duration,
        duration=duration,
        item_ids=(),
        reached_item_id=0,
        reached_mm=0.0,
        pain=1,
    )
    from dataclasses import replace

    return replace(draft, **kw)


def log(app: App, who: Profile, item_id: int, **kw: object) -> Session:
    """Log `just_finished` (with `kw`) for `who`."""
    return training.log_session(app, fresh(app, who), just_finished(app, **kw), [item_id])


def nightly(item_id: int | None = None, kind: DirectiveKind = DirectiveKind.WEAR) -> DirectiveSpec:
    return DirectiveSpec(
        kind if item_id is None else DirectiveKind.ITEM,
        timedelta(hours=1),
        "every night",
        date(2026, 3, 1),
        None,
        "the blue one, plenty of lube",
        item_id,
    )
