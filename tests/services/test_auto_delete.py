"""Auto-delete: entries older than N days go for those who chose it; nothing else moves."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from easein.domain.errors import InvalidInput
from easein.domain.safety import ConditionKind, State
from easein.domain.sessions import Bleeding, BloodColour, Session, SessionKind
from easein.domain.training import replay
from easein.domain.units import Units
from easein.services import auto_delete, training
from easein.services.profile import Profile, create_person
from easein.services.state import all_sessions, clearance_times, stored_state
from easein.store.models import ConditionRow, SessionRow


def draft(app, days_ago: float, **kw) -> Session:
    base = Session(
        id=0,
        kind=SessionKind.STRETCH,
        started_at=app.now() - timedelta(days=days_ago),
        duration=timedelta(minutes=15),
        item_ids=(0,),
        reached_item_id=0,
        reached_mm=0,
        pain=1,
    )
    return replace(base, **kw)


def days_of(app, person_id: int) -> list[int]:
    with app.db.reading() as db:
        started = db.scalars(
            select(SessionRow.started_at)
            .where(SessionRow.person_id == person_id)
            .order_by(SessionRow.started_at)
        )
        return [round((app.now() - s).total_seconds() / 86400) for s in started]


@pytest.fixture
def other(app, ladder) -> Profile:
    """Another person on the same database, with old and new sessions of their own."""
    from easein.domain.toys import Base, ToyKind
    from easein.services import toys

    with app.db.writing() as db:
        person = create_person(db, app, adult=True, timezone="UTC", units="mm")
        profile = Profile(person.id, person.timezone, Units(person.units))
    toys.add_toy(app, profile.person_id, name="own", kind=ToyKind.PLUG, diameter_mm=20,
                 base=Base.FLARED)  # fmt: skip
    for days in (100, 5):
        training.log_session(app, profile, draft(app, days), ["own"])
    return profile


def test_old_entries_go_recent_ones_stay_and_the_state_is_replayed(app, clock, profile, other):
    for days in (100, 50, 40, 5, 1):
        training.log_session(app, profile, draft(app, days), ["small"])
    now = clock.now
    clock.now = now - timedelta(days=90)
    training.set_condition(app, profile, ConditionKind.CONSTIPATION, "old")
    clock.now = now - timedelta(days=60)
    training.clear_condition(app, profile, ConditionKind.CONSTIPATION)
    clock.now = now - timedelta(days=45)
    training.set_condition(app, profile, ConditionKind.HAEMORRHOIDS, "still there")
    clock.now = now

    auto_delete.set_setting(app, profile.person_id, 30)
    assert auto_delete.preview(app, profile, 30) == auto_delete.Purged(3, 1, 0)
    done = auto_delete.purge_due(app)

    assert done == {profile.person_id: auto_delete.Purged(3, 1, 0)}
    assert days_of(app, profile.person_id) == [5, 1]
    with app.db.reading() as db:
        kinds = db.scalars(
            select(ConditionRow.cleared_at).where(ConditionRow.person_id == profile.person_id)
        ).all()
        assert kinds == [None]  # the active condition stays, however old
        state = stored_state(db, app, profile)
        sessions = all_sessions(db, app, profile.person_id)
        expected = replay(sessions, clearance_times(db, profile.person_id), app.policy, profile.tz)
    assert state == expected
    assert training.status(app, profile).safety.state == State.PAUSED
    # someone who did not turn it on keeps everything
    assert days_of(app, other.person_id) == [100, 5]
    # and a second run finds nothing more
    assert auto_delete.purge_due(app) == {profile.person_id: auto_delete.Purged()}


def test_a_session_behind_a_medical_hold_is_kept_however_old(app, profile, ladder):
    training.log_session(app, profile, draft(app, 70), ["small"])
    bleeding = draft(app, 60, bleeding=Bleeding.LASTING, colour=BloodColour.BRIGHT)
    training.log_session(app, profile, bleeding, ["small"])
    assert training.status(app, profile).safety.state == State.MEDICAL_HOLD
    auto_delete.set_setting(app, profile.person_id, 30)
    assert auto_delete.purge_due(app)[profile.person_id].sessions == 1
    assert days_of(app, profile.person_id) == [60]
    assert training.status(app, profile).safety.state == State.MEDICAL_HOLD


def test_the_setting_has_bounds_and_can_be_turned_off(app, profile):
    for days in (0, 6, 3651):
        with pytest.raises(InvalidInput):
            auto_delete.set_setting(app, profile.person_id, days)
    assert auto_delete.set_setting(app, profile.person_id, 7) == 7
    assert auto_delete.setting(app, profile.person_id) == 7
    auto_delete.set_setting(app, profile.person_id, None)
    assert auto_delete.setting(app, profile.person_id) is None
    assert auto_delete.purge_due(app) == {}


def test_the_command_runs_it_for_cron(app, profile, ladder, settings):
    from typer.testing import CliRunner

    from easein.cli.main import make_app

    training.log_session(app, profile, draft(app, 100), ["small"])
    auto_delete.set_setting(app, profile.person_id, 30)
    from easein.cli.context import STATE

    runner = CliRunner()
    try:
        result = runner.invoke(
            make_app(("purge",)), ["--db", settings.database_url, "purge", "--scheduled", "--json"]
        )
    finally:
        STATE.close()  # the CLI keeps its app for the process: not for the next test
        STATE.db = None
    assert result.exit_code == 0, result.output
    assert '"sessions": 1' in result.output or '"sessions":1' in result.output
    with app.db.reading() as db:
        assert db.scalar(select(func.count()).select_from(SessionRow)) == 0


def test_old_check_ins_and_comments_on_deleted_sessions_go_too(app, clock):
    from easein.domain.compliance import CheckInResult
    from easein.services.together import checkins, comments, directives
    from easein.store.together_models import CheckInRow, CommentRow
    from tests.services.together_helpers import log, nightly, pair

    couple = pair(app)
    trainee, partner, pid = couple.trainee.person_id, couple.partner.person_id, couple.pairing_id
    made = directives.create_directive(app, partner, pid, nightly())
    directives.acknowledge_directive(app, trainee, pid, made.directive.id)
    old = log(app, couple.trainee, couple.items["p20"])
    comments.add_comment(app, partner, pid, comments.Target.SESSION, old.id, "old one")
    day = clock.now.astimezone(couple.trainee.tz).date()
    checkins.check_in(app, trainee, pid, made.directive.id, day=day, result=CheckInResult.DONE)
    clock.advance(days=40)
    recent = log(app, couple.trainee, couple.items["p20"])
    day = clock.now.astimezone(couple.trainee.tz).date()
    checkins.check_in(app, trainee, pid, made.directive.id, day=day, result=CheckInResult.DONE)

    auto_delete.set_setting(app, trainee, 30)
    assert auto_delete.purge_due(app) == {trainee: auto_delete.Purged(1, 0, 1)}
    with app.db.reading() as db:
        assert db.scalar(select(func.count()).select_from(CheckInRow)) == 1
        assert db.scalar(select(func.count()).select_from(CommentRow)) == 0
        kept = db.scalars(select(SessionRow.id)).all()
    assert kept == [recent.id]
