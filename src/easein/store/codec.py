"""The payload codec: the sensitive content of a record goes through it, in one place.

Records keep what must be indexed or joined in columns; everything else lives
in one payload. Encryption at rest becomes a property of the codec, not of
every feature: swap `PlainCodec` for an encrypting one and nothing else changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import orjson


@dataclass(frozen=True)
class Context:
    """What a payload belongs to; an encrypting codec binds it as associated data."""

    table: str
    owner_id: int


class PayloadCodec(Protocol):
    def encode(self, data: dict[str, Any], context: Context) -> bytes: ...

    def decode(self, blob: bytes, context: Context) -> dict[str, Any]: ...


class PlainCodec:
    """JSON (orjson) payloads with a one-byte format version, not encrypted."""

    VERSION = b"\x01"

    def encode(self, data: dict[str, Any], context: Context) -> bytes:
        return self.VERSION + orjson.dumps(data)

    def decode(self, blob: bytes, context: Context) -> dict[str, Any]:
        if blob[:1] != self.VERSION:
            raise ValueError(f"unknown payload format in {context.table}")
        result: dict[str, Any] = orjson.loads(blob[1:])
        return result
