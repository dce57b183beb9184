"""The audit log: append-only, allow-listed details, who and when."""

from __future__ import annotations

from datetime import timedelta

import pytest

from easein.domain.audit import DETAIL_KEYS, AuditKind, append, audit_event
from easein.domain.errors import InvalidInput
from tests.domain.factories import T0
from tests.domain.together import PARTNER, TRAINEE

H = timedelta(hours=1)


def test_every_kind_the_issue_lists_exists():
    names = {k.value for k in AuditKind}
    assert {
        "agreement_version_created", "agreement_signed", "agreement_reopened",
        "directive_created", "directive_edited", "directive_ended",
        "sharing_changed", "session_sharing_changed",
        "stop_and_talk_called", "stop_and_talk_resumed",
    } <= names  # fmt: skip
    assert set(DETAIL_KEYS) == set(AuditKind)


def test_an_event_records_who_when_what_and_details():
    event = audit_event(
        7, TRAINEE, T0, AuditKind.SHARING_CHANGED, {"before": "full", "after": "summary"}
    )
    assert (event.pairing_id, event.actor_id, event.at, event.kind) == (
        7,
        TRAINEE,
        T0,
        AuditKind.SHARING_CHANGED,
    )
    assert event.detail("after") == "summary"


@pytest.mark.parametrize(
    ("kind", "details"),
    [
        (AuditKind.STOP_AND_TALK_CALLED, {"reason": "it hurt"}),
        (AuditKind.DIRECTIVE_CREATED, {"note": "wear it all night"}),
        (AuditKind.SHARING_CHANGED, {"after": ["full"]}),
    ],
    ids=["audit.no_free_text_reason", "audit.no_directive_note", "audit.plain_values_only"],
)
def test_details_are_allow_listed(kind, details):
    with pytest.raises(InvalidInput):
        audit_event(7, PARTNER, T0, kind, details)


def test_the_log_is_append_only_in_time_order():
    first = audit_event(7, TRAINEE, T0, AuditKind.STOP_AND_TALK_CALLED, {"stop_id": 1})
    second = audit_event(7, TRAINEE, T0 + H, AuditKind.STOP_AND_TALK_RESUMED, {"stop_id": 1})
    log = append(append((), first), second)
    assert log == (first, second)
    with pytest.raises(InvalidInput):
        append(log, audit_event(7, PARTNER, T0, AuditKind.PAIRING_ENDED))
    with pytest.raises(InvalidInput):
        append(log, audit_event(8, PARTNER, T0 + 2 * H, AuditKind.PAIRING_ENDED))


def test_an_event_time_carries_a_zone():
    with pytest.raises(InvalidInput):
        audit_event(7, TRAINEE, T0.replace(tzinfo=None), AuditKind.PAIRING_ENDED)
