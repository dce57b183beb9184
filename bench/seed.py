"""Build (or reuse) a SQLite database holding one trainee with years of daily sessions.

The history is simulated with EaseIn's own engines: each evening the trainee
asks for the recommendation (`evaluate` + `recommend`) and mostly follows it,
lingering at each size for a few months before trying the next; rest,
medical holds and condition pauses are respected (no sessions then). The
profile, the toy ladder, the plan, the conditions and the medical clearance
go through the services; the ~7,300 sessions are inserted in bulk with
SQLAlchemy Core through the app's payload codec; the training state is then
folded by `easein.services.state.rebuild_state` and checked against the fold
the simulation kept (they must be equal).

    python bench/seed.py PATH [--years N] [--force]

A database that already carries this seed's marker (table `bench_seed`:
seed version, years, migration head) is reused as it is.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import sys
import time as timer
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

SEED_VERSION = "2"
TIMEZONE = "Europe/Berlin"
MARKER_TABLE = "bench_seed"
DEFAULT_PATH = Path(__file__).resolve().parent / "seed-10y.db"  # bench/*.db is git-ignored

# The ladder: a measured finger, then flared plugs every 2.5 mm up to 60 mm.
# The first plug is 17.5 mm, not 18: 18 mm is 20 % above a 15 mm finger, beyond
# the default 15 % step, so the simulated trainee could never earn it.
FINGER_MM = 15.0
PLUG_SIZES_MM = tuple(17.5 + 2.5 * i for i in range(18))  # 17.5 .. 60.0


@dataclass
class Clock:
    """A settable clock for the app: services stamp records with `now`."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now


# --- the marker -----------------------------------------------------------------


def _head() -> str:
    from easein.store.migrations import HEAD

    return HEAD


def read_marker(path: Path) -> dict[str, str] | None:
    """Return the seed marker stored in the database at `path`, or None."""
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = conn.execute(f"SELECT key, value FROM {MARKER_TABLE}").fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return dict(rows)


def marker_ok(marker: dict[str, str] | None, years: int) -> bool:
    return (
        marker is not None
        and marker.get("seed_version") == SEED_VERSION
        and marker.get("years") == str(years)
        and marker.get("head") == _head()
    )


def seed_now(path: Path) -> datetime:
    """Return the moment the seeded history was made for (the bench's fixed clock)."""
    marker = read_marker(path)
    if marker is None:
        raise ValueError(f"{path} is not a seed database")
    return datetime.fromisoformat(marker["now"])


def _write_marker(path: Path, values: dict[str, Any]) -> None:
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute(f"CREATE TABLE {MARKER_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            conn.executemany(
                f"INSERT INTO {MARKER_TABLE} (key, value) VALUES (?, ?)",
                [(k, str(v)) for k, v in values.items()],
            )
    finally:
        conn.close()


def _remove(path: Path) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        p.unlink(missing_ok=True)


# --- the simulation ---------------------------------------------------------------


def _weighted(rng: random.Random, weights: dict[int, float]) -> int:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


PAIN_AT_SIZE = {0: 25, 1: 36, 2: 25, 3: 12.5, 4: 0.9, 5: 0.3}
PAIN_TRYING = {0: 6, 1: 22, 2: 36, 3: 28, 4: 6, 5: 2}
PAIN_WEAR = {0: 55, 1: 30, 2: 12, 3: 3, 4: 0.2}
NOTES = (
    "",
    "relaxed quickly tonight",
    "took a while to relax, went slower",
    "long warm-up helped",
    "felt a bit tense after work",
    "good session",
)


@dataclass
class Simulated:
    sessions: list[Any]  # easein.domain.sessions.Session, ids 1..n in start order
    conditions: list[tuple[Any, datetime, datetime, str]]  # kind, since, cleared, note
    clearances: list[datetime]
    state: Any  # the TrainingState the simulation folded


