"""Session notes under keys the people hold: the owner's data key, and a pairing key.

The notes are the person's own words about a session: the most intimate text EaseIn
keeps, and nothing unattended needs them (reminders, the calendar feed and the safety
rules read the rest of the session). So they are sealed where the installation key
does not open them:

- **The owner's**: a session logged by a sign-in that holds the data key
  (`Profile.data_key`) has its notes sealed under it in `SessionRow.private`. Logged
  without it (the command line, a sign-in made before data keys), the notes stay in
  the payload, under the installation key, until the person's next sign-in with the
  password moves them (`seal_pending`).
- **The partner's copy**, where the trainee shares notes (the sharing level lets
  notes through, the pairing has not ended, the session is not marked "don't share
  this one"): the same notes sealed under the pairing key (`services.pairing_keys`),
  which the partner opens with their own data key; nobody else can. Only the trainee,
  signed in, can make copies, since only they open the notes: when they choose the
  level, accept the summary, log a session or share one again. What could not be
  made then (a sign-in older than the data key) is marked stale and redone at their
  next sign-in with the password (`reshare`). Lowering the level, marking a session
  "don't share this one" or ending the pairing deletes the copies.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session as DbSession

from easein.domain.sharing import SharingLevel, shares_notes
from easein.services import pairing_keys
from easein.services.app import App
from easein.store.account_models import AccountRow
from easein.store.codec import Context, HeldKeyCodec, PayloadError
from easein.store.models import GoalRow, SessionRow
from easein.store.records import GOAL_NOTE_CONTEXT, NOTES_CONTEXT
from easein.store.together_models import PairingRow, SharedNoteRow, UnsharedSessionRow

DATA_KEY = "data-key"
SHARED_CONTEXT = "shared_notes"


def notes_codec(data_key: bytes | None) -> HeldKeyCodec | None:
    """The codec of a person's notes under their data key; None without the key."""
    return None if data_key is None else HeldKeyCodec(data_key, DATA_KEY)


def seal_notes(row: SessionRow, notes: str, held: HeldKeyCodec) -> None:
    """Seal `notes` into the (flushed) session row, under the owner's data key."""
    row.private = held.encode({"notes": notes}, Context(NOTES_CONTEXT, row.person_id, row.id))


def seal_pending(db: DbSession, app: App, account_id: int, data_key: bytes) -> int:
    """Move the notes still under the installation key under the data key (in the
    caller's write, at a sign-in with the password): the sessions', and the goal's;
    catch up the partners' copies.

    Returns how many sessions were moved.
    """
    person_id = db.scalar(select(AccountRow.person_id).where(AccountRow.id == account_id))
    if person_id is None:  # pragma: no cover - the caller just signed this account in
        return 0
    held = HeldKeyCodec(data_key, DATA_KEY)
    rows = db.scalars(
        select(SessionRow).where(SessionRow.person_id == person_id, SessionRow.private.is_(None))
    ).all()
    for row in rows:
        _move_under_key(app, held, row, "sessions", "notes", NOTES_CONTEXT)
    goal = db.scalars(
        select(GoalRow).where(GoalRow.person_id == person_id, GoalRow.private.is_(None))
    ).first()
    if goal is not None:  # the goal's note too ("why this matters to you")
        _move_under_key(app, held, goal, "goals", "note", GOAL_NOTE_CONTEXT)
    db.flush()
    for pairing in _sharing_pairings(db, person_id):
        # Notes just moved had been read from the payload; stale copies missed a change.
        if rows or pairing.copies_stale:
            reshare(db, pairing, data_key)
    return len(rows)


def _move_under_key(
    app: App, held: HeldKeyCodec, row: SessionRow | GoalRow, table: str, field: str, place: str
) -> None:
    """Take `field` out of the row's payload (installation key) and seal it into
    `row.private` under the data key, at `place`."""
    context = Context(table, row.person_id, row.id)
    data = app.codec.decode(row.payload, context)
    text = data.pop(field, "")
    row.payload = app.codec.encode(data, context)
    row.private = held.encode({field: text}, Context(place, row.person_id, row.id))


