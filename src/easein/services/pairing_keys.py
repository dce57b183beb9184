"""The pairing key: what two people in a pairing seal their shared words under.

32 random bytes, stored only sealed to each member's X25519 public key
(`store.custody.seal_to`: ECIES with an ephemeral key), in `pairings.trainee_key` and
`pairings.partner_key`. A member opens their copy with their private key, which their
data key unwraps, so only a sign-in that holds a member's data key opens it: not the
operator with the database and the installation key.

Under it (format 3, `store.codec.HeldKeyCodec`, purpose "pairing-key"): the partner's
copies of the session notes (`services.sealed_notes`), the comments, the guided
conversation's answers and the notes of check-ins on directives. What was written
before a pairing key existed, or by a sign-in that does not hold its writer's data
key, stays under the installation key.

- **Made** by the first write that needs it, once both members have a key pair.
- **Repaired**: a member whose key pair was replaced (a password set behind EaseIn's
  back) loses their copy; the other member's next write seals the same key to them
  again. If both lost theirs, what was sealed under it cannot be read any more.
- **Rotated when the pairing ends**: a new key, sealed to the trainee only, and
  everything under the old one sealed again under it, so the trainee keeps the
  pairing's history and the partner's copy of a key that opens anything is gone.
  Without the ender's data key (a sign-in older than it), the partner's copy is
  deleted and the key is not replaced.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session as DbSession

from easein.services import account_keys
from easein.services.app import App
from easein.store.account_models import AccountKeyRow, AccountRow
from easein.store.codec import HELD, Context, HeldKeyCodec, PayloadError
from easein.store.crypto import DecryptionFailed, new_key
from easein.store.custody import open_sealed, seal_to
from easein.store.together_models import (
    CheckInRow,
    CommentRow,
    ConversationAnswersRow,
    DirectiveRow,
    PairingRow,
)

PAIRING_KEY = "pairing-key"

# The payloads sealed under the pairing key (when one was at hand): their table (the
# context's), the column of their context's owner, and how to find a pairing's rows.
WORDS: tuple[tuple[Any, str, str], ...] = (
    (CommentRow, "comments", "author_id"),
    (ConversationAnswersRow, "conversation_answers", "author_id"),
    (CheckInRow, "check_ins", "person_id"),
)


def codec(key: bytes) -> HeldKeyCodec:
    return HeldKeyCodec(key, PAIRING_KEY)


def open_for(
    db: DbSession,
    pairing: PairingRow,
    person_id: int,
    data_key: bytes | None,
    *,
    make: bool = False,
) -> tuple[bytes | None, bool]:
    """The pairing key as the member `person_id` opens it with `data_key`, and whether it
    was made just now. With `make` (in a write): made if neither member has a copy,
    and sealed again to the other member if they lost theirs. None if it does not open
    for them or cannot be made (a member with no key pair yet)."""
    if data_key is None:
        return None, False
    mine = pairing.trainee_key if person_id == pairing.trainee_id else pairing.partner_key
    if mine is None:
        if not make or pairing.ended_at is not None:
            return None, False
        if pairing.trainee_key is None and pairing.partner_key is None:
            key = _seal_new(db, pairing)
            return key, key is not None
        return None, False  # only the other member can seal it to me again
    keys = _keys_of(db, person_id)
    if keys is None:
        return None, False
    try:
        pair = account_keys.key_pair(db, keys.account_id, data_key)
        key = open_sealed(pair, mine, label=_label(pairing, person_id))
    except DecryptionFailed:
        return None, False
    if make and pairing.ended_at is None:
        _repair(db, pairing, key)
    return key, False


def seal_words(app: App, key: bytes | None, data: dict[str, Any], context: Context) -> bytes:
    """A payload of the couple's words: under the pairing key if at hand, else the
    installation key's codec."""
    if key is None:
        return app.codec.encode(data, context)
    return codec(key).encode(data, context)


