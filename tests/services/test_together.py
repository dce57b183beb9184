"""Training together, as services on a real database (SQLite, or PostgreSQL by URL)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from easein.domain import rules
from easein.domain.agreement import Terms, VersionStatus
from easein.domain.audit import AuditKind
from easein.domain.compliance import CheckInResult, Outcome
from easein.domain.directive_status import DirectiveState
from easein.domain.directives import DirectiveKind
from easein.domain.errors import Conflict, InvalidInput, NotFound, UnsafeItem
from easein.domain.pairing import PLAIN_WORDS, NotPermitted, PairingStatus
from easein.domain.safety import State
from easein.domain.sharing import SharingLevel
from easein.services import training
from easein.services.together import (
    agreement,
    checkins,
    comments,
    conversation,
    directives,
    log,
    pairing,
    stop,
    views,
)
from easein.services.together.comments import Target
from easein.store.together_models import InvitationRow
from tests.services.together_helpers import fresh, nightly, pair, person
from tests.services.together_helpers import log as log_session

# --- pairing --------------------------------------------------------------------------------


def test_an_invitation_pairs_two_people_once_both_accept_the_summary(app):
    trainee, partner = person(app), person(app)
    made = pairing.invite(app, trainee.person_id)
    assert made.expires_at - made.created_at == timedelta(hours=24)
    view = pairing.accept_invitation(app, partner.person_id, made.code)
    pid = view.pairing.id
    assert view.pairing.status is PairingStatus.PENDING
    assert view.pairing.sharing is SharingLevel.NOTHING  # the default shares nothing
    pairing.accept_summary(
        app, trainee.person_id, pid, seen=SharingLevel.NOTHING, seen_words=PLAIN_WORDS
    )
    done = pairing.accept_summary(
        app, partner.person_id, pid, seen=SharingLevel.NOTHING, seen_words=PLAIN_WORDS
    )
    assert done.pairing.status is PairingStatus.ACTIVE
    with app.db.reading() as db:
        stored = db.scalars(select(InvitationRow)).one()
    assert made.code not in stored.code_hash and len(stored.code_hash) == 64


def test_an_invitation_is_single_use_and_lasts_24_hours(app, clock):
    trainee, partner, third = person(app), person(app), person(app)
    made = pairing.invite(app, trainee.person_id)
    with pytest.raises(InvalidInput, match="own invitation"):
        pairing.accept_invitation(app, trainee.person_id, made.code)
    pairing.accept_invitation(app, partner.person_id, made.code)
    with pytest.raises(Conflict):
        pairing.accept_invitation(app, third.person_id, made.code)
    late = pairing.invite(app, trainee.person_id)
    clock.advance(hours=24)
    with pytest.raises(InvalidInput, match="expired"):
        pairing.accept_invitation(app, third.person_id, late.code)
    with pytest.raises(NotFound):
        pairing.accept_invitation(app, third.person_id, "not-a-real-code")


def test_the_summary_must_be_the_one_read(app):
    trainee, partner = person(app), person(app)
    view = pairing.accept_invitation(
        app, partner.person_id, pairing.invite(app, trainee.person_id).code
    )
    pairing.change_sharing(app, trainee.person_id, view.pairing.id, SharingLevel.SUMMARY)
    with pytest.raises(Conflict):
        pairing.accept_summary(
            app,
            partner.person_id,
            view.pairing.id,
            seen=SharingLevel.NOTHING,
            seen_words=PLAIN_WORDS,
        )


def test_only_the_trainee_chooses_what_is_shared_and_strangers_see_nothing(app):
    couple = pair(app)
    stranger = person(app)
    with pytest.raises(NotPermitted):
        pairing.change_sharing(
            app, couple.partner.person_id, couple.pairing_id, SharingLevel.NOTHING
        )
    with pytest.raises(NotFound):
        pairing.get_pairing(app, stranger.person_id, couple.pairing_id)
    with pytest.raises(NotFound):
        views.shared_sessions(app, stranger.person_id, couple.pairing_id)


def test_the_partners_access_ends_at_the_instant_of_unpairing(app):
    couple = pair(app)
    log_session(app, couple.trainee, couple.items["p20"])
    assert views.shared_sessions(app, couple.partner.person_id, couple.pairing_id)
    pairing.end_pairing(app, couple.trainee.person_id, couple.pairing_id)
    for read in (
        views.shared_sessions,
        views.shared_status,
        pairing.get_pairing,
        directives.list_directives,
        log.audit_log,
        stop.list_stops,
    ):
        with pytest.raises(NotFound):
            read(app, couple.partner.person_id, couple.pairing_id)
    assert pairing.list_pairings(app, couple.partner.person_id) == []
    # the trainee keeps the history; the pairing is over for good
    assert log.audit_log(app, couple.trainee.person_id, couple.pairing_id)[-1].kind is (
        AuditKind.PAIRING_ENDED
    )
    with pytest.raises(Conflict):
        pairing.change_sharing(
            app, couple.trainee.person_id, couple.pairing_id, SharingLevel.SUMMARY
        )


# --- sharing ---------------------------------------------------------------------------------


def test_the_partner_sees_only_what_the_level_shares(app):
    couple = pair(app, SharingLevel.SUMMARY)
    session = log_session(app, couple.trainee, couple.items["p20"], notes="private words")
    seen = views.shared_session(app, couple.partner.person_id, couple.pairing_id, session.id)
    assert set(seen) == {"id", "kind", "started_at", "duration_min", "outcome"}
    assert views.shared_status(app, couple.partner.person_id, couple.pairing_id) == {
        "state": "ready"
    }
    pairing.change_sharing(app, couple.trainee.person_id, couple.pairing_id, SharingLevel.NOTHING)
    with pytest.raises(NotFound):
        views.shared_status(app, couple.partner.person_id, couple.pairing_id)
    with pytest.raises(NotFound):
        views.shared_session(app, couple.partner.person_id, couple.pairing_id, session.id)


def test_a_session_marked_dont_share_does_not_exist_for_the_partner(app):
    couple = pair(app)
    kept = log_session(app, couple.trainee, couple.items["p20"])
    hidden = log_session(app, couple.trainee, couple.items["p20"])
    pairing.set_session_shared(app, couple.trainee.person_id, hidden.id, shared=False)
    ids = [s["id"] for s in views.shared_sessions(app, couple.partner.person_id, couple.pairing_id)]
    assert ids == [kept.id]
    with pytest.raises(NotFound):
        views.shared_session(app, couple.partner.person_id, couple.pairing_id, hidden.id)
    with pytest.raises(NotFound):  # the partner cannot mark the trainee's sessions
        pairing.set_session_shared(app, couple.partner.person_id, kept.id, shared=False)
    kinds = [e.kind for e in log.audit_log(app, couple.trainee.person_id, couple.pairing_id)]
    assert AuditKind.SESSION_SHARING_CHANGED in kinds


# --- directives and safety -------------------------------------------------------------------


def test_a_directive_above_the_next_rung_or_without_a_base_is_refused_with_the_rule(app):
    couple = pair(app)
    partner, pid = couple.partner.person_id, couple.pairing_id
    with pytest.raises(UnsafeItem) as above:
        directives.create_directive(app, partner, pid, nightly(couple.items["p25"]))
    assert above.value.code == rules.DIRECTIVE_ABOVE_NEXT_RUNG
    with pytest.raises(UnsafeItem) as loose:
        directives.create_directive(app, partner, pid, nightly(couple.items["loose"]))
    assert loose.value.code == rules.TOY_BASE_REQUIRED
    made = directives.create_directive(app, partner, pid, nightly(couple.items["p20"]))
    assert made.status.state is DirectiveState.AWAITING_ACKNOWLEDGEMENT
    with pytest.raises(NotPermitted):
        directives.create_directive(app, couple.trainee.person_id, pid, nightly())
    refused = [e for e in log.audit_log(app, partner, pid) if e.kind is AuditKind.DIRECTIVE_REFUSED]
    assert [e.detail("rule") for e in refused] == [
        rules.DIRECTIVE_ABOVE_NEXT_RUNG,
        rules.TOY_BASE_REQUIRED,
    ]


def test_stop_and_talk_pauses_every_directive_and_the_trainees_status(app, clock):
    couple = pair(app)
    trainee, partner, pid = couple.trainee.person_id, couple.partner.person_id, couple.pairing_id
    log_session(app, couple.trainee, couple.items["p20"])
    for spec in (nightly(), nightly(kind=DirectiveKind.STRETCH)):
        made = directives.create_directive(app, partner, pid, spec)
        directives.acknowledge_directive(app, trainee, pid, made.directive.id)
    assert training.status(app, fresh(app, couple.trainee)).safety.state is State.READY
    called = stop.call_stop_and_talk(app, partner, pid)  # the partner can call it too
    assert called.new and called.tell == trainee
    again = stop.call_stop_and_talk(app, trainee, pid)  # no cooldown, never refused
    assert not again.new and again.stop.id == called.stop.id
    status = training.status(app, fresh(app, couple.trainee))
    assert status.safety.state is State.PAUSED
    assert rules.STOP_AND_TALK in [r.rule for r in status.safety.reasons]
    states = {v.status.state for v in directives.list_directives(app, partner, pid)}
    assert states == {DirectiveState.PAUSED_BY_STOP_AND_TALK}
    with pytest.raises(NotPermitted):
        stop.resume(app, partner, pid)
    clock.advance(minutes=10)
    stop.resume(app, trainee, pid)
    assert training.status(app, fresh(app, couple.trainee)).safety.state is State.READY
    states = {v.status.state for v in directives.list_directives(app, partner, pid)}
    assert states == {DirectiveState.ACTIVE}


def test_lifting_a_medical_hold_during_a_stop_and_talk_still_reads_paused(app, clock):
    couple = pair(app)
    trainee, pid = couple.trainee.person_id, couple.pairing_id
    log_session(app, couple.trainee, couple.items["p20"], pain=8)  # rule pain.acute: a hold
    assert training.status(app, fresh(app, couple.trainee)).safety.state is State.MEDICAL_HOLD
    stop.call_stop_and_talk(app, trainee, pid)
    clock.advance(hours=1)
    lifted = training.clear_medical_hold(
        app, fresh(app, couple.trainee), confirmed=True, statement="seen a doctor"
    )
    assert lifted.state is State.PAUSED
    assert rules.STOP_AND_TALK in [r.rule for r in lifted.reasons]
    assert training.status(app, fresh(app, couple.trainee)).safety.state is State.PAUSED


def test_safety_suspends_directives_and_the_partner_reads_no_medical_detail(app):
    couple = pair(app, SharingLevel.SUMMARY)
    trainee, partner, pid = couple.trainee.person_id, couple.partner.person_id, couple.pairing_id
    made = directives.create_directive(app, partner, pid, nightly())
    directives.acknowledge_directive(app, trainee, pid, made.directive.id)
    training.set_condition(
        app, fresh(app, couple.trainee), training.ConditionKind.HAEMORRHOIDS, "flare-up"
    )
    mine = directives.get_directive(app, trainee, pid, made.directive.id)
    theirs = directives.get_directive(app, partner, pid, made.directive.id)
    assert mine.status.state is theirs.status.state is DirectiveState.SUSPENDED_FOR_SAFETY
    assert theirs.message == "suspended for safety"
    assert theirs.rule == rules.DIRECTIVE_SUSPENDED_FOR_SAFETY
    assert views.shared_status(app, partner, pid) == {"state": "paused"}


def test_edits_make_revisions_and_the_trainee_acknowledges_afresh(app):
    couple = pair(app)
    trainee, partner, pid = couple.trainee.person_id, couple.partner.person_id, couple.pairing_id
    made = directives.create_directive(app, partner, pid, nightly())
    directives.acknowledge_directive(app, trainee, pid, made.directive.id)
    edited = directives.edit_directive(
        app, partner, pid, made.directive.id, nightly(couple.items["p20"])
    )
    assert edited.directive.revision == 2 and edited.directive.acknowledged_at is None
    revisions = directives.directive_revisions(app, trainee, pid, made.directive.id)
    assert [r.revision for r in revisions] == [1, 2]
    assert revisions[0].acknowledged_at is not None
    ended = directives.end_directive(app, partner, pid, made.directive.id)
    assert ended.status.state is DirectiveState.ENDED


def test_check_ins_and_compliance_tell_missed_from_excused(app, clock):
    couple = pair(app)
    trainee, partner, pid = couple.trainee.person_id, couple.partner.person_id, couple.pairing_id
    made = directives.create_directive(app, partner, pid, nightly())
    directives.acknowledge_directive(app, trainee, pid, made.directive.id)
    session = log_session(app, couple.trainee, couple.items["p20"])
    today = clock.now.astimezone(couple.trainee.tz).date()
    checkins.check_in(
        app,
        trainee,
        pid,
        made.directive.id,
        day=today,
        result=CheckInResult.DONE,
        session_id=session.id,
        note="easy",
    )
    with pytest.raises(NotPermitted):
        checkins.check_in(
            app, partner, pid, made.directive.id, day=today, result=CheckInResult.DONE
        )
    clock.advance(days=1)  # the next night: nobody checks in, a stop and talk excuses it
    stop.call_stop_and_talk(app, trainee, pid)
    clock.advance(days=1)
    stop.resume(app, trainee, pid)
    clock.advance(days=2)  # one more night passes without a check-in: missed
    found = checkins.compliance(app, partner, pid, days=30)
    outcomes = [(s.outcome, s.excuse) for s in found.slots]
    assert outcomes == [
        (Outcome.DONE, None),
        (Outcome.EXCUSED, "stop_and_talk"),
        (Outcome.EXCUSED, "stop_and_talk"),
        (Outcome.MISSED, None),
        (Outcome.DUE, None),
    ]
    assert found.totals.done == 1
    pairing.set_session_shared(app, trainee, session.id, shared=False)
    seen = checkins.list_check_ins(app, partner, pid, made.directive.id)
    assert seen[0].session_id is None  # the partner cannot see the hidden session
    assert checkins.list_check_ins(app, trainee, pid, made.directive.id)[0].session_id == (
        session.id
    )


# --- the audit log, the agreement, the conversation, comments ----------------------------------


def test_the_audit_log_records_who_and_when_and_only_grows(app, clock):
    couple = pair(app)
    trainee, partner, pid = couple.trainee.person_id, couple.partner.person_id, couple.pairing_id
    before = log.audit_log(app, trainee, pid)
    clock.advance(minutes=5)
    pairing.change_sharing(app, trainee, pid, SharingLevel.FULL)
    stop.call_stop_and_talk(app, partner, pid)
    after = log.audit_log(app, partner, pid)
    assert after[: len(before)] == before
    new = after[len(before) :]
    assert [(e.kind, e.actor_id, e.at) for e in new] == [
        (AuditKind.SHARING_CHANGED, trainee, clock.now),
        (AuditKind.STOP_AND_TALK_CALLED, partner, clock.now),
    ]
    assert new[0].detail("before") == "full_with_notes" and new[0].detail("after") == "full"
    assert {e.kind for e in before} >= {AuditKind.INVITATION_ACCEPTED, AuditKind.PAIRING_ACTIVATED}


def test_the_agreement_is_versioned_signed_by_both_and_reopening_keeps_the_past(app):
    couple = pair(app)
    trainee, partner, pid = couple.trainee.person_id, couple.partner.person_id, couple.pairing_id
    terms = Terms(goal="nightly wear", per_week=3, sharing=SharingLevel.FULL_WITH_NOTES)
    first = agreement.propose(app, partner, pid, terms)
    agreement.sign(app, partner, pid, first.version.number)
    signed = agreement.sign(app, trainee, pid, first.version.number)
    assert signed.status is VersionStatus.IN_FORCE
    reopened = agreement.reopen(app, trainee, pid)
    assert reopened.version.number == 2 and reopened.status is VersionStatus.DRAFT
    with pytest.raises(NotPermitted):  # only the trainee changes what is shared
        agreement.propose(app, partner, pid, Terms(goal="x", sharing=SharingLevel.NOTHING))
    changed = agreement.propose(
        app,
        trainee,
        pid,
        Terms(goal="nightly wear", per_week=5, sharing=SharingLevel.FULL_WITH_NOTES),
    )
    states = [v.status for v in agreement.list_versions(app, partner, pid)]
    assert states == [VersionStatus.IN_FORCE, VersionStatus.SUPERSEDED, VersionStatus.DRAFT]
    _, _, changes = agreement.diff(app, partner, pid, changed.version.number, against=1)
    assert [(c.field, c.before, c.after) for c in changes] == [("per_week", 3, 5)]
    kinds = [e.kind for e in log.audit_log(app, trainee, pid)]
    assert kinds.count(AuditKind.AGREEMENT_SIGNED) == 2


def test_answers_stay_private_until_both_submitted(app):
    couple = pair(app)
    trainee, partner, pid = couple.trainee.person_id, couple.partner.person_id, couple.pairing_id
    conversation.save_answers(app, trainee, pid, {"wants": ["pleasure"], "faeces": 4}, submit=True)
    with pytest.raises(Conflict):
        conversation.comparison(app, partner, pid)
    conversation.save_answers(
        app, partner, pid, {"wants": ["pleasure", "control"], "faeces": 4}, submit=True
    )
    rows = {r.question.id: r for r in conversation.comparison(app, trainee, pid).rows}
    assert rows["wants"].differs and not rows["faeces"].differs
    with pytest.raises(InvalidInput):
        conversation.save_answers(app, trainee, pid, {"faeces": 11}, submit=False)


def test_comments_go_both_ways_on_shared_sessions_and_directives(app):
    couple = pair(app)
    trainee, partner, pid = couple.trainee.person_id, couple.partner.person_id, couple.pairing_id
    session = log_session(app, couple.trainee, couple.items["p20"])
    comments.add_comment(app, partner, pid, Target.SESSION, session.id, "how did it feel?")
    comments.add_comment(app, trainee, pid, Target.SESSION, session.id, "a bit tight")
    texts = [c.text for c in comments.list_comments(app, partner, pid, Target.SESSION, session.id)]
    assert texts == ["how did it feel?", "a bit tight"]
    pairing.set_session_shared(app, trainee, session.id, shared=False)
    with pytest.raises(NotFound):
        comments.list_comments(app, partner, pid, Target.SESSION, session.id)
    made = directives.create_directive(app, partner, pid, nightly())
    comments.add_comment(
        app, trainee, pid, Target.DIRECTIVE, made.directive.id, "a bit frustrated at the pace"
    )
    assert comments.list_comments(app, partner, pid, Target.DIRECTIVE, made.directive.id)


def test_deleting_a_person_removes_their_pairings_and_logs(app):
    from easein.store.models import Person
    from easein.store.together_models import AuditEventRow

    couple = pair(app)
    with app.db.writing() as db:
        db.delete(db.get(Person, couple.partner.person_id))
    with app.db.reading() as db:
        assert db.scalars(select(AuditEventRow)).all() == []
    assert pairing.list_pairings(app, couple.trainee.person_id) == []


def test_a_directive_whose_item_is_retired_later_is_suspended(app):
    """Rule directive.item_retired, end to end: the service passes the item as it is now."""
    from easein.services import toys

    couple = pair(app)
    trainee, partner, pid = couple.trainee.person_id, couple.partner.person_id, couple.pairing_id
    log_session(app, couple.trainee, couple.items["p20"])
    made = directives.create_directive(app, partner, pid, nightly(couple.items["p20"]))
    directives.acknowledge_directive(app, trainee, pid, made.directive.id)
    assert directives.get_directive(app, trainee, pid, made.directive.id).status.state is (
        DirectiveState.ACTIVE
    )
    toys.set_retired(app, trainee, couple.items["p20"], retired=True)
    now = directives.get_directive(app, partner, pid, made.directive.id)
    assert now.status.state is DirectiveState.SUSPENDED_FOR_SAFETY
    assert now.message == "suspended for safety"
