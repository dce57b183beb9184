"""The per-worker memo: reused only while the person's data is unchanged, in every worker."""

from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy import select

from easein.domain.safety import ConditionKind, State
from easein.domain.sessions import SessionKind
from easein.domain.toys import Base, ToyKind
from easein.services import plans, toys, training
from easein.services.app import open_app
from easein.services.memo import Memo
from easein.services.profile import init_local, local_profile, update_profile
from easein.store.models import Person


def revision(app) -> int:
    with app.db.reading() as db:
        return db.scalar(select(Person.revision))


def test_every_kind_of_write_bumps_the_revision_and_reads_do_not(app):
    profile = init_local(app, adult=True, timezone="Europe/Berlin", units="mm")
    training.status(app, profile)  # the first read stores the folded state (a write)
    seen = [revision(app)]

    def wrote() -> None:
        seen.append(revision(app))
        assert seen[-1] > seen[-2], seen

    toys.add_toy(
        app, profile.person_id, name="a", kind=ToyKind.PLUG, diameter_mm=20, base=Base.FLARED
    )
    wrote()
    training.set_condition(app, profile, ConditionKind.DIARRHOEA)
    wrote()
    training.clear_condition(app, profile, ConditionKind.DIARRHOEA)
    wrote()
    plans.add_plan(
        app, profile, name="evenings", kind=SessionKind.WEAR, schedule="daily",
        at=time(21), duration=timedelta(hours=1),
    )  # fmt: skip
    wrote()
    update_profile(app, profile.person_id, units="in")
    wrote()
    training.status(app, local_profile(app))
    training.history(app, profile)
    assert revision(app) == seen[-1]


def test_a_write_in_another_worker_shows_at_once(settings, clock):
    """Two App objects on one database stand for two worker processes."""
    one, two = open_app(settings, clock=clock), open_app(settings, clock=clock)
    try:
        init_local(one, adult=True, timezone="Europe/Berlin", units="mm")
        assert training.status(one, local_profile(one)).safety.state is State.READY
        training.set_condition(two, local_profile(two), ConditionKind.HAEMORRHOIDS)
        # `one` reads the person again, as every request does with its sign-in.
        assert training.status(one, local_profile(one)).safety.state is State.PAUSED
    finally:
        one.close()
        two.close()


def test_a_caller_holding_its_old_profile_sees_its_own_write(app):
    profile = init_local(app, adult=True, timezone="Europe/Berlin", units="mm")
    profile = local_profile(app)
    assert training.status(app, profile).safety.state is State.READY
    training.set_condition(app, profile, ConditionKind.CONSTIPATION)
    assert training.status(app, profile).safety.state is State.PAUSED


def test_memo_reuses_a_value_only_for_the_same_version():
    memo, made = Memo(), []

    def make(value: str):
        return lambda: made.append(value) or value

    assert memo.get("x", 1, ("v", 1), make("a")) == "a"
    assert memo.get("x", 1, ("v", 1), make("b")) == "a"
    assert memo.get("x", 1, ("v", 2), make("c")) == "c"
    assert memo.get("x", 2, ("v", 2), make("d")) == "d"
    assert memo.get("x", 1, None, make("e")) == "e"  # unknown version: never reused
    assert made == ["a", "c", "d", "e"]


def test_memo_is_bounded_and_drops_the_least_recently_used():
    memo = Memo(size=2)
    memo.get("x", 1, 1, lambda: "one")
    memo.get("x", 2, 1, lambda: "two")
    memo.get("x", 1, 1, lambda: "again")  # touches person 1
    memo.get("x", 3, 1, lambda: "three")  # evicts person 2
    assert len(memo) == 2
    assert memo.get("x", 1, 1, lambda: "new") == "one"
    assert memo.get("x", 2, 1, lambda: "new") == "new"


def test_a_value_made_from_data_read_before_a_write_is_not_kept():
    memo = Memo()

    def make_during_a_write() -> str:
        memo.forget({1})  # a write commits while the value is being made
        return "old"

    assert memo.get("x", 1, 7, make_during_a_write) == "old"
    assert memo.get("x", 1, 7, lambda: "fresh") == "fresh"


def test_a_pairings_rows_bump_both_members_so_each_sees_the_others_change(app):
    from easein.services.together import presence, stop
    from tests.services.together_helpers import fresh, pair

    couple = pair(app)
    trainee, partner = couple.trainee, couple.partner
    assert presence.bar(app, fresh(app, trainee)).paused is False
    before = {p.person_id: fresh(app, p).revision for p in (trainee, partner)}
    stop.call_stop_and_talk(app, partner.person_id, couple.pairing_id)
    after = {p.person_id: fresh(app, p).revision for p in (trainee, partner)}
    assert all(after[k] > before[k] for k in before), (before, after)
    # the trainee's header, read with a profile from before the partner's write
    # in another worker, would be stale; with the fresh revision it is not:
    assert presence.bar(app, fresh(app, trainee)).paused is True
    assert presence.bar(app, fresh(app, partner)).paused is True


def test_requests_that_miss_together_make_the_value_once():
    import threading

    asking = 8
    arrived, counted = threading.Event(), threading.Lock()
    looked = [0]

    class Watched(Memo):
        def _found(self, key, version):
            found = super()._found(key, version)
            with counted:
                looked[0] += 1
                if looked[0] == asking:  # every request has missed once: all are waiting
                    arrived.set()
            return found

    memo, made = Watched(), []

    def make() -> str:
        made.append(1)
        assert arrived.wait(timeout=10)  # hold the value until everyone missed
        return "value"

    def ask() -> None:
        assert memo.get("stats", 1, ("v", 1), make) == "value"

    threads = [threading.Thread(target=ask) for _ in range(asking)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(made) == 1
