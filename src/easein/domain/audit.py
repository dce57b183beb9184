"""The pairing's audit log: who did what and when, append-only, readable by both.

Both people read the log, so an event's details are allow-listed per kind:
ids, numbers, levels and states only, never a note, a reason text or anything
medical. Appending refuses an event older than the last one, and nothing in
the domain edits or removes an event.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from easein.domain.errors import InvalidInput


class AuditKind(StrEnum):
    INVITATION_CREATED = "invitation_created"
    INVITATION_ACCEPTED = "invitation_accepted"
    SUMMARY_ACCEPTED = "summary_accepted"
    PAIRING_ACTIVATED = "pairing_activated"
    PAIRING_ENDED = "pairing_ended"
    WORDS_CHANGED = "words_changed"
    AGREEMENT_VERSION_CREATED = "agreement_version_created"
    AGREEMENT_REOPENED = "agreement_reopened"
    AGREEMENT_SIGNED = "agreement_signed"
    DIRECTIVE_CREATED = "directive_created"
    DIRECTIVE_EDITED = "directive_edited"
    DIRECTIVE_ACKNOWLEDGED = "directive_acknowledged"
    DIRECTIVE_ENDED = "directive_ended"
    DIRECTIVE_REFUSED = "directive_refused"  # safety refused it at creation or edit
    SHARING_CHANGED = "sharing_changed"
    SESSION_SHARING_CHANGED = "session_sharing_changed"  # "don't share this one" set or lifted
    STOP_AND_TALK_CALLED = "stop_and_talk_called"
    STOP_AND_TALK_RESUMED = "stop_and_talk_resumed"


Detail = str | int | bool | None

# The detail keys each kind may carry: an allow-list, so no free text slips in.
DETAIL_KEYS: Mapping[AuditKind, frozenset[str]] = {
    AuditKind.INVITATION_CREATED: frozenset(),
    AuditKind.INVITATION_ACCEPTED: frozenset(),
    AuditKind.SUMMARY_ACCEPTED: frozenset({"sharing"}),
    AuditKind.PAIRING_ACTIVATED: frozenset({"sharing"}),
    AuditKind.PAIRING_ENDED: frozenset(),
    AuditKind.WORDS_CHANGED: frozenset({"trainee_word", "partner_word"}),
    AuditKind.AGREEMENT_VERSION_CREATED: frozenset({"version", "based_on", "fields_changed"}),
    AuditKind.AGREEMENT_REOPENED: frozenset({"version", "based_on"}),
    AuditKind.AGREEMENT_SIGNED: frozenset({"version", "in_force"}),
    AuditKind.DIRECTIVE_CREATED: frozenset({"directive_id", "kind", "item_id"}),
    AuditKind.DIRECTIVE_EDITED: frozenset({"directive_id", "revision", "fields_changed"}),
    AuditKind.DIRECTIVE_ACKNOWLEDGED: frozenset({"directive_id", "revision"}),
    AuditKind.DIRECTIVE_ENDED: frozenset({"directive_id"}),
    AuditKind.DIRECTIVE_REFUSED: frozenset({"kind", "item_id", "rule"}),
    AuditKind.SHARING_CHANGED: frozenset({"before", "after"}),
    AuditKind.SESSION_SHARING_CHANGED: frozenset({"shared"}),
    AuditKind.STOP_AND_TALK_CALLED: frozenset({"stop_id"}),
    AuditKind.STOP_AND_TALK_RESUMED: frozenset({"stop_id"}),
}
MAX_DETAIL = 200


@dataclass(frozen=True)
class AuditEvent:
    """One entry: in which pairing, who (a person id), when (aware UTC), what, and plain details."""

    pairing_id: int
    actor_id: int
    at: datetime
    kind: AuditKind
    details: tuple[tuple[str, Detail], ...] = ()  # sorted by key

    def detail(self, key: str) -> Detail:
        return dict(self.details).get(key)


def audit_event(
    pairing_id: int,
    actor_id: int,
    at: datetime,
    kind: AuditKind,
    details: Mapping[str, Detail] | None = None,
) -> AuditEvent:
    """Return an event, refusing a detail the kind does not allow or a naive time."""
    if at.utcoffset() is None:
        raise InvalidInput("at must carry a time zone (UTC)", field="at", code="naive_datetime")
    given = dict(details or {})
    unknown = set(given) - DETAIL_KEYS[kind]
    if unknown:
        raise InvalidInput(
            f"{kind.value} does not record {', '.join(sorted(unknown))}",
            field="details",
            code="unknown_detail",
        )
    for key, value in given.items():
        if not isinstance(value, str | int | bool | None) or (
            isinstance(value, str) and len(value) > MAX_DETAIL
        ):
            raise InvalidInput(f"detail {key} must be a short plain value", field="details")
    return AuditEvent(pairing_id, actor_id, at, kind, tuple(sorted(given.items())))


def append(log: Sequence[AuditEvent], event: AuditEvent) -> tuple[AuditEvent, ...]:
    """Return the log with `event` added at the end; an event older than the last is refused."""
    if log and event.pairing_id != log[-1].pairing_id:
        raise InvalidInput("each pairing has its own audit log", field="pairing")
    if log and event.at < log[-1].at:
        raise InvalidInput(
            "an audit event cannot be older than the last one", field="at", code="out_of_order"
        )
    return (*log, event)
