"""The goal service on a real database: one goal per person, replaced, cleared, owner-scoped."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from easein.domain.errors import Conflict, InvalidInput, NotFound
from easein.domain.goals import Goal
from easein.domain.sessions import Session, SessionKind
from easein.domain.units import Units
from easein.services import goals, training
from easein.services.app import open_app
from easein.services.exchange import delete_everything, export_document, import_document
from easein.services.profile import Profile, create_person
from easein.settings import Settings
from easein.store.models import GoalRow, Person


def count_goals(app) -> int:
    with app.db.reading() as db:
        return db.scalar(select(func.count()).select_from(GoalRow))


def earn(app, clock, profile, item: str, times: int = 3) -> None:
    """Log `times` comfortable sessions at `item`, spread over more than a week."""
    for n in range(times):
        start = clock.now - timedelta(minutes=20)
        session = Session(
            id=0,
            kind=SessionKind.STRETCH,
            started_at=start,
            duration=timedelta(minutes=15),
            item_ids=(0,),
            reached_item_id=0,
            reached_mm=0,
            pain=1,
            comfort=7,
        )
        training.log_session(app, profile, session, [item])
        if n < times - 1:
            clock.advance(days=4)


def other_person(app) -> Profile:
    """A second person on the same database (hosted use)."""
    with app.db.writing() as db:
        person = create_person(db, app, adult=True, timezone="UTC", units="in")
        return Profile(person.id, person.timezone, Units(person.units))


def test_a_person_has_no_goal_until_one_is_set(app, profile):
    assert goals.get_goal(app, profile) is None
    assert goals.goal_view(app, profile) is None


def test_setting_a_goal_stores_it_with_the_time_it_was_set(app, clock, profile):
    made = goals.set_goal(app, profile, target_mm=38, wear_hours=8, note="  for us  ")
    assert made == Goal(38.0, 8.0, "for us", clock.now)
    assert goals.get_goal(app, profile) == made


def test_setting_a_goal_again_replaces_it(app, clock, profile):
    goals.set_goal(app, profile, target_mm=38, wear_hours=8, note="first")
    clock.advance(days=1)
    goals.set_goal(app, profile, target_mm=42)
    assert goals.get_goal(app, profile) == Goal(42.0, None, "", clock.now)
    assert count_goals(app) == 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"target_mm": 0}, "size"),
        ({"target_mm": 201}, "size"),
        ({"target_mm": 38, "wear_hours": 0}, "wear_hours"),
        ({"target_mm": 38, "wear_hours": 24.5}, "wear_hours"),
        ({"target_mm": 38, "note": "x" * 201}, "note"),
    ],
)
def test_a_bad_goal_is_refused_and_the_current_one_stays(app, profile, kwargs, field):
    kept = goals.set_goal(app, profile, target_mm=30)
    with pytest.raises(InvalidInput) as caught:
        goals.set_goal(app, profile, **kwargs)
    assert caught.value.field == field
    assert goals.get_goal(app, profile) == kept


def test_clearing_removes_the_goal_and_clearing_again_says_there_is_none(app, profile):
    goals.set_goal(app, profile, target_mm=38)
    assert goals.clear_goal(app, profile).target_mm == 38
    assert goals.get_goal(app, profile) is None
    with pytest.raises(NotFound):
        goals.clear_goal(app, profile)


def test_the_distance_is_measured_from_the_earned_size(app, clock, profile, ladder):
    goals.set_goal(app, profile, target_mm=19)
    view = goals.goal_view(app, profile)
    assert view is not None
    assert view.distance.earned_mm is None and view.distance.headline == "No size earned yet"

    earn(app, clock, profile, "finger")
    view = goals.goal_view(app, profile)
    assert view is not None
    assert view.distance.earned_mm == 15
    assert view.distance.to_go_mm == 4
    assert view.distance.headline == "4 mm to go"
    assert view.distance.gap is False


def test_a_goal_above_every_usable_item_is_a_gap(app, profile, ladder):
    goals.set_goal(app, profile, target_mm=24)
    view = goals.goal_view(app, profile)
    assert view is not None
    assert view.distance.gap is True
    assert view.distance.largest_mm == 19  # the 18 mm item without a base does not count
    assert view.distance.look_for_mm == pytest.approx((21.8, 24.0))  # steps of 15% at most


def test_one_persons_goal_is_not_anothers(app, profile):
    other = other_person(app)
    goals.set_goal(app, profile, target_mm=38, note="mine")
    assert goals.get_goal(app, other) is None
    with pytest.raises(NotFound):
        goals.clear_goal(app, other)
    goals.set_goal(app, other, target_mm=25)
    assert goals.get_goal(app, profile).note == "mine"  # type: ignore[union-attr]
    goals.clear_goal(app, other)
    assert goals.get_goal(app, profile) is not None


def test_deleting_everything_deletes_the_goal(app, profile):
    goals.set_goal(app, profile, target_mm=38)
    delete_everything(app, profile, confirmed=True)
    assert count_goals(app) == 0


def test_the_goal_survives_an_export_and_import(app, profile, ladder, fresh_database, clock):
    goals.set_goal(app, profile, target_mm=24, wear_hours=7.5, note="für uns ✓")
    document = export_document(app, profile)
    assert document["goal"] == {
        "set_at": clock.now.isoformat(),
        "target_mm": 24.0,
        "wear_hours": 7.5,
        "note": "für uns ✓",
    }
    other = open_app(Settings(database_url=fresh_database()), clock=clock)
    try:
        imported = import_document(other, document)
        assert export_document(other, imported) == document
        assert goals.get_goal(other, imported) == goals.get_goal(app, profile)
    finally:
        other.close()


def test_an_export_without_a_goal_imports_without_one(app, profile, fresh_database, clock):
    document = export_document(app, profile)
    assert document["goal"] is None
    del document["goal"]  # as exported before goals existed
    other = open_app(Settings(database_url=fresh_database()), clock=clock)
    try:
        imported = import_document(other, document)
        assert goals.get_goal(other, imported) is None
    finally:
        other.close()


@pytest.mark.parametrize(
    ("goal", "where"),
    [
        ({"target_mm": 0.01}, "goal.target_mm"),
        ({"wear_hours": 0.001}, "goal.wear_hours"),
        ({"target_mm": "38"}, "goal.target_mm"),
        ({"note": "x" * 201}, "goal.note"),
        ({"colour": "red"}, "goal.colour"),
    ],
)
def test_an_import_with_a_wrong_goal_is_refused_naming_it(
    app, profile, fresh_database, clock, goal, where
):
    goals.set_goal(app, profile, target_mm=38, wear_hours=8)
    document = export_document(app, profile)
    document["goal"] = {**document["goal"], **goal}
    other = open_app(Settings(database_url=fresh_database()), clock=clock)
    try:
        with pytest.raises(InvalidInput) as caught:
            import_document(other, document)
        assert caught.value.field == where
        assert count_goals(other) == 0
    finally:
        other.close()


def test_an_account_holding_only_a_goal_is_not_empty_for_an_import(app, profile):
    goals.set_goal(app, profile, target_mm=38)
    document = export_document(app, profile)
    with pytest.raises(Conflict):
        import_document(app, document, person_id=profile.person_id)


def test_setting_and_clearing_a_goal_bumps_the_persons_revision(app, profile):
    """Workers keep what they derived while the revision is unchanged: a goal is data too."""

    def revision() -> int:
        with app.db.reading() as db:
            return db.scalar(select(Person.revision).where(Person.id == profile.person_id))

    before = revision()
    goals.set_goal(app, profile, target_mm=38)
    after_set = revision()
    goals.set_goal(app, profile, target_mm=40)
    after_change = revision()
    goals.clear_goal(app, profile)
    assert before < after_set < after_change < revision()
