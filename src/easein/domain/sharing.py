"""What a partner may see: the trainee's sharing level and the projections it allows.

Every projection is an allow-list: a field reaches the partner only if the
level names it, so a field added to a session or a status later stays private
until someone decides otherwise here. What must not exist for the partner
(nothing shared, or a session marked "don't share this one") projects to None;
the API answers 404 for it, not 403, so its existence does not leak either.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from enum import StrEnum
from typing import Any

from easein.domain.errors import InvalidInput


class SharingLevel(StrEnum):
    """What the trainee shares with the partner, from least to most."""

    NOTHING = "nothing"
    SUMMARY = "summary"  # done / not done, and the state name without medical details
    FULL = "full"  # full session reports, without the free notes
    FULL_WITH_NOTES = "full_with_notes"  # full reports and the free notes


# The keys of `present.session_json` each level lets through.
SESSION_FIELDS: Mapping[SharingLevel, frozenset[str]] = {
    SharingLevel.NOTHING: frozenset(),
    SharingLevel.SUMMARY: frozenset({"id", "kind", "started_at", "duration_min", "outcome"}),
    SharingLevel.FULL: frozenset(
        {
            "id",
            "kind",
            "started_at",
            "duration_min",
            "outcome",
            "items",
            "reached",
            "pain",
            "sharp",
            "comfort",
            "pleasure",
            "bleeding",
            "colour",
            "lube",
            "relubed",
            "warm_up",
            "breath_phase",
            "sensations",
            "orgasm",
            "mess",
        }
    ),
    SharingLevel.FULL_WITH_NOTES: frozenset(
        {
            "id",
            "kind",
            "started_at",
            "duration_min",
            "outcome",
            "items",
            "reached",
            "pain",
            "sharp",
            "comfort",
            "pleasure",
            "bleeding",
            "colour",
            "lube",
            "relubed",
            "warm_up",
            "breath_phase",
            "sensations",
            "orgasm",
            "mess",
            "notes",
        }
    ),
}

# The keys inside a session's nested objects (applied wherever the parent key is allowed).
SESSION_ITEM_FIELDS = frozenset({"id", "name"})
SESSION_REACHED_FIELDS = frozenset({"id", "name", "diameter_mm"})

# The keys of `present.safety_json` each level lets through. The state's reasons
# name bleeding, pain and conditions (with the person's own note): they are
# medical details, so SUMMARY shows the state name only, and a reason's message
# (which may quote a condition's note) waits for FULL_WITH_NOTES.
STATUS_FIELDS: Mapping[SharingLevel, frozenset[str]] = {
    SharingLevel.NOTHING: frozenset(),
    SharingLevel.SUMMARY: frozenset({"state"}),
    SharingLevel.FULL: frozenset({"state", "until", "reasons", "recommendation"}),
    SharingLevel.FULL_WITH_NOTES: frozenset({"state", "until", "reasons", "recommendation"}),
}
REASON_FIELDS: Mapping[SharingLevel, frozenset[str]] = {
    SharingLevel.NOTHING: frozenset(),
    SharingLevel.SUMMARY: frozenset(),
    SharingLevel.FULL: frozenset({"rule", "session_id"}),
    SharingLevel.FULL_WITH_NOTES: frozenset({"rule", "message", "session_id"}),
}
RECOMMENDATION_FIELDS = frozenset({"action", "item", "why"})
RECOMMENDATION_ITEM_FIELDS = frozenset({"id", "name", "diameter_mm"})


def shares_notes(level: SharingLevel) -> bool:
    """Whether the partner reads the trainee's session notes at this level."""
    return "notes" in SESSION_FIELDS[level]


def parse_level(text: str) -> SharingLevel:
    """Return the sharing level named by `text`."""
    try:
        return SharingLevel(text.strip().lower())
    except ValueError:
        allowed = ", ".join(level.value for level in SharingLevel)
        raise InvalidInput(
            f"unknown sharing level {text!r}: use one of {allowed}",
            field="sharing",
            code="unknown_sharing_level",
        ) from None