def simulate(toys: list[Any], years: int, end_day: date, rng: random.Random) -> Simulated:
    """Return `years` of daily sessions of a trainee who follows the app's advice."""
    from easein.domain.ladder import build_ladder
    from easein.domain.policy import DEFAULT_POLICY as policy
    from easein.domain.progression import Action, recommend
    from easein.domain.safety import Condition, ConditionKind, State, evaluate
    from easein.domain.schedule import localise
    from easein.domain.sessions import (
        Bleeding,
        BloodColour,
        BreathPhase,
        Outcome,
        Sensation,
        Session,
        SessionKind,
        check_session,
    )
    from easein.domain.training import TrainingState, apply_clearance, apply_session

    tz = ZoneInfo(TIMEZONE)
    days = years * 365
    start_day = end_day - timedelta(days=days - 1)
    now = localise(datetime.combine(end_day + timedelta(days=1), time(12, 0)), tz)

    def at(day: date, hh: int) -> datetime:
        return localise(datetime.combine(day, time(hh)), tz)

    # Scheduled events, as fractions of the history so that any `years` works.
    conditions: list[tuple[ConditionKind, datetime, datetime, str]] = []
    for frac, length, kind, note in (
        (0.23, 6, ConditionKind.CONSTIPATION, "after a week of travel"),
        (0.71, 15, ConditionKind.HAEMORRHOIDS, "flare-up, seeing the GP"),
    ):
        day = start_day + timedelta(days=int(frac * days))
        conditions.append((kind, at(day, 9), at(day + timedelta(days=length), 9), note))
    domain_conditions = [
        Condition(i + 1, kind, note, since, cleared)
        for i, (kind, since, cleared, note) in enumerate(conditions)
    ]
    # One lasting bleed (on the first stretch session from this day on), cleared 9 days later.
    lasting_day: date | None = start_day + timedelta(days=int(0.55 * days))
    pending_clearances: list[datetime] = []
    clearances: list[datetime] = []

    sorted_toys = sorted(toys, key=lambda t: t.diameter_mm)
    plugs = [t for t in sorted_toys if t.kind.value == "plug"]
    state = TrainingState()
    sessions: list[Session] = []
    best_mm = 0.0  # the largest size ever earned, since `best_since`, to keep `best_dwell` days
    best_since = size_since = start_day
    best_dwell = dwell = 0
    top: float | None = None

    def below(mm: float, steps: int) -> Any:
        """The item `steps` rungs below size `mm` (the smallest if there is none)."""
        smaller = [t for t in sorted_toys if t.diameter_mm < mm - 0.25]
        return smaller[-steps] if len(smaller) >= steps else sorted_toys[0]

    def make(kind: SessionKind, start: datetime, minutes: int, items: list[Any], **kw: Any) -> Any:
        nonlocal state
        ids = tuple(dict.fromkeys(t.id for t in items))
        reached = max(items, key=lambda t: t.diameter_mm)
        end = start + timedelta(minutes=minutes)
        s = Session(
            id=len(sessions) + 1,
            kind=kind,
            started_at=start,
            duration=timedelta(minutes=minutes),
            item_ids=ids,
            reached_item_id=reached.id,
            reached_mm=reached.diameter_mm,
            recorded_at=end + timedelta(minutes=rng.randint(1, 30)),
            **kw,
        )
        s = check_session(s, now=now)
        sessions.append(s)
        state = apply_session(state, s, policy, tz)
        return s

    def safety_at(moment: datetime) -> Any:
        nonlocal state
        while pending_clearances and pending_clearances[0] <= moment:
            state = apply_clearance(state, pending_clearances.pop(0))
        return evaluate(state, domain_conditions, moment, tz)

    for i in range(days):
        day = start_day + timedelta(days=i)
        if state.earned_mm != top:  # a size earned, lost or earned back
            top = state.earned_mm
            size_since = day
            if top is not None and top > best_mm:
                best_mm, best_since = top, day
                # Months per new size, longer as sizes grow (the finger: a week or two).
                scale = 1 + (top - FINGER_MM) / 60
                best_dwell = (
                    rng.randint(7, 14) if top <= FINGER_MM else round(rng.randint(120, 240) * scale)
                )
            dwell = rng.randint(8, 20)  # before earning back a size once held

        # --- the evening stretch session ---
        start = at(day, 19) + timedelta(minutes=rng.randint(0, 90))
        safety = safety_at(start)
        if safety.state is State.READY:
            ladder = build_ladder(toys, state.earned_mm, policy)
            rec = recommend(state, safety, ladder, policy, tz)
            target = rec.item
            if (
                rec.action is Action.ADVANCE
                and rec.item is not None
                and (
                    (day - best_since).days < best_dwell
                    if rec.item.diameter_mm > best_mm + 0.5
                    else (day - size_since).days < dwell
                )
            ):
                target = ladder.earned.item if ladder.earned else rec.item
            if target is not None and rec.action is not Action.NONE:
                trying = state.earned_mm is not None and target.diameter_mm > state.earned_mm + 0.5
                pain = _weighted(rng, PAIN_TRYING if trying else PAIN_AT_SIZE)
                bleeding, colour, outcome = Bleeding.NONE, None, Outcome.COMPLETED
                r = rng.random()
                if trying and r < 0.08:
                    outcome = Outcome.FAILED
                elif r < (0.12 if trying else 0.01):
                    outcome = Outcome.STOPPED
                if rng.random() < (0.03 if trying else 0.008):
                    bleeding, colour = Bleeding.SPOTTING, BloodColour.BRIGHT
                if lasting_day is not None and day >= lasting_day:
                    pain, bleeding, colour = 5, Bleeding.LASTING, BloodColour.BRIGHT
                    outcome = Outcome.STOPPED
                    lasting_day = None
                    clearances.append(at(day + timedelta(days=9), 11))
                    pending_clearances.append(clearances[-1])
                sharp = rng.random() < 0.002
                warm_up = rng.random() < 0.95
                items = [target]
                if warm_up and target.diameter_mm > sorted_toys[0].diameter_mm:
                    items.insert(0, below(target.diameter_mm, rng.randint(1, 2)))
                sens = {Sensation.STRETCH, Sensation.FULLNESS, Sensation.PRESSURE}
                sens |= {Sensation.BURNING} if pain >= 3 else set()
                relubed = rng.choices([True, None, False], weights=[80, 16, 4])[0]
                make(
                    SessionKind.STRETCH,
                    start,
                    rng.randint(15, 20),
                    items,
                    pain=pain,
                    sharp=sharp,
                    comfort=max(0, min(10, 8 - pain + rng.randint(-1, 2))),
                    pleasure=rng.randint(2, 9),
                    bleeding=bleeding,
                    colour=colour,
                    outcome=outcome,
                    relubed=relubed,
                    warm_up=warm_up,
                    breath_phase=BreathPhase.EXHALE,
                    sensations=frozenset(rng.sample(sorted(sens), rng.randint(1, len(sens)))),
                    orgasm=rng.random() < 0.3,
                    mess=rng.random() < 0.02,
                    notes=rng.choice(NOTES) if rng.random() < 0.08 else "",
                )

        # --- the overnight wear session: a plug one or two rungs below the earned size ---
        start = at(day, 22) + timedelta(minutes=rng.randint(0, 90))
        safety = safety_at(start)
        earned = state.earned_mm
        wearable = [p for p in plugs if earned is not None and p.diameter_mm <= earned + 0.5]
        if safety.state is State.READY and wearable:
            item = wearable[-min(len(wearable), rng.randint(2, 3))]
            pain = _weighted(rng, PAIN_WEAR)
            make(
                SessionKind.WEAR,
                start,
                rng.randint(60, 480),
                [item],
                pain=pain,
                comfort=max(0, min(10, 9 - pain + rng.randint(-1, 1))),
                relubed=None,
                sensations=frozenset({Sensation.FULLNESS}),
                mess=rng.random() < 0.01,
            )
    safety_at(now)
    return Simulated(sessions, conditions, clearances, state)


