"""The couple's words under the pairing key (services.pairing_keys), on a real database.

Comments and the guided conversation's answers written by a sign-in that holds its
writer's data key are sealed under the pairing key: both members read them, the
installation key does not open them, and ending the pairing rotates the key to the
trainee only, with everything under it sealed again. Cheap Argon2 parameters.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from easein.domain.errors import Conflict
from easein.services import pairing_keys
from easein.services.together import comments, conversation, pairing
from easein.services.together.comments import Target
from easein.settings import Settings
from easein.store.codec import HELD, SEALED, Context, PayloadError
from easein.store.together_models import CommentRow, ConversationAnswersRow, PairingRow
from tests.conftest import fast_hashing
from tests.services.held_helpers import couple, keyed, log, plug, sign_up

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
    with app.db.reading() as db:
        return [(r.id, r.author_id, bytes(r.payload)) for r in db.scalars(select(model))]


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
    for model, table in pairing_keys.WORDS:
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
