"""Property: whatever the partner, the trainee and the clock do, safety wins over directives.

No sequence of directive operations (set, change, acknowledge, end), stops and talks and
resumes, sessions with pain or bleeding (rest, medical hold), conditions set and cleared,
a hold lifted, and time passing, ever leaves a directive ACTIVE while the trainee is not
ready, or an active directive whose item lacks a flared base or handle or is above the
earned size plus one rung. Checked after every step, as both members read it,
on a fresh database per example.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from easein.domain.directive_status import DirectiveState
from easein.domain.directives import DirectiveKind
from easein.domain.errors import EaseInError
from easein.domain.safety import ConditionKind, State
from easein.domain.sessions import Bleeding, BloodColour
from easein.services import training
from easein.services.app import open_app
from easein.services.together import directives, stop
from easein.services.toys import load_toys
from easein.settings import Settings
from tests.conftest import FakeClock
from tests.services.together_helpers import Couple, fresh, log, nightly, pair

ITEMS = ["p20", "p22", "p25", "p35", "loose", None]  # None: a wear or stretch, no item
KINDS = [DirectiveKind.WEAR, DirectiveKind.STRETCH, DirectiveKind.NEXT_RUNG]

steps = st.lists(
    st.one_of(
        st.tuples(st.just("create"), st.sampled_from(ITEMS), st.sampled_from(KINDS)),
        st.tuples(st.just("edit"), st.integers(0, 3), st.sampled_from(ITEMS)),
        st.tuples(st.just("acknowledge"), st.integers(0, 3)),
        st.tuples(st.just("end"), st.integers(0, 3)),
        st.tuples(st.just("stop"), st.booleans()),  # True: the partner calls it
        st.tuples(st.just("resume")),
        st.tuples(
            st.just("session"),
            st.sampled_from(["p20", "p22", "p25"]),
            st.integers(0, 10),
            st.booleans(),
            st.sampled_from(list(Bleeding)),
            st.sampled_from(list(BloodColour)),
        ),
        st.tuples(st.just("condition"), st.sampled_from(list(ConditionKind))),
        st.tuples(st.just("better"), st.sampled_from(list(ConditionKind))),
        st.tuples(st.just("cleared")),
        st.tuples(st.just("wait"), st.integers(1, 96)),  # hours
    ),
    max_size=8,
)


def _spec(couple: Couple, item: str | None, kind: DirectiveKind):
    return nightly(couple.items[item]) if item else nightly(kind=kind)


def _step(app, clock: FakeClock, couple: Couple, made: list[int], step: tuple) -> None:
    trainee, partner, pid = couple.trainee.person_id, couple.partner.person_id, couple.pairing_id
    name, *args = step

    def nth(i: int) -> int | None:
        return made[i % len(made)] if made else None

    actions: dict[str, Callable[[], object]] = {
        "create": lambda: made.append(
            directives.create_directive(app, partner, pid, _spec(couple, *args)).directive.id
        ),
        "edit": lambda: (
            nth(args[0])
            and directives.edit_directive(
                app, partner, pid, nth(args[0]), _spec(couple, args[1], DirectiveKind.WEAR)
            )
        ),
        "acknowledge": lambda: (
            nth(args[0]) and directives.acknowledge_directive(app, trainee, pid, nth(args[0]))
        ),
        "end": lambda: nth(args[0]) and directives.end_directive(app, partner, pid, nth(args[0])),
        "stop": lambda: stop.call_stop_and_talk(app, partner if args[0] else trainee, pid),
        "resume": lambda: stop.resume(app, trainee, pid),
        "session": lambda: log(
            app,
            couple.trainee,
            couple.items[args[0]],
            pain=args[1],
            sharp=args[2],
            bleeding=args[3],
            colour=None if args[3] is Bleeding.NONE else args[4],
        ),
        "condition": lambda: training.set_condition(app, fresh(app, couple.trainee), args[0]),
        "better": lambda: training.clear_condition(app, fresh(app, couple.trainee), args[0]),
        "cleared": lambda: training.clear_medical_hold(
            app, fresh(app, couple.trainee), confirmed=True, statement="seen a doctor"
        ),
        "wait": lambda: clock.advance(hours=args[0]),
    }
    with suppress(EaseInError):  # refused (unsafe, ended, nothing to resume): checked all the same
        actions[name]()


def _check(app, couple: Couple) -> None:
    status = training.status(app, fresh(app, couple.trainee))
    ladder, tol = status.ladder, app.policy.same_size_tolerance_mm
    cap = ladder.next.diameter_mm if ladder.next else ladder.earned_mm
    with app.db.reading() as db:
        toys = {t.id: t for t in load_toys(db, app, couple.trainee.person_id)}
    for reader in (couple.trainee.person_id, couple.partner.person_id):
        for view in directives.list_directives(app, reader, couple.pairing_id):
            if view.status.state is not DirectiveState.ACTIVE:
                continue
            assert status.safety.state is State.READY, (view, status.safety)
            item_id = view.directive.item_id
            if item_id is not None:
                item = toys[item_id]
                assert item.usable_anally, item
                assert cap is not None and item.diameter_mm <= cap + tol, (item, ladder)


SORE = ("session", "p22", 5, False, Bleeding.NONE, BloodColour.BRIGHT)  # a step back
SPOTTING = ("session", "p20", 2, False, Bleeding.SPOTTING, BloodColour.BRIGHT)  # rest
HOLD = ("session", "p20", 8, True, Bleeding.LASTING, BloodColour.DARK)  # a medical hold
PAUSES = [("stop", True), ("condition", ConditionKind.OTHER), ("resume",), ("wait", 2)]


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@example(earned="p22", first="p25", script=[SORE, ("wait", 24)])
@example(earned="p20", first="p22", script=[SPOTTING, ("wait", 80), HOLD, ("cleared",)])
@example(earned=None, first=None, script=[*PAUSES, ("better", ConditionKind.OTHER)])
@given(
    earned=st.sampled_from([None, "p20", "p22"]),
    first=st.sampled_from([None, "p20", "p22", "p25"]),
    script=steps,
)
def test_no_sequence_of_operations_leaves_an_active_directive_that_safety_forbids(
    fresh_database, earned, first, script
):
    clock = FakeClock()
    app = open_app(Settings(database_url=fresh_database()), clock=clock)
    try:
        couple = pair(app)
        if earned:  # a comfortable session earns a size: a step back can then undercut it
            log(app, couple.trainee, couple.items[earned])
            clock.advance(hours=1)
        made: list[int] = []
        _step(app, clock, couple, made, ("create", first, DirectiveKind.WEAR))
        _step(app, clock, couple, made, ("acknowledge", 0))
        _check(app, couple)
        for step in script:
            _step(app, clock, couple, made, step)
            _check(app, couple)
    finally:
        app.close()
