"""The couple's words under the pairing key (services.pairing_keys), on a real database.

Comments and the guided conversation's answers written by a sign-in that holds its
writer's data key are sealed under the pairing key: both members read them, the
installation key does not open them, and ending the pairing rotates the key to the
trainee only, with everything under it sealed again. Cheap Argon2 parameters.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from easein.domain.compliance import CheckInResult
from easein.domain.errors import Conflict
from easein.services import pairing_keys
from easein.services.together import checkins, comments, conversation, directives, pairing
from easein.services.together.comments import Target
from easein.settings import Settings
from easein.store.codec import HELD, SEALED, Context, PayloadError
from easein.store.together_models import (
    CheckInRow,
    CommentRow,
    ConversationAnswersRow,
    PairingRow,
)
from tests.conftest import fast_hashing
from tests.services.held_helpers import couple, keyed, log, plug, sign_up
from tests.services.together_helpers import nightly

ANSWERS = {"wants_more": "slower evenings", "goal_words": "feel at ease"}


@pytest.fixture
def settings(database_url: str) -> Settings:
    return fast_hashing(Settings(database_url=database_url))


def comment(app, who, pid, session_id, text, *, key=True):
    return comments.add_comment(
        app,
        who.profile.person_id,
        pid,
        Target.SESSION,
        session_id,
        text,
        data_key=who.data_key if key else None,
    )


def read(app, who, pid, session_id, *, key=True):
    found = comments.list_comments(
        app,
        who.profile.person_id,
        pid,
        Target.SESSION,
        session_id,
        data_key=who.data_key if key else None,
    )
    return [(c.text, c.locked) for c in found]


def stored(app, model):
    """Each row's id, context owner (its author; a check-in's trainee) and payload."""
    with app.db.reading() as db:
        return [
            (r.id, getattr(r, "author_id", None) or r.person_id, bytes(r.payload))
            for r in db.scalars(select(model))
        ]


def test_a_comment_is_sealed_under_the_pairing_key_and_both_members_read_it(app):
    tia, pat, pid = couple(app)
    session = log(app, keyed(app, tia), plug(app, tia), "")
    comment(app, pat, pid, session.id, "proud of you")
    comment(app, tia, pid, session.id, "thank you")
    for who in (tia, pat):
        assert read(app, who, pid, session.id) == [("proud of you", False), ("thank you", False)]
    # Without the reader's key (a sign-in older than data keys): there, but sealed.
    assert read(app, tia, pid, session.id, key=False) == [("", True), ("", True)]
    for row_id, author, payload in stored(app, CommentRow):
        assert payload[:1] == HELD and b"proud" not in payload
        with pytest.raises(PayloadError):  # the installation key does not open it
            app.codec.decode(payload, Context("comments", author, row_id))


def test_a_comment_written_without_a_key_stays_readable_under_the_installation_key(app):
    tia, pat, pid = couple(app)
    session = log(app, keyed(app, tia), plug(app, tia), "")
    comment(app, pat, pid, session.id, "from an old sign-in", key=False)
    [(_, _, payload)] = stored(app, CommentRow)
    assert payload[:1] == SEALED
    assert read(app, tia, pid, session.id, key=False) == [("from an old sign-in", False)]
    assert read(app, tia, pid, session.id) == [("from an old sign-in", False)]


def test_the_answers_are_sealed_under_the_pairing_key_and_compared_with_it(app):
    tia, pat, pid = couple(app)
    for who in (tia, pat):
        conversation.save_answers(
            app, who.profile.person_id, pid, ANSWERS, submit=True, data_key=who.data_key
        )
    for _, _, payload in stored(app, ConversationAnswersRow):
        assert payload[:1] == HELD and b"slower evenings" not in payload
    rows = conversation.comparison(app, pat.profile.person_id, pid, data_key=pat.data_key).rows
    assert rows
    mine = conversation.my_answers(app, tia.profile.person_id, pid, data_key=tia.data_key)
    assert mine.answers["wants_more"] == "slower evenings"
    with pytest.raises(Conflict) as refused:
        conversation.my_answers(app, tia.profile.person_id, pid)
    assert (refused.value.code, refused.value.field) == ("answers_locked", "answers")


def test_ending_rotates_the_key_to_the_trainee_who_keeps_the_history(app):
    tia, pat, pid = couple(app)
    session = log(app, keyed(app, tia), plug(app, tia), "")
    comment(app, pat, pid, session.id, "before the end")
    conversation.save_answers(
        app, tia.profile.person_id, pid, ANSWERS, submit=False, data_key=tia.data_key
    )
    with app.db.reading() as db:
        row = db.get(PairingRow, pid)
        assert row is not None
        old, _ = pairing_keys.open_for(db, row, pat.profile.person_id, pat.data_key)
    assert old is not None
    pairing.end_pairing(app, pat.profile.person_id, pid, data_key=pat.data_key)
    with app.db.reading() as db:
        row = db.get(PairingRow, pid)
        assert row is not None and row.partner_key is None
        new, _ = pairing_keys.open_for(db, row, tia.profile.person_id, tia.data_key)
        assert new is not None and new != old
        assert pairing_keys.open_for(db, row, pat.profile.person_id, pat.data_key) == (
            None,
            False,
        )
    # The trainee still reads the pairing's words; the old key opens none of them.
    assert read(app, tia, pid, session.id) == [("before the end", False)]
    mine = conversation.my_answers(app, tia.profile.person_id, pid, data_key=tia.data_key)
    assert mine.answers["goal_words"] == "feel at ease"
    for model, table, _ in pairing_keys.WORDS:
        for row_id, author, payload in stored(app, model):
            with pytest.raises(PayloadError):
                pairing_keys.codec(old).decode(payload, Context(table, author, row_id))


def test_ending_without_the_enders_key_still_deletes_the_partners_copy(app):
    tia, pat, pid = couple(app)
    session = log(app, keyed(app, tia), plug(app, tia), "")
    comment(app, pat, pid, session.id, "kept for the trainee")
    pairing.end_pairing(app, pat.profile.person_id, pid)  # an old sign-in: no key
    with app.db.reading() as db:
        row = db.get(PairingRow, pid)
        assert row is not None and row.partner_key is None and row.trainee_key is not None
    assert read(app, tia, pid, session.id) == [("kept for the trainee", False)]


def test_a_pairing_key_is_made_at_acceptance_and_opens_for_members_only(app):
    tia, pat, pid = couple(app)
    mallory = sign_up(app, "mallory")
    with app.db.reading() as db:
        row = db.get(PairingRow, pid)
        assert row is not None and row.trainee_key and row.partner_key
        keys = {
            who.profile.person_id: pairing_keys.open_for(db, row, who.profile.person_id, k)[0]
            for who, k in ((tia, tia.data_key), (pat, pat.data_key))
        }
        assert keys[tia.profile.person_id] == keys[pat.profile.person_id] is not None
        # Another person's data key, or a member's wrong key, opens nothing.
        assert (
            pairing_keys.open_for(db, row, mallory.profile.person_id, mallory.data_key)[0] is None
        )
        assert pairing_keys.open_for(db, row, tia.profile.person_id, pat.data_key)[0] is None


def test_a_check_in_note_is_sealed_under_the_pairing_key_and_rotated_at_the_end(app, clock):
    tia, pat, pid = couple(app)
    made = directives.create_directive(app, pat.profile.person_id, pid, nightly())
    directives.acknowledge_directive(app, tia.profile.person_id, pid, made.directive.id)
    checkins.check_in(
        app,
        tia.profile.person_id,
        pid,
        made.directive.id,
        day=clock.now.date(),
        result=CheckInResult.DONE,
        note="check-in words",
        data_key=tia.data_key,
    )
    [(row_id, person, payload)] = stored(app, CheckInRow)
    assert payload[:1] == HELD and b"check-in words" not in payload
    with pytest.raises(PayloadError):
        app.codec.decode(payload, Context("check_ins", person, row_id))

    def notes(who, key):
        found = checkins.list_check_ins(
            app, who.profile.person_id, pid, made.directive.id, data_key=key
        )
        return [(c.note, c.note_locked) for c in found]

    assert notes(pat, pat.data_key) == [("check-in words", False)]
    assert notes(tia, None) == [("", True)]
    # Compliance needs no note, and no key.
    assert checkins.compliance(app, pat.profile.person_id, pid).totals.done == 1
    pairing.end_pairing(app, tia.profile.person_id, pid, data_key=tia.data_key)
    assert notes(tia, tia.data_key) == [("check-in words", False)]
