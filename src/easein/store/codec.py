"""The payload codec: the sensitive content of a record goes through it, in one place.

Records keep what must be indexed or joined in columns; everything else lives
in one payload. Encryption at rest is a property of the codec, not of every
feature: `SealedCodec` (what the app runs) seals each payload with AES-256-GCM under
its owner's key, binding the table, the row id, the owner and the format version as
associated data, so a payload copied to another row, table or owner does not open.
`PlainCodec` is the unencrypted format, kept for reading rows written before
encryption existed and for tests of the format itself. `HeldKeyCodec` (format 3) seals
under a key the people hold instead of the installation key: the session notes under
the owner's data key, a partner's copy of them under the pairing key
(`services.sealed_notes`).
"""

from __future__ import annotations

from typing import Any, NamedTuple, Protocol

import orjson

from easein.store.crypto import Aead, derive_key

PLAIN = b"\x01"
SEALED = b"\x02"
HELD = b"\x03"  # sealed under a key the people hold (a data key, a pairing key)


class Context(NamedTuple):
    """Where a payload lives: the sealing binds all three as associated data.

    `table` names the table (and the column, where a row has two payloads);
    `row_id` is the row's primary key; `owner_id` the person whose key seals it
    (0 for the server's own secrets). A named tuple: it is made for every row read.
    """

    table: str
    owner_id: int
    row_id: int

    def associated_data(self) -> bytes:
        return _AD % (self.table.encode(), self.row_id, self.owner_id)


# The format version (SEALED), the table, the row id, the owner.
_AD = b"easein\x00\x02\x00%b\x00%d\x00%d"


class PayloadError(ValueError):
    """A payload could not be read: unknown format, or it does not open here."""


class PayloadCodec(Protocol):
    def encode(self, data: dict[str, Any], context: Context) -> bytes: ...

    def decode(self, blob: bytes, context: Context) -> dict[str, Any]: ...


def _plain(blob: bytes, context: Context) -> dict[str, Any]:
    try:
        result: dict[str, Any] = orjson.loads(blob[1:])
    except orjson.JSONDecodeError:
        raise PayloadError(f"a payload in {context.table} is damaged") from None
    return result


class PlainCodec:
    """JSON (orjson) payloads with a one-byte format version, not encrypted."""

    VERSION = PLAIN

    def encode(self, data: dict[str, Any], context: Context) -> bytes:
        return PLAIN + orjson.dumps(data)

    def decode(self, blob: bytes, context: Context) -> dict[str, Any]:
        if blob[:1] != PLAIN:
            raise PayloadError(f"unknown payload format in {context.table}")
        return _plain(blob, context)


class SealedCodec:
    """Payloads sealed per owner: AES-256-GCM under HKDF(installation key, owner).

    Rows written before encryption existed (format 1, plain) are sealed on the first
    start with a key (`store.reseal`); a plain payload met afterwards can only have
    been put there behind EaseIn's back, and is refused unless `accept_plain`.
    """

    def __init__(self, master_key: bytes, *, accept_plain: bool = False):
        self._master = master_key
        self._accept_plain = accept_plain
        self._keys: dict[int, Aead] = {}

    def _aead(self, owner_id: int) -> Aead:
        aead = self._keys.get(owner_id)
        if aead is None:
            aead = Aead(derive_key(self._master, f"easein/data-key/v1/owner:{owner_id}"))
            self._keys[owner_id] = aead
        return aead

    def encode(self, data: dict[str, Any], context: Context) -> bytes:
        aead = self._aead(context.owner_id)
        return SEALED + aead.seal(orjson.dumps(data), context.associated_data())

    def decode(self, blob: bytes, context: Context) -> dict[str, Any]:
        if blob[:1] == SEALED:
            opened = self._aead(context.owner_id).open_or_none(
                blob[1:], _AD % (context.table.encode(), context.row_id, context.owner_id)
            )
            if opened is None:
                raise PayloadError(f"a payload in {context.table} does not open with this key")
            result: dict[str, Any] = orjson.loads(opened)
            return result
        if blob[:1] == PLAIN and self._accept_plain:
            return _plain(blob, context)
        raise PayloadError(f"unknown payload format in {context.table}")


class KeyNotHeld(PayloadError):
    """The payload is sealed under a key this request does not hold (nobody signed in)."""


class HeldKeyCodec:
    """Payloads sealed under a key only people hold (format 3), not the installation key.

    `purpose` names what the key is (an account's data key, a pairing key) and is bound,
    with the table, row and owner, into the associated data, so a payload does not open
    under another purpose, place or owner even with the same key.
    """

    def __init__(self, key: bytes, purpose: str):
        self._aead = Aead(derive_key(key, f"easein/held/v1/{purpose}"))
        self._purpose = purpose.encode()

    def _ad(self, context: Context) -> bytes:
        return _HELD_AD % (self._purpose, context.table.encode(), context.row_id, context.owner_id)

    def encode(self, data: dict[str, Any], context: Context) -> bytes:
        return HELD + self._aead.seal(orjson.dumps(data), self._ad(context))

    def decode(self, blob: bytes, context: Context) -> dict[str, Any]:
        if blob[:1] != HELD:
            raise PayloadError(f"unknown payload format in {context.table}")
        opened = self._aead.open_or_none(blob[1:], self._ad(context))
        if opened is None:
            raise PayloadError(f"a payload in {context.table} does not open with this key")
        result: dict[str, Any] = orjson.loads(opened)
        return result


# The format version (HELD), the key's purpose, the table, the row id, the owner.
_HELD_AD = b"easein\x00\x03\x00%b\x00%b\x00%d\x00%d"


def add_sealed(
    db: Any,
    row: Any,
    codec: PayloadCodec,
    data: dict[str, Any],
    table: str,
    owner_id: int,
) -> Any:
    """Insert `row` and seal `data` into its payload, bound to the id the insert gave it.

    The row is flushed with an empty payload first (inside the caller's transaction,
    so nobody ever sees it) and the sealed payload follows in the same transaction.
    """
    row.payload = b""
    db.add(row)
    db.flush()
    row.payload = codec.encode(data, Context(table, owner_id, row.id))
    return row


def add_all_sealed(
    db: Any,
    pairs: list[tuple[Any, dict[str, Any]]],
    codec: PayloadCodec,
    table: str,
    owner_id: int,
) -> None:
    """`add_sealed` for many rows of one table and owner: one insert flush, then seal."""
    for row, _ in pairs:
        row.payload = b""
        db.add(row)
    db.flush()
    for row, data in pairs:
        row.payload = codec.encode(data, Context(table, owner_id, row.id))
