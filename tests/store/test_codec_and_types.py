"""The payload codec, the UTC column type and the training-state payload round trip."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields, replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import StatementError

from easein.domain.policy import Policy
from easein.domain.sessions import (
    Bleeding,
    BloodColour,
    BreathPhase,
    Outcome,
    Sensation,
    SessionKind,
)
from easein.domain.training import TrainingState, apply_clearance, apply_session, replay
from easein.store.codec import Context, PlainCodec
from easein.store.db import Database, make_engine
from easein.store.models import Person
from easein.store.records import (
    session_from_parts,
    session_payload,
    training_from_payload,
    training_payload,
)
from easein.store.types import UTCDateTime
from tests.domain.factories import T0, session

BERLIN = ZoneInfo("Europe/Berlin")
CONTEXT = Context("sessions", 1, 1)
IST = timezone(timedelta(hours=5, minutes=30))

# --- PlainCodec ------------------------------------------------------------------------

# orjson's limits: 64-bit integers, finite floats, text without lone surrogates.
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63) + 1, max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(codec="utf-8"))
)
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=5), max_leaves=20)
json_dicts = st.dictionaries(st.text(st.characters(codec="utf-8")), json_values, max_size=8)


@given(json_dicts)
def test_plain_codec_round_trips_json_dicts(data: dict[str, Any]) -> None:
    codec = PlainCodec()
    blob = codec.encode(data, CONTEXT)
    assert isinstance(blob, bytes)
    assert blob[:1] == PlainCodec.VERSION
    assert codec.decode(blob, CONTEXT) == data


def test_plain_codec_keeps_types_apart() -> None:
    data = {"int": 1, "float": 1.5, "true": True, "none": None, "list": [0, "0", False]}
    decoded = PlainCodec().decode(PlainCodec().encode(data, CONTEXT), CONTEXT)
    assert decoded == data
    assert [type(v) for v in decoded.values()] == [int, float, bool, type(None), list]
    assert [type(v) for v in decoded["list"]] == [int, str, bool]


@pytest.mark.parametrize("first", [b"\x00", b"\x02", b"{", b"\xff"])  # 2 is sealed, not plain
def test_plain_codec_refuses_an_unknown_version_byte(first: bytes) -> None:
    blob = first + PlainCodec().encode({"a": 1}, CONTEXT)[1:]
    with pytest.raises(ValueError, match="unknown payload format in sessions"):
        PlainCodec().decode(blob, CONTEXT)


def test_plain_codec_refuses_an_empty_blob() -> None:
    with pytest.raises(ValueError, match="unknown payload format"):
        PlainCodec().decode(b"", CONTEXT)


# --- UTCDateTime: the type itself, on both dialects -------------------------------------

aware_datetimes = st.datetimes(
    min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.timezones()
)


@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.dialect()], ids=["sqlite", "pg"])
@given(moment=aware_datetimes)
def test_utc_datetime_binds_naive_utc_and_returns_aware_utc(dialect: Any, moment: datetime) -> None:
    column = UTCDateTime()
    stored = column.process_bind_param(moment, dialect)
    assert stored.tzinfo is None
    loaded = column.process_result_value(stored, dialect)
    assert loaded is not None
    assert loaded.tzinfo is UTC
    # Same-zone comparison: inter-zone == is always False for times in a DST fold.
    assert loaded == moment.astimezone(UTC)
    assert loaded.timestamp() == moment.timestamp()


def test_utc_datetime_passes_none_through() -> None:
    column = UTCDateTime()
    assert column.process_bind_param(None, sqlite.dialect()) is None
    assert column.process_result_value(None, sqlite.dialect()) is None


# --- UTCDateTime: through a real database (SQLite or PostgreSQL) -------------------------


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(make_engine(database_url))
    yield database
    database.dispose()


def add_person(database: Database, created_at: datetime) -> int:
    with database.writing() as s:
        person = Person(
            created_at=created_at,
            adult_confirmed_at=datetime(2026, 1, 1, tzinfo=UTC),
            timezone="Asia/Kolkata",
            units="mm",
        )
        s.add(person)
        s.flush()
        return person.id


def test_an_aware_datetime_comes_back_as_the_same_instant_in_utc(db: Database) -> None:
    written = datetime(2026, 3, 2, 20, 0, 0, 123456, tzinfo=IST)
    pid = add_person(db, written)
    with db.reading() as s:
        read = s.scalar(select(Person.created_at).where(Person.id == pid))
    assert read == written
    assert read is not None
    assert read.tzinfo is UTC
    assert read == datetime(2026, 3, 2, 14, 30, 0, 123456, tzinfo=UTC)
    assert read.isoformat() == "2026-03-02T14:30:00.123456+00:00"


def test_the_column_holds_utc_wall_time_on_every_backend(db: Database) -> None:
    add_person(db, datetime(2026, 3, 2, 20, 0, 0, 123456, tzinfo=IST))
    with db.engine.connect() as conn:
        raw = conn.execute(text("SELECT created_at FROM people")).scalar()
    # SQLite hands back its stored text, PostgreSQL a naive datetime: both read the same.
    assert str(raw) == "2026-03-02 14:30:00.123456"


def test_instants_sort_and_compare_by_utc_whatever_their_offset(db: Database) -> None:
    # Wall times sort one way, instants another: 01:00 in India (+05:30) is 19:30 UTC
    # the day before, and 16:00 in New York (-05:00 in March) is 21:00 UTC.
    india = add_person(db, datetime(2026, 3, 3, 1, 0, tzinfo=IST))
    utc = add_person(db, datetime(2026, 3, 2, 20, 0, tzinfo=UTC))
    new_york = add_person(db, datetime(2026, 3, 2, 16, 0, tzinfo=ZoneInfo("America/New_York")))
    at_20_utc = datetime(2026, 3, 2, 21, 0, tzinfo=timezone(timedelta(hours=1)))
    after_1945_utc = datetime(2026, 3, 3, 1, 15, tzinfo=IST)
    with db.reading() as s:
        order = list(s.scalars(select(Person.id).order_by(Person.created_at)))
        same = s.scalar(select(Person.id).where(Person.created_at == at_20_utc))
        later = set(s.scalars(select(Person.id).where(Person.created_at > after_1945_utc)))
    assert order == [india, utc, new_york]
    assert same == utc
    assert later == {utc, new_york}


def test_a_naive_datetime_is_refused_and_nothing_is_written(db: Database) -> None:
    with pytest.raises(StatementError, match="naive datetime"):
        add_person(db, datetime(2026, 3, 2, 20, 0))
    with db.reading() as s:
        assert s.scalars(select(Person.id)).all() == []


def test_a_naive_datetime_is_refused_in_a_query(db: Database) -> None:
    with pytest.raises(StatementError, match="naive datetime"), db.reading() as s:
        s.scalars(select(Person.id).where(Person.created_at > datetime(2026, 3, 2))).all()


# --- the training state payload ----------------------------------------------------------


def training_log() -> tuple[list[Any], datetime]:
    """Return a log that fills every field of the state at one point or another."""
    cleared = T0 + timedelta(days=15)
    log = [
        session(20, 0),
        session(20, 3),
        session(20, 7),  # 3 comfortable sessions over 8 days: qualified
        session(22, 8),  # earns 22 mm
        session(22, 9, bleeding=Bleeding.SPOTTING, colour=BloodColour.BRIGHT),  # rest, step back
        session(20, 13, pain=3, bleeding=Bleeding.LASTING, colour=BloodColour.DARK),  # doctor
        session(18, 16, lube=False),  # earns 18 mm again; lube reminder
        session(25, 17, pain=8, sharp=True),  # acute pain after the clearance: a new hold
        session(18, 18, lube=False, relubed=False),  # comfortable again: a streak
    ]
    return log, cleared


def test_training_state_round_trips_with_every_field_populated() -> None:
    log, cleared = training_log()
    state = replay(log, [cleared], Policy(), BERLIN)
    # Fields no single final state can fill together with the others:
    state = replace(state, step_back=True, below_mm=18.0)
    defaults = TrainingState()
    empty = [f.name for f in fields(state) if getattr(state, f.name) == getattr(defaults, f.name)]
    assert empty == []
    assert any(mm is None for _, mm in state.sizes)  # a "no size" entry is in there too

    blob = PlainCodec().encode(training_payload(state), Context("training_states", 1, 1))
    again = training_from_payload(PlainCodec().decode(blob, Context("training_states", 1, 1)))
    assert again == state
    assert again.earned_mm == state.earned_mm


def test_every_intermediate_training_state_round_trips() -> None:
    log, cleared = training_log()
    policy, state = Policy(), TrainingState()
    seen_step_back = False
    for s in log:
        if s.started_at > cleared and state.last_clearance_at is None:
            state = apply_clearance(state, cleared)
        state = apply_session(state, s, policy, BERLIN)
        seen_step_back |= state.step_back
        assert training_from_payload(training_payload(state)) == state
    assert seen_step_back
    assert state == replay(log, [cleared], policy, BERLIN)


def test_a_session_round_trips_with_every_field_populated() -> None:
    logged = session(
        21.5,
        2,
        kind=SessionKind.WEAR,
        item_ids=(3, 7),
        reached_item_id=7,
        pain=2,
        sharp=True,
        comfort=6,
        pleasure=4,
        bleeding=Bleeding.SPOTTING,
        colour=BloodColour.BRIGHT,
        outcome=Outcome.STOPPED,
        lube=False,
        relubed=False,
        warm_up=True,
        breath_phase=BreathPhase.EXHALE,
        sensations=frozenset({Sensation.STRETCH, Sensation.URGE_TO_EXPEL}),
        orgasm=False,
        mess=True,
        notes="Slow and steady. Ünïcödé ✓",
        recorded_at=T0 + timedelta(days=2, hours=1),
    )
    blob = PlainCodec().encode(session_payload(logged), CONTEXT)
    again = session_from_parts(
        logged.id,
        logged.kind.value,
        logged.started_at,
        int(logged.duration.total_seconds()),
        logged.recorded_at,
        PlainCodec().decode(blob, CONTEXT),
    )
    assert again == logged
