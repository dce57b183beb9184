"""Services on a real database: transactions, the kept-up-to-date state, access by owner."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from easein.domain.errors import Conflict, InvalidInput, NotFound, UnsafeItem
from easein.domain.progression import Action
from easein.domain.safety import ConditionKind, State
from easein.domain.sessions import Bleeding, BloodColour, Session, SessionKind
from easein.domain.stats import Summary, point_of
from easein.domain.training import replay
from easein.services import training
from easein.services.app import open_app
from easein.services.exchange import delete_everything, export_document, import_document
from easein.services.profile import init_local
from easein.services.state import all_sessions, clearance_times, current_summary, stored_state
from easein.settings import Settings
from easein.store.models import SessionRow


def draft(app, days_ago: float, **kw) -> Session:
    base = Session(
        id=0,
        kind=kw.pop("kind", SessionKind.STRETCH),
        started_at=app.now() - timedelta(days=days_ago),
        duration=timedelta(minutes=15),
        item_ids=(0,),
        reached_item_id=0,
        reached_mm=0,
        pain=kw.pop("pain", 1),
    )
    from dataclasses import replace

    return replace(base, **kw)


def count_sessions(app) -> int:
    with app.db.reading() as db:
        return db.scalar(select(func.count()).select_from(SessionRow))


def test_a_session_with_an_item_without_base_is_refused_and_nothing_is_written(
    app, profile, ladder
):
    with pytest.raises(UnsafeItem) as caught:
        training.log_session(app, profile, draft(app, 1), ["small", "loose"])
    assert "toy.base_required" in caught.value.message
    assert count_sessions(app) == 0


@pytest.mark.parametrize(
    ("changes", "items"),
    [
        ({"pain": 11}, ["small"]),
        ({}, ["nope"]),
        ({}, []),
        ({"colour": BloodColour.DARK}, ["small"]),
    ],
)
def test_bad_sessions_write_nothing(app, profile, ladder, changes, items):
    with pytest.raises(InvalidInput):
        training.log_session(app, profile, draft(app, 1, **changes), items)
    assert count_sessions(app) == 0
    with app.db.reading() as db:
        assert stored_state(db, app, profile) is None


def test_a_session_in_the_future_is_refused(app, profile, ladder):
    with pytest.raises(InvalidInput) as caught:
        training.log_session(app, profile, draft(app, -1), ["small"])
    assert caught.value.field == "at"


def test_the_largest_item_named_counts_as_reached(app, profile, ladder):
    saved = training.log_session(app, profile, draft(app, 1), ["finger", "medium", "small"])
    assert saved.reached_item_id == ladder["medium"].id
    assert saved.reached_mm == 19


def test_the_kept_state_equals_a_full_replay_even_with_backdated_logs(app, profile, ladder):
    plan = [
        (20, "finger", {}),
        (17, "finger", {}),
        (13, "finger", {}),
        (12, "small", {}),
        (15, "finger", {"pain": 5}),  # backdated: forces a replay
        (10, "small", {"bleeding": Bleeding.SPOTTING}),
        (3, "finger", {}),
    ]
    for days_ago, item, kw in plan:
        training.log_session(app, profile, draft(app, days_ago, **kw), [item])
    with app.db.reading() as db:
        kept = stored_state(db, app, profile)
        sessions = all_sessions(db, app, profile.person_id)
        replayed = replay(sessions, clearance_times(db, profile.person_id), app.policy, profile.tz)
    assert kept == replayed
    totals = Summary.of([point_of(s) for s in sessions], profile.tz, app.policy)
    assert current_summary(app, profile).to_payload() == totals.to_payload()


def test_changing_a_threshold_rebuilds_the_state(settings, clock, profile, app, ladder):
    for days_ago in (20, 16, 12):
        training.log_session(app, profile, draft(app, days_ago, pain=3), ["finger"])
    assert training.status(app, profile).recommendation.action is Action.ADVANCE
    strict = open_app(Settings(database_url=settings.database_url, pain_limit=3), clock=clock)
    try:
        result = training.status(strict, profile)
        # Under a limit of 3/10 none of those sessions was comfortable: nothing is earned.
        assert result.training.earned_mm is None
        assert result.recommendation.action is Action.HOLD
        assert "pain.limit" in [r.rule for r in result.safety.reasons]
    finally:
        strict.close()


def test_medical_hold_clears_only_with_confirmation_and_is_recorded(app, profile, ladder):
    training.log_session(
        app, profile, draft(app, 1, bleeding=Bleeding.LASTING, colour=BloodColour.BRIGHT), ["small"]
    )
    assert training.status(app, profile).safety.state is State.MEDICAL_HOLD
    with pytest.raises(InvalidInput):
        training.clear_medical_hold(app, profile, confirmed=False, statement="")
    assert training.status(app, profile).safety.state is State.MEDICAL_HOLD
    app.clock.advance(days=5)
    state = training.clear_medical_hold(app, profile, confirmed=True, statement="GP: fissure")
    assert state.state is State.READY
    with app.db.reading() as db:
        assert len(clearance_times(db, profile.person_id)) == 1


def test_conditions_pause_and_clear(app, profile, ladder):
    training.set_condition(app, profile, ConditionKind.CONSTIPATION, "since Monday")
    with pytest.raises(InvalidInput):
        training.set_condition(app, profile, ConditionKind.CONSTIPATION)
    assert training.status(app, profile).safety.state is State.PAUSED
    app.clock.advance(days=2)
    training.clear_condition(app, profile, ConditionKind.CONSTIPATION)
    assert training.status(app, profile).safety.state is State.READY
    with pytest.raises(NotFound):
        training.clear_condition(app, profile, ConditionKind.CONSTIPATION)


def test_history_filters_by_time_and_kind(app, profile, ladder):
    for days_ago, kind in [
        (5, SessionKind.STRETCH),
        (3, SessionKind.WEAR),
        (1, SessionKind.STRETCH),
    ]:
        training.log_session(app, profile, draft(app, days_ago, kind=kind), ["small"])
    assert [s.kind for s in training.history(app, profile)] == [
        SessionKind.STRETCH,
        SessionKind.WEAR,
        SessionKind.STRETCH,
    ]
    assert len(training.history(app, profile, kind=SessionKind.WEAR)) == 1
    since = app.now() - timedelta(days=4)
    assert len(training.history(app, profile, since=since)) == 2
    with pytest.raises(InvalidInput):
        training.history(app, profile, since=since, until=since - timedelta(days=1))


def test_export_then_import_into_an_empty_database_is_lossless(
    app, profile, ladder, clock, fresh_database
):
    training.log_session(
        app,
        profile,
        draft(app, 3, notes="felt good ✓", sensations=frozenset()),
        ["small", "finger"],
    )
    training.set_condition(app, profile, ConditionKind.OTHER, "cold")
    from easein.services.goals import set_goal

    set_goal(app, profile, target_mm=25, wear_hours=2, note="one day")
    document = export_document(app, profile)
    assert document["goal"]["note"] == "one day"
    other = open_app(Settings(database_url=fresh_database()), clock=clock)
    try:
        imported = import_document(other, document)
        assert export_document(other, imported) == document
        with pytest.raises(Conflict):
            import_document(other, document)
    finally:
        other.close()


def test_a_broken_import_writes_nothing(app):
    with pytest.raises(InvalidInput) as caught:
        import_document(app, {"format": "easein-export", "version": 1, "profile": {}})
    assert "profile" in caught.value.message
    with app.db.reading() as db:
        assert db.scalar(select(func.count()).select_from(SessionRow)) == 0


def test_delete_everything_leaves_no_trace_of_the_notes_in_the_sqlite_file(
    app, profile, ladder, database_url
):
    marker = "MARKER-7f3a9c-intimate-note"
    for days_ago in range(1, 30):
        training.log_session(app, profile, draft(app, days_ago, notes=marker), ["small"])
    if not database_url.startswith("sqlite"):
        delete_everything(app, profile, confirmed=True)
        assert count_sessions(app) == 0
        return
    path = database_url.removeprefix("sqlite:///")
    delete_everything(app, profile, confirmed=True)
    app.close()
    for suffix in ("", "-wal", "-shm"):
        try:
            with open(path + suffix, "rb") as handle:
                data = handle.read()
        except FileNotFoundError:
            continue
        assert marker.encode() not in data, f"marker left in {path + suffix}"


def test_init_refuses_minors_and_a_second_profile(app):
    with pytest.raises(InvalidInput) as caught:
        init_local(app, adult=False, timezone="UTC", units="mm")
    assert caught.value.field == "adult"
    init_local(app, adult=True, timezone="UTC", units="mm")
    with pytest.raises(Conflict):
        init_local(app, adult=True, timezone="UTC", units="mm")
