"""Session notes under keys the people hold (services.sealed_notes), on a real database.

The owner's notes are sealed under their data key: the installation key, which the
server holds, does not open them. A partner who is shown notes reads a copy under the
pairing key, sealed to both members' X25519 keys; lowering the level, "don't share
this one" and ending the pairing delete the copies. Cheap Argon2 parameters.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from easein.domain.errors import Conflict
from easein.domain.sharing import SharingLevel
from easein.services import (
    accounts,
    exchange,
    goals,
    pairing_keys,
    report,
    sealed_notes,
    training,
)
from easein.services.together import pairing, views
from easein.settings import Settings
from easein.store.account_models import AccountRow
from easein.store.codec import Context, HeldKeyCodec, PayloadError
from easein.store.crypto import new_key
from easein.store.models import GoalRow, SessionRow
from easein.store.records import GOAL_NOTE_CONTEXT, NOTES_CONTEXT
from easein.store.together_models import PairingRow, SharedNoteRow
from tests.conftest import fast_hashing
from tests.services.held_helpers import couple, keyed, log, plug, sign_in, sign_up, unkeyed

L = SharingLevel


@pytest.fixture
def settings(database_url: str) -> Settings:
    return fast_hashing(Settings(database_url=database_url))


def row_of(app, session_id: int) -> SessionRow:
    with app.db.reading() as db:
        row = db.get(SessionRow, session_id)
        assert row is not None
        db.expunge(row)
        return row


def test_notes_logged_signed_in_open_only_with_the_data_key(app):
    alice = sign_up(app, "alice")
    made = log(app, keyed(app, alice), plug(app, alice), "marker-owner-7f3a")
    row = row_of(app, made.id)
    # The installation key's payload holds everything but the notes.
    payload = app.codec.decode(row.payload, Context("sessions", row.person_id, row.id))
    assert "notes" not in payload and payload["pain"] == 1
    assert row.private is not None and b"marker-owner-7f3a" not in row.private
    # The installation key does not open the notes: the server alone cannot read them.
    with pytest.raises(PayloadError):
        app.codec.decode(row.private, Context(NOTES_CONTEXT, row.person_id, row.id))
    # Signed in, they read as written; without the key, empty and said to be locked.
    mine = training.get_session(app, keyed(app, alice), made.id)
    assert (mine.notes, mine.notes_locked) == ("marker-owner-7f3a", False)
    locked = training.get_session(app, unkeyed(app, alice), made.id)
    assert (locked.notes, locked.notes_locked) == ("", True)
    assert [s.notes for s in training.history(app, keyed(app, alice))] == ["marker-owner-7f3a"]


def test_sealed_notes_do_not_open_with_another_key_row_or_owner(app):
    alice = sign_up(app, "alice")
    made = log(app, keyed(app, alice), plug(app, alice), "bound")
    row = row_of(app, made.id)
    assert alice.data_key is not None and row.private is not None
    held = HeldKeyCodec(alice.data_key, sealed_notes.DATA_KEY)
    place = Context(NOTES_CONTEXT, row.person_id, row.id)
    assert held.decode(row.private, place) == {"notes": "bound"}
    refused = [
        (HeldKeyCodec(new_key(), sealed_notes.DATA_KEY), place),  # another person's key
        (HeldKeyCodec(alice.data_key, pairing_keys.PAIRING_KEY), place),  # another purpose
        (held, place._replace(row_id=row.id + 1)),  # moved to another session
        (held, place._replace(owner_id=row.person_id + 1)),  # to another owner
        (held, place._replace(table="sessions")),  # to another column
    ]
    for codec, context in refused:
        with pytest.raises(PayloadError):
            codec.decode(row.private, context)
    for at in range(len(row.private)):
        flipped = bytearray(row.private)
        flipped[at] ^= 0x01
        with pytest.raises(PayloadError):
            held.decode(bytes(flipped), place)


def test_notes_logged_without_the_key_move_under_it_at_the_next_sign_in(app):
    alice = sign_up(app, "alice")
    item = plug(app, alice)
    before = log(app, unkeyed(app, alice), item, "written from the command line")
    row = row_of(app, before.id)
    assert row.private is None  # in the payload, under the installation key, for now
    assert training.get_session(app, unkeyed(app, alice), before.id).notes == (
        "written from the command line"
    )
    again = sign_in(app, "alice")
    row = row_of(app, before.id)
    assert row.private is not None
    payload = app.codec.decode(row.payload, Context("sessions", row.person_id, row.id))
    assert "notes" not in payload
    assert training.get_session(app, keyed(app, again), before.id).notes == (
        "written from the command line"
    )
    assert training.get_session(app, unkeyed(app, again), before.id).notes_locked


def test_export_and_a_report_with_notes_refuse_without_the_key_and_work_with_it(app):
    alice = sign_up(app, "alice")
    log(app, keyed(app, alice), plug(app, alice), "exported words")
    for call in (
        lambda p: exchange.export_document(app, p),
        lambda p: exchange.export_sessions_csv(app, p),
        lambda p: report.clinician_report(app, p, None, None, notes=True),
    ):
        with pytest.raises(Conflict) as refused:
            call(unkeyed(app, alice))
        assert (refused.value.code, refused.value.field) == ("notes_locked", "notes")
    document = exchange.export_document(app, keyed(app, alice))
    assert [s["notes"] for s in document["sessions"]] == ["exported words"]
    assert "exported words" in exchange.export_sessions_csv(app, keyed(app, alice))
    # A report without notes needs no key.
    assert report.clinician_report(app, unkeyed(app, alice), None, None).notes is None


def partner_sees(app, pat: accounts.Principal, pid: int, *, key: bytes | None = None) -> list:
    listed = views.shared_sessions(app, pat.profile.person_id, pid, data_key=key)
    return [s.get("notes") for s in listed]


def copies(app, pid: int) -> int:
    with app.db.reading() as db:
        return db.scalar(
            select(func.count()).select_from(SharedNoteRow).where(SharedNoteRow.pairing_id == pid)
        )


def test_the_partner_reads_shared_notes_through_the_pairing_key_and_nobody_else(app):
    tia, pat, pid = couple(app)
    made = log(app, keyed(app, tia), plug(app, tia), "for pat only")
    assert copies(app, pid) == 1
    assert partner_sees(app, pat, pid, key=pat.data_key) == ["for pat only"]
    one = views.shared_session(app, pat.profile.person_id, pid, made.id, data_key=pat.data_key)
    assert one["notes"] == "for pat only"
    # The partner's request without their key (an old sign-in) gets no notes.
    assert partner_sees(app, pat, pid) == [""]
    with app.db.reading() as db:
        row = db.get(PairingRow, pid)
        assert row is not None and row.trainee_key and row.partner_key
        copy = db.get(SharedNoteRow, (pid, made.id))
        assert copy is not None and b"for pat only" not in copy.payload
        # The copy does not open with the installation key, nor with the trainee's data key.
        assert tia.data_key is not None
        for codec in (app.codec, HeldKeyCodec(tia.data_key, sealed_notes.DATA_KEY)):
            with pytest.raises(PayloadError):
                codec.decode(copy.payload, Context(sealed_notes.SHARED_CONTEXT, 0, made.id))
    # A third person's data key opens neither sealed copy of the pairing key.
    mallory = sign_up(app, "mallory")
    with app.db.reading() as db:
        row = db.get(PairingRow, pid)
        assert row is not None
        assert (
            sealed_notes.partner_notes(
                db, row, mallory.profile.person_id, mallory.data_key, [made.id]
            )
            == {}
        )


@pytest.mark.parametrize(
    "change",
    [
        pytest.param("level_full", id="sharing.full_shows_no_notes"),
        pytest.param("unshare", id="sharing.dont_share_this_one"),
        pytest.param("end", id="pairing.ending_deletes_the_partners_copies_and_key"),
    ],
)
def test_copies_go_when_the_notes_are_no_longer_shared(app, change):
    tia, pat, pid = couple(app)
    made = log(app, keyed(app, tia), plug(app, tia), "soon gone")
    assert copies(app, pid) == 1
    me = tia.profile.person_id
    if change == "level_full":
        pairing.change_sharing(app, me, pid, L.FULL, data_key=tia.data_key)
        assert partner_sees(app, pat, pid, key=pat.data_key) == [None]
    elif change == "unshare":
        pairing.set_session_shared(app, me, made.id, shared=False, data_key=tia.data_key)
    else:
        with app.db.reading() as db:
            before = db.get(PairingRow, pid)
            assert before is not None
            trainee_key = before.trainee_key
        pairing.end_pairing(app, pat.profile.person_id, pid, data_key=pat.data_key)
        with app.db.reading() as db:
            row = db.get(PairingRow, pid)
            assert row is not None and row.partner_key is None
            assert row.trainee_key not in (None, trainee_key)  # rotated, the trainee's only
    assert copies(app, pid) == 0


def test_raising_the_level_or_sharing_again_copies_the_notes_back(app):
    tia, pat, pid = couple(app, L.FULL)
    item = plug(app, tia)
    made = log(app, keyed(app, tia), item, "later shared")
    assert copies(app, pid) == 0  # FULL shows no notes: no copy is made
    me = tia.profile.person_id
    pairing.change_sharing(app, me, pid, L.FULL_WITH_NOTES, data_key=tia.data_key)
    assert partner_sees(app, pat, pid, key=pat.data_key) == ["later shared"]
    pairing.set_session_shared(app, me, made.id, shared=False, data_key=tia.data_key)
    assert copies(app, pid) == 0
    pairing.set_session_shared(app, me, made.id, shared=True, data_key=tia.data_key)
    assert partner_sees(app, pat, pid, key=pat.data_key) == ["later shared"]


def test_a_level_raised_without_the_key_is_caught_up_at_the_trainees_next_sign_in(app):
    tia, pat, pid = couple(app, L.FULL)
    log(app, keyed(app, tia), plug(app, tia), "caught up")
    pairing.change_sharing(app, tia.profile.person_id, pid, L.FULL_WITH_NOTES)  # no key
    assert partner_sees(app, pat, pid, key=pat.data_key) == [""]
    sign_in(app, "tia")
    assert partner_sees(app, pat, pid, key=pat.data_key) == ["caught up"]


def test_a_partner_whose_key_pair_was_replaced_gets_the_pairing_key_sealed_again(app):
    tia, pat, pid = couple(app)
    item = plug(app, tia)
    log(app, keyed(app, tia), item, "first")
    # An operator sets Pat's password behind EaseIn's back: Pat's next sign-in gets a new
    # data key and key pair, and Pat's sealed copy of the pairing key no longer opens.
    digest = accounts.hasher(app).hash("another long passphrase")
    with app.db.writing() as db:
        db.execute(
            update(AccountRow).where(AccountRow.id == pat.account_id).values(password_hash=digest)
        )
    pat = accounts.authenticate(
        app, accounts.login(app, username="pat", password="another long passphrase")
    )
    with app.db.reading() as db:
        row = db.get(PairingRow, pid)
        assert row is not None and row.partner_key is None and row.trainee_key is not None
    assert partner_sees(app, pat, pid, key=pat.data_key) == [""]
    # The trainee's next write seals the same key to Pat's new pair: the old copies open.
    log(app, keyed(app, tia), item, "second")
    assert partner_sees(app, pat, pid, key=pat.data_key) == ["second", "first"]


def test_a_sign_in_leaves_copies_that_are_up_to_date_as_they_are(app):
    tia, pat, pid = couple(app)
    log(app, keyed(app, tia), plug(app, tia), "kept")
    with app.db.reading() as db:
        before = db.scalars(select(SharedNoteRow.payload)).all()
    sign_in(app, "tia")
    with app.db.reading() as db:
        assert db.scalars(select(SharedNoteRow.payload)).all() == before


def test_an_altered_copy_reads_as_no_notes_not_an_error(app):
    tia, pat, pid = couple(app)
    log(app, keyed(app, tia), plug(app, tia), "altered")
    with app.db.writing() as db:
        db.execute(update(SharedNoteRow).values(payload=b"\x03" + bytes(40)))
    assert partner_sees(app, pat, pid, key=pat.data_key) == [""]


def test_sharing_a_session_again_without_the_key_keeps_the_rest_and_catches_up(app):
    tia, pat, pid = couple(app)
    item, me = plug(app, tia), tia.profile.person_id
    first = log(app, keyed(app, tia), item, "first")
    log(app, keyed(app, tia), item, "second")
    pairing.set_session_shared(app, me, first.id, shared=False, data_key=tia.data_key)
    assert copies(app, pid) == 1
    pairing.set_session_shared(app, me, first.id, shared=True)  # an old sign-in: no key
    assert partner_sees(app, pat, pid, key=pat.data_key) == ["second", ""]
    sign_in(app, "tia")
    assert partner_sees(app, pat, pid, key=pat.data_key) == ["second", "first"]


def goal_row(app, who):
    with app.db.reading() as db:
        row = db.scalars(select(GoalRow).where(GoalRow.person_id == who.profile.person_id)).one()
        db.expunge(row)
        return row


def test_a_goals_note_is_sealed_under_the_data_key_like_the_session_notes(app):
    alice = sign_up(app, "alice")
    goals.set_goal(app, keyed(app, alice), target_mm=38.0, note="why-7f3a")
    row = goal_row(app, alice)
    payload = app.codec.decode(row.payload, Context("goals", row.person_id, row.id))
    assert "note" not in payload and payload["target_mm"] == 38.0
    assert row.private is not None and b"why-7f3a" not in row.private
    with pytest.raises(PayloadError):
        app.codec.decode(row.private, Context(GOAL_NOTE_CONTEXT, row.person_id, row.id))
    mine = goals.get_goal(app, keyed(app, alice))
    assert mine is not None and (mine.note, mine.note_locked) == ("why-7f3a", False)
    locked = goals.get_goal(app, unkeyed(app, alice))
    assert locked is not None and (locked.note, locked.note_locked) == ("", True)
    assert exchange.export_document(app, keyed(app, alice))["goal"]["note"] == "why-7f3a"
    with pytest.raises(Conflict):
        exchange.export_document(app, unkeyed(app, alice))
    # Set again without the key and without a note: the sealed note is kept, not wiped.
    goals.set_goal(app, unkeyed(app, alice), target_mm=40.0)
    kept = goals.get_goal(app, keyed(app, alice))
    assert kept is not None and (kept.target_mm, kept.note) == (40.0, "why-7f3a")
    # A new note without the key replaces it, under the installation key until sign-in.
    goals.set_goal(app, unkeyed(app, alice), target_mm=40.0, note="newer")
    assert goal_row(app, alice).private is None
    sign_in(app, "alice")
    assert goal_row(app, alice).private is not None
    again = goals.get_goal(app, keyed(app, alice))
    assert again is not None and again.note == "newer"
