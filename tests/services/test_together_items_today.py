"""Training together: the items a partner chooses from, open invitations, the directives due
on Today, and the trainee's own wording (services on a real database)."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import date, time, timedelta

import pytest

from easein.domain.compliance import CheckInResult
from easein.domain.directive_status import DirectiveState
from easein.domain.directives import DirectiveKind, DirectiveSpec, Window
from easein.domain.errors import Conflict, NotFound
from easein.domain.sharing import SharingLevel
from easein.domain.toys import Base, ToyKind
from easein.services import toys, training
from easein.services.together import checkins, directives, pairing, today, views
from easein.services.together.views import UsableItem
from tests.services.together_helpers import fresh, nightly, pair, person

# The clock starts on Monday 2 March 2026, 21:00 in Berlin (20:00 UTC).


def spec(schedule: str, window: Window | None, starts_on: date = date(2026, 3, 1)):
    return DirectiveSpec(DirectiveKind.WEAR, timedelta(hours=1), schedule, starts_on, window)


NIGHT = Window(time(22, 0), time(7, 0))


# --- the items a partner chooses from -----------------------------------------------------------


def test_the_partner_sees_the_usable_items_at_every_level_and_nothing_else_about_them(app):
    couple = pair(app, SharingLevel.NOTHING)
    partner, pid = couple.partner.person_id, couple.pairing_id
    toys.add_toy(app, couple.trainee.person_id, name="two fingers", kind=ToyKind.FINGERS,
                 diameter_mm=30)  # fmt: skip
    toys.edit_toy(app, couple.trainee.person_id, couple.items["p22"], material="glass")
    toys.set_retired(app, couple.trainee.person_id, couple.items["p35"], retired=True)
    seen = views.usable_items(app, partner, pid)
    assert [(i.name, i.diameter_mm, i.base) for i in seen] == [
        ("p20", 20, Base.FLARED),
        ("p22", 22, Base.FLARED),
        ("p25", 25, Base.FLARED),
        ("two fingers", 30, Base.BODY),
    ]  # no base ("loose") and retired (p35) are left out; smallest first
    assert {f.name for f in fields(UsableItem)} == {"id", "name", "diameter_mm", "base"}
    assert "glass" not in str([asdict(i) for i in seen])
    # the trainee previews exactly what the partner sees
    assert views.usable_items(app, couple.trainee.person_id, pid) == seen


def test_the_items_list_exists_only_for_the_members_of_an_active_pairing(app):
    couple = pair(app, SharingLevel.FULL)
    partner, pid = couple.partner.person_id, couple.pairing_id
    with pytest.raises(NotFound):
        views.usable_items(app, person(app).person_id, pid)
    pairing.end_pairing(app, couple.trainee.person_id, pid)
    with pytest.raises(NotFound):
        views.usable_items(app, partner, pid)
    trainee, other = person(app), person(app)
    pending = pairing.accept_invitation(
        app, other.person_id, pairing.invite(app, trainee.person_id).code
    )
    with pytest.raises(Conflict):
        views.usable_items(app, other.person_id, pending.pairing.id)


# --- open invitations -----------------------------------------------------------------------


def test_open_invitations_leave_out_used_withdrawn_and_expired_ones_and_never_the_code(app, clock):
    trainee, partner, other = person(app), person(app), person(app)
    expired = pairing.invite(app, trainee.person_id)
    clock.advance(hours=23)
    used = pairing.invite(app, trainee.person_id)
    withdrawn = pairing.invite(app, trainee.person_id)
    waiting = pairing.invite(app, trainee.person_id)
    pairing.invite(app, other.person_id)  # someone else's
    pairing.accept_invitation(app, partner.person_id, used.code)
    pairing.revoke_invitation(app, trainee.person_id, withdrawn.id)
    assert [i.id for i in pairing.open_invitations(app, trainee.person_id)] == [
        waiting.id,
        expired.id,
    ]
    clock.advance(hours=1)  # the first one's 24 hours are over
    (left,) = pairing.open_invitations(app, trainee.person_id)
    assert (left.id, left.created_at, left.expires_at) == (
        waiting.id,
        waiting.created_at,
        waiting.expires_at,
    )
    assert waiting.code not in repr(left)
    assert pairing.open_invitations(app, partner.person_id) == []


# --- Today ------------------------------------------------------------------------------------


def made(app, couple, directive_spec, *, acknowledge=True):
    trainee, partner, pid = couple.trainee.person_id, couple.partner.person_id, couple.pairing_id
    view = directives.create_directive(app, partner, pid, directive_spec)
    if acknowledge:
        directives.acknowledge_directive(app, trainee, pid, view.directive.id)
    return view.directive.id


def on_today(app, couple):
    return {d.directive.id: d for d in today.today(app, fresh(app, couple.trainee))}


def test_today_shows_only_the_directives_due_today_and_those_waiting_for_acknowledgement(app):
    couple = pair(app)
    nightly_id = made(app, couple, spec("every night", NIGHT))
    tuesdays = made(app, couple, spec("tuesdays", None))  # Monday today: not due
    new_tuesdays = made(app, couple, spec("tuesdays", None), acknowledge=False)
    later = made(app, couple, spec("every night", None, starts_on=date(2026, 3, 9)))
    shown = on_today(app, couple)
    assert set(shown) == {nightly_id, new_tuesdays}
    assert shown[new_tuesdays].occurrences == ()  # there to be acknowledged, nothing due
    assert tuesdays not in shown and later not in shown


def test_last_nights_window_stays_on_today_until_checked_in_and_tonights_is_later(app, clock):
    couple = pair(app)
    trainee, pid = couple.trainee.person_id, couple.pairing_id
    directive_id = made(app, couple, spec("every night", NIGHT))
    # Monday 21:00: Sunday night's window ended at 07:00 today; tonight's opens at 22:00
    (last_night, tonight) = on_today(app, couple)[directive_id].occurrences
    assert (last_night.day, last_night.over, last_night.check_in) == (date(2026, 3, 1), True, None)
    assert (tonight.day, tonight.started, tonight.over) == (date(2026, 3, 2), False, False)
    assert on_today(app, couple)[directive_id].report_on == last_night

    clock.advance(hours=4)  # Tuesday 01:00: Monday night's window is open now
    (open_now, later) = on_today(app, couple)[directive_id].occurrences
    assert (open_now.day, open_now.started, open_now.over) == (date(2026, 3, 2), True, False)
    assert later.day == date(2026, 3, 3) and not later.started

    clock.advance(hours=7)  # Tuesday 08:00: it is over; check in on it
    checkins.check_in(app, trainee, pid, directive_id, day=date(2026, 3, 2),
                      result=CheckInResult.PARTLY)  # fmt: skip
    shown = on_today(app, couple)[directive_id]
    assert [(o.day, o.check_in) for o in shown.occurrences] == [
        (date(2026, 3, 2), CheckInResult.PARTLY),
        (date(2026, 3, 3), None),
    ]
    assert shown.report_on == shown.occurrences[0]  # the only one started


def test_a_day_without_a_window_is_not_carried_into_the_next(app, clock):
    couple = pair(app)
    directive_id = made(app, couple, spec("daily", None))
    (only,) = on_today(app, couple)[directive_id].occurrences
    assert only.day == date(2026, 3, 2) and only.started and not only.over
    clock.advance(hours=4)  # Tuesday 01:00: yesterday's is over, today's began at midnight
    (only,) = on_today(app, couple)[directive_id].occurrences
    assert only.day == date(2026, 3, 3)


def test_today_is_one_memo_lookup_until_the_data_or_the_minute_changes(app, clock):
    couple = pair(app)
    directive_id = made(app, couple, spec("every night", NIGHT))
    trainee = fresh(app, couple.trainee)
    first = today.today(app, trainee)
    assert today.today(app, trainee) is first  # the same minute, the same data: reused
    clock.advance(seconds=61)
    assert today.today(app, trainee) is not first
    directives.end_directive(app, couple.partner.person_id, couple.pairing_id, directive_id)
    assert today.today(app, fresh(app, couple.trainee)) == []


def test_suspended_directives_due_today_still_show_with_the_reason_for_the_trainee(app):
    couple = pair(app)
    directive_id = made(app, couple, spec("every night", NIGHT))
    training.set_condition(app, fresh(app, couple.trainee), training.ConditionKind.DIARRHOEA)
    shown = on_today(app, couple)[directive_id]
    assert shown.status.state is DirectiveState.SUSPENDED_FOR_SAFETY
    assert shown.message.startswith("Suspended while training is paused")


# --- the trainee's own wording ----------------------------------------------------------------


def test_the_trainee_reads_directives_addressed_to_them_the_partner_in_the_third_person(app):
    couple = pair(app)
    trainee, partner, pid = couple.trainee.person_id, couple.partner.person_id, couple.pairing_id
    made_id = directives.create_directive(app, partner, pid, nightly()).directive.id
    mine = directives.get_directive(app, trainee, pid, made_id)
    theirs = directives.get_directive(app, partner, pid, made_id)
    assert mine.message == "waiting for you to acknowledge it"
    assert theirs.message == "waiting for the trainee to acknowledge it"
    assert on_today(app, couple)[made_id].message == "waiting for you to acknowledge it"