def _only(source: Mapping[str, Any], allowed: Collection[str]) -> dict[str, Any]:
    """Return the entries of `source` whose key is allowed (the allow-list, applied)."""
    return {key: value for key, value in source.items() if key in allowed}


def _nested(value: Any, allowed: Collection[str]) -> Any:
    """Return `value` cut to `allowed` keys: a dict, a list of dicts, or None."""
    if isinstance(value, Mapping):
        return _only(value, allowed)
    if isinstance(value, list | tuple):
        return [_only(v, allowed) for v in value if isinstance(v, Mapping)]
    return None


def project_session(
    session: Mapping[str, Any], level: SharingLevel, *, hidden: bool = False
) -> dict[str, Any] | None:
    """Return the partner's view of a session (`present.session_json` shape), or None.

    None means the session does not exist for the partner: nothing is shared,
    or the trainee marked this one "don't share".
    """
    if hidden or level is SharingLevel.NOTHING:
        return None
    view = _only(session, SESSION_FIELDS[level])
    if "items" in view:
        view["items"] = _nested(view["items"], SESSION_ITEM_FIELDS)
    if "reached" in view:
        view["reached"] = _nested(view["reached"], SESSION_REACHED_FIELDS)
    if "sensations" in view:
        found = view["sensations"]
        listed = found if isinstance(found, list | tuple) else ()
        view["sensations"] = [s for s in listed if isinstance(s, str)]
    return view


def project_sessions(
    sessions: Iterable[Mapping[str, Any]], level: SharingLevel, hidden_ids: Collection[int]
) -> list[dict[str, Any]]:
    """Return the partner's view of the sessions that exist for them, in the given order."""
    views = (project_session(s, level, hidden=_hidden(s.get("id"), hidden_ids)) for s in sessions)
    return [v for v in views if v is not None]


def _hidden(session_id: Any, hidden_ids: Collection[int]) -> bool:
    # An id that is not a plain int cannot be checked against the hidden ones: hide it.
    if not isinstance(session_id, int) or isinstance(session_id, bool):
        return True
    return session_id in hidden_ids


def visible_session_id(
    session_id: int | None, level: SharingLevel, hidden_ids: Collection[int]
) -> int | None:
    """Return `session_id` if that session exists for the partner, else None.

    For references to a session from elsewhere (a directive check-in, a reason).
    """
    if level is SharingLevel.NOTHING or _hidden(session_id, hidden_ids):
        return None
    return session_id


def project_status(
    status: Mapping[str, Any],
    level: SharingLevel,
    *,
    hidden_ids: Collection[int] = frozenset(),
) -> dict[str, Any] | None:
    """Return the partner's view of a safety status (`present.safety_json` shape), or None.

    A reason that cites a session the partner cannot see keeps its rule but
    loses the session id.
    """
    if level is SharingLevel.NOTHING:
        return None
    view = _only(status, STATUS_FIELDS[level])
    if "reasons" in view:
        reasons = view["reasons"] if isinstance(view["reasons"], list | tuple) else ()
        projected = []
        for reason in reasons:
            if not isinstance(reason, Mapping):
                continue
            cut = _only(reason, REASON_FIELDS[level])
            if "session_id" in cut:
                cut["session_id"] = visible_session_id(cut["session_id"], level, hidden_ids)
            projected.append(cut)
        view["reasons"] = projected
    if "recommendation" in view:
        recommendation = view["recommendation"]
        if isinstance(recommendation, Mapping):
            cut = _only(recommendation, RECOMMENDATION_FIELDS)
            if "item" in cut:
                cut["item"] = _nested(cut["item"], RECOMMENDATION_ITEM_FIELDS)
            view["recommendation"] = cut
        else:
            view["recommendation"] = None
    return view