def reshare(db: DbSession, pairing: PairingRow, data_key: bytes | None) -> int:
    """Make the partner's copies what the pairing shares now (in the caller's write).

    If the pairing ended or does not share notes, every copy is deleted. Otherwise,
    with the trainee's data key, every copy is made again from the shared sessions'
    notes under the pairing key. A pairing not active yet gets its copies too (the
    trainee chose the level, and the partner accepted the pairing), so that the
    partner's acceptance, the last step, finds them made; the partner's views open
    only once it is active. Without the data key (a sign-in older than it) the copies
    cannot follow: those there stay, and the pairing is marked stale, for the
    trainee's next sign-in with the password. Returns how many copies were made.
    """
    if pairing.ended_at is not None or not shares_notes(SharingLevel(pairing.sharing)):
        db.execute(delete(SharedNoteRow).where(SharedNoteRow.pairing_id == pairing.id))
        pairing.copies_stale = False
        return 0
    key = None
    if data_key is not None:
        key, _ = pairing_keys.open_for(db, pairing, pairing.trainee_id, data_key, make=True)
    if data_key is None or key is None:  # no key the trainee opens, none can be made yet
        pairing.copies_stale = True
        return 0
    db.execute(delete(SharedNoteRow).where(SharedNoteRow.pairing_id == pairing.id))
    pairing.copies_stale = False
    hidden = select(UnsharedSessionRow.session_id).where(
        UnsharedSessionRow.person_id == pairing.trainee_id
    )
    rows = db.scalars(
        select(SessionRow).where(
            SessionRow.person_id == pairing.trainee_id,
            SessionRow.private.is_not(None),
            SessionRow.id.not_in(hidden),
        )
    ).all()
    held = HeldKeyCodec(data_key, DATA_KEY)
    found = []
    for row in rows:
        assert row.private is not None
        try:
            notes = held.decode(row.private, Context(NOTES_CONTEXT, row.person_id, row.id))
        except PayloadError:  # sealed under a data key the account lost: nothing to copy
            continue
        if notes.get("notes"):
            found.append((row.id, str(notes["notes"])))
    _write(db, pairing, key, found)
    return len(found)


def share_new(db: DbSession, person_id: int, data_key: bytes, session_id: int, notes: str) -> None:
    """Copy a just-logged session's notes to each partner who sees notes (caller's write)."""
    if not notes:
        return
    for pairing in _sharing_pairings(db, person_id):
        if not shares_notes(SharingLevel(pairing.sharing)):
            continue
        key, made = pairing_keys.open_for(db, pairing, person_id, data_key, make=True)
        if key is None:
            pairing.copies_stale = True
        elif made:  # the first pairing key: every note is copied under it
            reshare(db, pairing, data_key)
        else:
            _write(db, pairing, key, [(session_id, notes)])


def forget_session(db: DbSession, session_id: int) -> None:
    """Delete every partner's copy of one session's notes (it is not shared any more)."""
    db.execute(delete(SharedNoteRow).where(SharedNoteRow.session_id == session_id))


def partner_notes(
    db: DbSession,
    pairing: PairingRow,
    person_id: int,
    data_key: bytes | None,
    session_ids: Iterable[int],
) -> dict[int, str]:
    """The notes the partner (`person_id`, holding `data_key`) has copies of, by session."""
    wanted = list(session_ids)
    if data_key is None or not wanted:
        return {}
    key, _ = pairing_keys.open_for(db, pairing, person_id, data_key)
    if key is None:
        return {}
    held = pairing_keys.codec(key)
    found = {}
    for copy in db.scalars(
        select(SharedNoteRow).where(
            SharedNoteRow.pairing_id == pairing.id, SharedNoteRow.session_id.in_(wanted)
        )
    ):
        context = Context(SHARED_CONTEXT, pairing.trainee_id, copy.session_id)
        try:
            found[copy.session_id] = str(held.decode(copy.payload, context)["notes"])
        except PayloadError:  # altered in the database: shown as no notes, not a 500
            continue
    return found


def _sharing_pairings(db: DbSession, person_id: int) -> list[PairingRow]:
    """The pairings, not ended, in which the person is the trainee, locked for the write:
    two writers making a first pairing key at once would each seal their own."""
    return list(
        db.scalars(
            select(PairingRow)
            .where(PairingRow.trainee_id == person_id, PairingRow.ended_at.is_(None))
            .order_by(PairingRow.id)
            .with_for_update()
        )
    )


def _write(db: DbSession, pairing: PairingRow, key: bytes, notes: list[tuple[int, str]]) -> None:
    """Add the copies of new notes: every caller has just deleted the pairing's copies
    (`reshare`) or logged the session (`share_new`), so none exists yet."""
    held = pairing_keys.codec(key)
    for session_id, text in notes:
        context = Context(SHARED_CONTEXT, pairing.trainee_id, session_id)
        payload = held.encode({"notes": text}, context)
        db.add(SharedNoteRow(pairing_id=pairing.id, session_id=session_id, payload=payload))
    db.flush()