def open_words(app: App, key: bytes | None, blob: bytes, context: Context) -> dict[str, Any] | None:
    """The payload of the couple's words; None if sealed under the pairing key and this
    caller does not hold it (or it was altered)."""
    if blob[:1] != HELD:
        return app.codec.decode(blob, context)
    if key is None:
        return None
    try:
        return codec(key).decode(blob, context)
    except PayloadError:
        return None


def end(db: DbSession, pairing: PairingRow, person_id: int, data_key: bytes | None) -> None:
    """The pairing ended (in the caller's write): rotate the key to the trainee only."""
    old, _ = open_for(db, pairing, person_id, data_key)
    pairing.partner_key = None
    if old is None:
        return
    trainee = _keys_of(db, pairing.trainee_id)
    if trainee is None:  # pragma: no cover - the trainee's copy existed, so their keys do
        return
    new = new_key()
    pairing.trainee_key = seal_to(
        trainee.public_key, new, label=_label(pairing, pairing.trainee_id)
    )
    before, after = codec(old), codec(new)
    for model, table, owner in WORDS:
        for row in db.scalars(_of_pairing(model, pairing.id)):
            if row.payload[:1] != HELD:
                continue
            context = Context(table, getattr(row, owner), row.id)
            try:
                row.payload = after.encode(before.decode(row.payload, context), context)
            except PayloadError:  # altered in the database: unreadable either way
                continue


def _of_pairing(model: Any, pairing_id: int) -> Any:
    """The rows of `model` that belong to the pairing (a check-in through its directive)."""
    if model is CheckInRow:
        directives = select(DirectiveRow.id).where(DirectiveRow.pairing_id == pairing_id)
        return select(CheckInRow).where(CheckInRow.directive_id.in_(directives))
    return select(model).where(model.pairing_id == pairing_id)


def forget_member(db: DbSession, person_id: int) -> None:
    """The person's key pair was replaced: their sealed copies no longer open; drop
    them, so that the other member seals the key to the new pair."""
    rows = db.scalars(
        select(PairingRow).where(
            or_(PairingRow.trainee_id == person_id, PairingRow.partner_id == person_id)
        )
    ).all()
    for pairing in rows:
        if person_id == pairing.trainee_id:
            pairing.trainee_key = None
        else:
            pairing.partner_key = None


def _label(pairing: PairingRow, person_id: int) -> str:
    role = "trainee" if person_id == pairing.trainee_id else "partner"
    return f"pairing-key/{pairing.id}/{role}"


def _keys_of(db: DbSession, person_id: int) -> AccountKeyRow | None:
    return db.scalars(
        select(AccountKeyRow)
        .join(AccountRow, AccountRow.id == AccountKeyRow.account_id)
        .where(AccountRow.person_id == person_id)
    ).first()


def _seal_new(db: DbSession, pairing: PairingRow) -> bytes | None:
    trainee, partner = _keys_of(db, pairing.trainee_id), _keys_of(db, pairing.partner_id)
    if trainee is None or partner is None:
        return None
    key = new_key()
    pairing.trainee_key = seal_to(
        trainee.public_key, key, label=_label(pairing, pairing.trainee_id)
    )
    pairing.partner_key = seal_to(
        partner.public_key, key, label=_label(pairing, pairing.partner_id)
    )
    return key


def _repair(db: DbSession, pairing: PairingRow, key: bytes) -> None:
    """Seal the key again to a member who lost their copy (and has a key pair now)."""
    for person_id in (pairing.trainee_id, pairing.partner_id):
        has = pairing.trainee_key if person_id == pairing.trainee_id else pairing.partner_key
        if has is not None:
            continue
        keys = _keys_of(db, person_id)
        if keys is None:
            continue
        sealed = seal_to(keys.public_key, key, label=_label(pairing, person_id))
        if person_id == pairing.trainee_id:
            pairing.trainee_key = sealed
        else:
            pairing.partner_key = sealed