# --- the database -----------------------------------------------------------------


def build(path: Path, years: int = 10, *, force: bool = False, quiet: bool = False) -> Path:
    """Create (or reuse) the seed database at `path` and return `path`."""
    path = Path(path).resolve()
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, file=sys.stderr))
    if not force and marker_ok(read_marker(path), years):
        say(f"reusing {path}")
        return path

    from sqlalchemy import insert

    from easein.domain.schedule import localise
    from easein.domain.sessions import SessionKind
    from easein.domain.toys import Base, ToyKind
    from easein.services import plans, profile, state, toys, training
    from easein.services.app import open_app
    from easein.settings import Settings
    from easein.store.codec import Context
    from easein.store.models import SessionRow
    from easein.store.records import session_payload, training_payload

    began = timer.perf_counter()
    tz = ZoneInfo(TIMEZONE)
    end_day = datetime.now(tz).date() - timedelta(days=1)
    start_day = end_day - timedelta(days=years * 365 - 1)
    rng = random.Random(f"easein-bench-{SEED_VERSION}-{years}")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    _remove(tmp)

    clock = Clock(localise(datetime.combine(start_day, time(8, 0)), tz))
    app = open_app(Settings(database_url=str(tmp)), clock=clock)
    built = False
    try:
        prof = profile.init_local(app, adult=True, timezone=TIMEZONE, units="mm")
        items = [
            toys.add_toy(
                app, prof.person_id, name="Index finger", kind=ToyKind.FINGER, diameter_mm=FINGER_MM
            )
        ]
        for mm in PLUG_SIZES_MM:
            items.append(
                toys.add_toy(
                    app,
                    prof.person_id,
                    name=f"Plug {mm:g}mm",
                    kind=ToyKind.PLUG,
                    diameter_mm=mm,
                    base=Base.FLARED,
                    length_mm=round(min(160.0, 60 + mm * 1.6)),
                    neck_mm=round(mm * 0.45, 1),
                    material="silicone",
                )
            )
        plans.add_plan(
            app,
            prof,
            name="Nightly wear",
            kind=SessionKind.WEAR,
            schedule="every night",
            at=time(22, 30),
            duration=timedelta(hours=6),
            starts_on=start_day,
        )

        sim = simulate(items, years, end_day, rng)

        for kind, since, cleared, note in sim.conditions:
            clock.now = since
            training.set_condition(app, prof, kind, note)
            clock.now = cleared
            training.clear_condition(app, prof, kind)
        for moment in sim.clearances:
            clock.now = moment
            training.clear_medical_hold(
                app, prof, confirmed=True, statement="Saw my GP: a small fissure, healed."
            )
        clock.now = seed_moment = localise(
            datetime.combine(end_day + timedelta(days=1), time(12, 0)), tz
        )

        rows = [
            {
                "id": s.id,
                "person_id": prof.person_id,
                "kind": s.kind.value,
                "started_at": s.started_at,
                "duration_s": int(s.duration.total_seconds()),
                "recorded_at": s.recorded_at,
                "payload": app.codec.encode(
                    session_payload(s), Context("sessions", prof.person_id, s.id)
                ),
            }
            for s in sim.sessions
        ]
        with app.db.writing() as db:
            for chunk in range(0, len(rows), 2000):
                db.execute(insert(SessionRow.__table__), rows[chunk : chunk + 2000])
            folded, _totals = state.rebuild_state(db, app, prof)
        if training_payload(folded) != training_payload(sim.state):
            raise AssertionError("rebuild_state disagrees with the simulated fold")
        result = training.status(app, prof)
        built = True
    finally:
        app.close()
        if not built:
            _remove(tmp)

    kinds = [s.kind.value for s in sim.sessions]
    _write_marker(
        tmp,
        {
            "seed_version": SEED_VERSION,
            "years": years,
            "head": _head(),
            "now": seed_moment.astimezone(UTC).isoformat(),
            "first_day": start_day.isoformat(),
            "last_day": end_day.isoformat(),
            "person_id": prof.person_id,
            "stretch": kinds.count("stretch"),
            "wear": kinds.count("wear"),
            "earned_mm": folded.earned_mm,
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        },
    )
    _remove(path)
    os.replace(tmp, path)
    say(
        f"built {path} in {timer.perf_counter() - began:.1f}s: "
        f"{kinds.count('stretch')} stretch + {kinds.count('wear')} wear sessions, "
        f"{start_day} .. {end_day}; earned {folded.earned_mm} mm, "
        f"{len(folded.sizes)} size changes; status {result.safety.state.value}, "
        f"next {result.recommendation.action.value}"
    )
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--force", action="store_true", help="rebuild even if reusable")
    args = parser.parse_args(argv)
    print(build(args.path, args.years, force=args.force))
    return 0


if __name__ == "__main__":
    sys.exit(main())
