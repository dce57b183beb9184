"""The training API over real HTTP: every endpoint's happy path and documented shape, and
bad input (422 naming the field, never a 500, nothing written).

Every successful response is checked against the schema the OpenAPI document gives
for its operation and status. Bad input runs on one server for the module, each case
with a fresh person; "nothing written" compares GET /api/v1/export before and after.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.api.conftest import Clients, User, openapi_document, schema_problems

DOC = openapi_document()


def call(user: User, method: str, template: str, expect: int, **kwargs: Any) -> Any:
    """Send `method template` (path ids in `ids`) and check status and documented shape."""
    ids = kwargs.pop("ids", {})
    response = user.request(method, "/api/v1/" + template.format(**ids), **kwargs)
    assert response.status_code == expect, (method, template, response.status_code, response.text)
    problems = schema_problems(DOC, method, "/api/v1/" + template, response)
    assert not problems, problems
    return response.json() if response.content else None


TOY_KEYS = {
    "id", "name", "kind", "diameter_mm", "circumference_mm", "length_mm", "neck_mm", "base",
    "material", "retired", "usable", "refusal",
}  # fmt: skip


def add_toy(user: User, name: str, mm: float, base: str | None = "flared", **extra: Any) -> Any:
    body = {"name": name, "kind": extra.pop("kind", "plug"), "diameter_mm": mm, **extra}
    if base:
        body["base"] = base
    return call(user, "POST", "toys", 201, json=body)


def log(user: User, item_ids: list[int], **extra: Any) -> Any:
    body = {"duration_min": 20, "item_ids": item_ids, "pain": 1, "comfort": 7, **extra}
    return call(user, "POST", "sessions", 201, json=body)


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


# --- happy paths -----------------------------------------------------------------------------


def test_toys_add_list_get_edit_retire(owner: User):
    made = add_toy(owner, "medium", 23, length_mm=110, neck_mm=15, material="silicone")
    assert set(made) == TOY_KEYS
    assert made["circumference_mm"] == pytest.approx(72.3, abs=0.1)
    assert (made["usable"], made["refusal"], made["retired"]) == (True, None, False)
    small = add_toy(owner, "small", 20)
    loose = add_toy(owner, "loose", 25, base="none", kind="dildo")
    assert loose["usable"] is False and "toy.base_required" in loose["refusal"]
    finger = call(
        owner, "POST", "toys", 201, json={"name": "finger", "kind": "finger", "diameter_mm": 15}
    )
    assert finger["base"] == "body"

    listed = call(owner, "GET", "toys", 200)
    assert [t["name"] for t in listed] == ["finger", "small", "medium", "loose"]  # by size
    one = call(owner, "GET", "toys/{toy_id}", 200, ids={"toy_id": small["id"]})
    assert one == small

    edited = call(
        owner,
        "PATCH",
        "toys/{toy_id}",
        200,
        ids={"toy_id": small["id"]},
        json={"name": "small plug", "diameter_mm": 21.5, "material": "glass"},
    )
    assert (edited["name"], edited["diameter_mm"], edited["material"]) == (
        "small plug",
        21.5,
        "glass",
    )
    assert edited["kind"] == "plug" and edited["base"] == "flared"  # unchanged fields stay

    retired = call(
        owner, "PATCH", "toys/{toy_id}", 200, ids={"toy_id": small["id"]}, json={"retired": True}
    )
    assert retired["retired"] is True
    assert "small plug" not in [t["name"] for t in call(owner, "GET", "toys", 200)]
    everything = call(owner, "GET", "toys", 200, params={"include_retired": "true"})
    assert "small plug" in [t["name"] for t in everything]
    back = call(
        owner, "PATCH", "toys/{toy_id}", 200, ids={"toy_id": small["id"]}, json={"retired": False}
    )
    assert back["retired"] is False
    assert len(call(owner, "GET", "toys", 200)) == 4


def test_the_ladder_orders_usable_items_by_size(owner: User):
    for name, mm in [("large", 26), ("small", 20), ("medium", 23)]:
        add_toy(owner, name, mm)
    add_toy(owner, "loose", 22, base="none", kind="dildo")
    ladder = call(owner, "GET", "ladder", 200)
    assert set(ladder) == {"earned_mm", "earned", "next", "next_within_step", "rungs", "gaps"}
    assert [r["diameter_mm"] for r in ladder["rungs"]] == [20, 23, 26]
    assert [r["items"] for r in ladder["rungs"]] == [["small"], ["medium"], ["large"]]
    assert ladder["earned_mm"] is None and ladder["earned"] is None
    assert ladder["next"] == 20
    assert all(set(g) == {"below_mm", "above_mm", "look_for_mm"} for g in ladder["gaps"])


def test_sessions_log_list_get_and_filter_by_local_day_and_kind(clients: Clients):
    user = clients.sign_up("berlin", timezone="Europe/Berlin")
    small = add_toy(user, "small", 20)["id"]
    medium = add_toy(user, "medium", 23)["id"]
    # now is 2026-03-02 21:00 in Berlin (20:00 UTC)
    feb27 = log(user, [small], started_at="2026-02-27T22:30:00Z", notes="  first  ")
    mar1_early = log(
        user, [small], kind="wear", duration_min=120, started_at="2026-02-28T23:30:00+00:00"
    )
    mar1 = log(
        user,
        [small, medium],
        started_at="2026-03-01T10:00:00+01:00",
        sensations=["stretch", "fullness"],
        warm_up=True,
        breath_phase="exhale",
        lube=True,
        relubed=True,
        orgasm=False,
        mess=False,
        pleasure=6,
    )
    now = log(user, [small])
    assert feb27["notes"] == "first"
    assert mar1["reached"] == {"id": medium, "name": "medium", "diameter_mm": 23.0}
    assert [i["id"] for i in mar1["items"]] == [small, medium]
    assert mar1["sensations"] == ["fullness", "stretch"]
    assert instant(mar1["started_at"]) == datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    assert instant(now["started_at"]) == datetime(2026, 3, 2, 19, 40, tzinfo=UTC)  # now - 20 min

    def ids(**params: Any) -> list[int]:
        return [s["id"] for s in call(user, "GET", "sessions", 200, params=params)]

    assert ids() == [now["id"], mar1["id"], mar1_early["id"], feb27["id"]]  # newest first
    assert ids(**{"from": "2026-03-01", "to": "2026-03-01"}) == [mar1["id"], mar1_early["id"]]
    assert ids(to="2026-02-28") == [feb27["id"]]
    assert ids(**{"from": "2026-03-02"}) == [now["id"]]
    assert ids(kind="wear") == [mar1_early["id"]]
    assert ids(kind="partnered") == []
    assert ids(limit=2) == [now["id"], mar1["id"]]
    got = call(user, "GET", "sessions/{session_id}", 200, ids={"session_id": mar1["id"]})
    assert {**got, "started_at": None} == {**mar1, "started_at": None}
    assert instant(got["started_at"]) == instant(mar1["started_at"])


def test_a_logged_session_reads_back_exactly_as_it_was_returned(owner: User):
    """POST /sessions answers with the offset sent; GET gives UTC: one record, two texts."""
    small = add_toy(owner, "small", 20)["id"]
    made = log(owner, [small], started_at="2026-03-01T10:00:00+01:00")
    got = call(owner, "GET", "sessions/{session_id}", 200, ids={"session_id": made["id"]})
    assert got == made


def test_status_rests_after_spotting_and_lifts_by_time(live_server, owner: User):
    small = add_toy(owner, "small", 20)["id"]
    status = call(owner, "GET", "status", 200)
    assert status["state"] == "ready" and status["reasons"] == []
    spotted = log(owner, [small], bleeding="spotting", colour="bright")
    rest = call(owner, "GET", "status", 200)
    assert rest["state"] == "rest"
    assert rest["until"] is not None
    assert any(r["session_id"] == spotted["id"] for r in rest["reasons"])
    live_server.clock.advance(days=live_server.settings.rest_days_after_spotting + 1)
    assert call(owner, "GET", "status", 200)["state"] == "ready"


def test_a_bleeding_session_without_a_colour_defaults_to_bright(owner: User):
    small = add_toy(owner, "small", 20)["id"]
    assert log(owner, [small], bleeding="spotting")["colour"] == "bright"


def test_acute_pain_holds_until_the_trainee_confirms(owner: User):
    small = add_toy(owner, "small", 20)["id"]
    log(owner, [small], pain=8, sharp=True, outcome="stopped")
    held = call(owner, "GET", "status", 200)
    assert held["state"] == "medical_hold"
    assert held["recommendation"]["action"] == "none"
    refused = owner.post("status/cleared", json={"confirm": False})
    assert refused.status_code == 422
    assert call(owner, "GET", "status", 200)["state"] == "medical_hold"
    lifted = call(
        owner, "POST", "status/cleared", 200, json={"confirm": True, "statement": "saw my GP"}
    )
    assert lifted["state"] != "medical_hold"


def test_conditions_pause_training_until_cleared(owner: User):
    add_toy(owner, "small", 20)
    made = call(
        owner, "POST", "conditions", 201, json={"condition": "haemorrhoids", "note": "  flare-up "}
    )
    assert (made["condition"], made["note"], made["cleared_at"]) == (
        "haemorrhoids",
        "flare-up",
        None,
    )
    assert call(owner, "GET", "status", 200)["state"] == "paused"
    cleared = call(
        owner, "POST", "conditions/{condition}/clear", 200, ids={"condition": "haemorrhoids"}
    )
    assert cleared["id"] == made["id"] and cleared["cleared_at"] is not None
    assert call(owner, "GET", "status", 200)["state"] == "ready"
    listed = call(owner, "GET", "conditions", 200)
    assert [(c["id"], c["cleared_at"] is not None) for c in listed] == [(made["id"], True)]
    again = owner.post("conditions/haemorrhoids/clear")
    assert again.status_code == 404


def test_plans_add_list_and_end(owner: User):
    made = call(
        owner,
        "POST",
        "plans",
        201,
        json={
            "name": "nightly wear",
            "kind": "wear",
            "schedule": "every night",
            "at": "22:30",
            "duration_min": 120,
        },
    )
    assert made == {
        "id": made["id"],
        "name": "nightly wear",
        "kind": "wear",
        "rrule": "FREQ=DAILY",
        "starts_on": "2026-03-02",
        "at": "22:30",
        "duration_min": 120,
        "ended_on": None,
    }
    other = call(
        owner,
        "POST",
        "plans",
        201,
        json={"name": "stretch", "schedule": "mon,wed,fri", "at": "20:00", "duration_min": 20},
    )
    assert [p["id"] for p in call(owner, "GET", "plans", 200)] == [made["id"], other["id"]]
    ended = call(owner, "POST", "plans/{plan_id}/end", 200, ids={"plan_id": made["id"]})
    assert ended["ended_on"] == "2026-03-02"
    assert [p["id"] for p in call(owner, "GET", "plans", 200)] == [other["id"]]
    everything = call(owner, "GET", "plans", 200, params={"include_ended": "true"})
    assert [p["id"] for p in everything] == [made["id"], other["id"]]
    assert owner.post(f"plans/{made['id']}/end").status_code == 404  # already ended


def test_ending_a_plan_by_id_ends_that_plan_not_one_named_like_the_id(owner: User):
    """POST /plans/{plan_id}/end must end plan `plan_id`, whatever the plans are called.

    A fresh database gives consecutive ids: the decoy is named after the target's id.
    """

    def plan(name: str) -> Any:
        body = {"name": name, "schedule": "daily", "at": "21:00", "duration_min": 20}
        return call(owner, "POST", "plans", 201, json=body)

    first = plan("first")["id"]
    decoy = plan(str(first + 2))
    target = plan("the target")
    assert (decoy["id"], target["id"]) == (first + 1, first + 2)
    ended = call(owner, "POST", "plans/{plan_id}/end", 200, ids={"plan_id": target["id"]})
    assert ended["id"] == target["id"], f"ended {ended['name']!r} instead of 'the target'"
    running = [p["name"] for p in call(owner, "GET", "plans", 200)]
    assert running == ["first", decoy["name"]]


def test_stats_shape(owner: User):
    small = add_toy(owner, "small", 20)["id"]
    log(owner, [small])
    log(owner, [small], kind="wear", duration_min=90)
    stats = call(owner, "GET", "stats", 200)
    assert set(stats) == {"sessions", "wear_hours", "weeks", "earned", "trend", "adherence"}
    assert stats["sessions"] == 2
    assert stats["wear_hours"] == pytest.approx(1.5)
    assert sum(w["sessions"] for w in stats["weeks"]) == 2
    assert set(stats["trend"]) >= {"days", "pain_recent", "comfort_recent"}


def test_export_then_import_into_a_fresh_account_gives_the_same_document(clients: Clients):
    alice = clients.sign_up("alice", timezone="Europe/Berlin", units="in")
    small = add_toy(alice, "small", 20)["id"]
    old = add_toy(alice, "old", 18, material="glass")["id"]
    add_toy(alice, "loose", 25, base="none", kind="dildo")
    log(alice, [old], started_at="2026-02-20T20:00:00Z", notes="notes ✓ ünïcode")
    call(alice, "PATCH", "toys/{toy_id}", 200, ids={"toy_id": old}, json={"retired": True})
    log(alice, [small], bleeding="spotting", colour="dark", sensations=["burning"])
    call(alice, "POST", "conditions", 201, json={"condition": "constipation"})
    call(alice, "POST", "conditions/{condition}/clear", 200, ids={"condition": "constipation"})
    call(alice, "POST", "status/cleared", 200, json={"confirm": True, "statement": "fine"})
    plan = call(
        alice,
        "POST",
        "plans",
        201,
        json={"name": "p", "schedule": "weekdays", "at": "21:00", "duration_min": 30},
    )
    call(alice, "POST", "plans/{plan_id}/end", 200, ids={"plan_id": plan["id"]})
    call(alice, "PUT", "goal", 200, json={"target_mm": 30.5, "wear_hours": 8.0, "note": "us ✓"})
    exported = call(alice, "GET", "export", 200)
    assert exported["format"] == "easein-export"
    assert exported["goal"]["target_mm"] == 30.5 and exported["goal"]["note"] == "us ✓"
    assert [len(exported[k]) for k in ("toys", "sessions", "conditions", "plans")] == [3, 2, 1, 1]

    bob = clients.sign_up("bob")
    assert call(bob, "POST", "import", 204, json=exported) is None
    assert call(bob, "GET", "export", 200) == exported
    assert call(bob, "GET", "goal", 200)["note"] == "us ✓"
    again = bob.post("import", json=exported)
    assert again.status_code == 409, again.text
    assert call(bob, "GET", "export", 200) == exported
    assert call(alice, "GET", "export", 200) == exported  # the source is untouched


# --- bad input -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bad:
    method: str
    path: str
    body: Any = None
    params: dict[str, Any] | None = None
    status: int = 422
    loc: tuple[Any, ...] = ()
    type: str | None = None


SESSION = {"duration_min": 20, "item_ids": ["{small}"], "pain": 1}
TOY = {"name": "new", "kind": "plug", "diameter_mm": 22.0, "base": "flared"}
PLAN = {"name": "plan", "schedule": "every night", "at": "21:00", "duration_min": 30}


def session(**change: Any) -> dict[str, Any]:
    return {**SESSION, **change}


def toy(**change: Any) -> dict[str, Any]:
    return {**TOY, **change}


def plan(**change: Any) -> dict[str, Any]:
    return {**PLAN, **change}


BAD: dict[str, Bad] = {
    # toys
    "diameter as a string": Bad("POST", "toys", toy(diameter_mm="20"), loc=("body", "diameter_mm"),
                                type="float_type"),
    "diameter as a bool": Bad("POST", "toys", toy(diameter_mm=True), loc=("body", "diameter_mm")),
    "negative diameter": Bad("POST", "toys", toy(diameter_mm=-3), loc=("body", "diameter_mm")),
    "diameter above the domain limit": Bad("POST", "toys", toy(diameter_mm=500),
                                           loc=("body", "diameter_mm")),
    "neck wider than the diameter": Bad("POST", "toys", toy(neck_mm=30), loc=("body", "neck_mm")),
    "length as a string": Bad("POST", "toys", toy(length_mm="100"), loc=("body", "length_mm")),
    "unknown kind": Bad("POST", "toys", toy(kind="spoon"), loc=("body", "kind")),
    "unknown base": Bad("POST", "toys", toy(base="suction"), loc=("body", "base")),
    "plug without a base": Bad("POST", "toys", {k: v for k, v in TOY.items() if k != "base"},
                               loc=("body", "base")),
    "empty name": Bad("POST", "toys", toy(name=""), loc=("body", "name")),
    "blank name": Bad("POST", "toys", toy(name="   "), loc=("body", "name")),
    "name as a number": Bad("POST", "toys", toy(name=5), loc=("body", "name")),
    "toy: unknown field": Bad("POST", "toys", toy(colour="red"), loc=("body", "colour"),
                              type="extra_forbidden"),
    "duplicate toy name": Bad("POST", "toys", toy(name="SMALL"), status=409),
    "edit: diameter as a string": Bad("PATCH", "toys/{small}", {"diameter_mm": "22"},
                                      loc=("body", "diameter_mm")),
    "edit: retired as a string": Bad("PATCH", "toys/{small}", {"retired": "yes"},
                                     loc=("body", "retired")),
    "edit: rename onto another item": Bad("PATCH", "toys/{small}", {"name": "loose"}, status=409),
    "edit: unknown toy": Bad("PATCH", "toys/999999", {"name": "x"}, status=404),
    # sessions
    "pain 11": Bad("POST", "sessions", session(pain=11), loc=("body", "pain")),
    "pain as a string": Bad("POST", "sessions", session(pain="3"), loc=("body", "pain"),
                            type="int_type"),
    "pain as a float": Bad("POST", "sessions", session(pain=3.5), loc=("body", "pain")),
    "comfort -1": Bad("POST", "sessions", session(comfort=-1), loc=("body", "comfort")),
    "no items": Bad("POST", "sessions", session(item_ids=[]), loc=("body", "item_ids")),
    "items as a string": Bad("POST", "sessions", session(item_ids="{small}"),
                             loc=("body", "item_ids")),
    "an item id as a string": Bad("POST", "sessions", session(item_ids=["x"]),
                                  loc=("body", "item_ids", 0)),
    "an unknown item id": Bad("POST", "sessions", session(item_ids=[999999]), status=404),
    "an item without a base": Bad("POST", "sessions", session(item_ids=["{loose}"]),
                                  loc=("body", "item_ids"), type="toy.base_required"),
    "a retired item": Bad("POST", "sessions", session(item_ids=["{retired}"]),
                          loc=("body", "item_ids")),
    "zero minutes": Bad("POST", "sessions", session(duration_min=0), loc=("body", "duration_min")),
    "minutes as a string": Bad("POST", "sessions", session(duration_min="20"),
                               loc=("body", "duration_min")),
    "colour without bleeding": Bad("POST", "sessions", session(colour="dark"),
                                   loc=("body", "colour"), type="inconsistent"),
    "unknown bleeding": Bad("POST", "sessions", session(bleeding="some"),
                            loc=("body", "bleeding")),
    "started tomorrow": Bad("POST", "sessions", session(started_at="2026-03-03T20:00:00Z"),
                            loc=("body", "started_at"), type="in_the_future"),
    "naive start": Bad("POST", "sessions", session(started_at="2026-03-01T20:00:00"),
                       loc=("body", "started_at"), type="timezone_aware"),
    "start in words": Bad("POST", "sessions", session(started_at="yesterday"),
                          loc=("body", "started_at")),
    "start in year 1": Bad("POST", "sessions", session(started_at="0001-01-01T00:00:00+14:00"),
                           loc=("body", "started_at")),
    "unknown sensation": Bad("POST", "sessions", session(sensations=["itch"]),
                             loc=("body", "sensations", 0)),
    "unknown kind of session": Bad("POST", "sessions", session(kind="nap"), loc=("body", "kind")),
    "sharp as a string": Bad("POST", "sessions", session(sharp="no"), loc=("body", "sharp")),
    "notes too long": Bad("POST", "sessions", session(notes="x" * 10_001),
                          loc=("body", "notes")),
    "session: unknown field": Bad("POST", "sessions", session(mood="great"),
                                  loc=("body", "mood"), type="extra_forbidden"),
    "body not an object": Bad("POST", "sessions", [SESSION], loc=("body",)),
    # session history
    "history: unknown kind": Bad("GET", "sessions", params={"kind": "nap"},
                                 loc=("query", "kind")),
    "history: limit 0": Bad("GET", "sessions", params={"limit": 0}, loc=("query", "limit")),
    "history: from in words": Bad("GET", "sessions", params={"from": "yesterday"},
                                  loc=("query", "from")),
    "history: from as a number": Bad("GET", "sessions", params={"from": "0"},
                                     loc=("query", "from")),
    "history: to as a timestamp": Bad("GET", "sessions", params={"to": "1771977600"},
                                      loc=("query", "to")),
    "history: to before from": Bad("GET", "sessions",
                                   params={"from": "2026-03-05", "to": "2026-03-01"},
                                   loc=("query", "to")),
    "history: to at the end of time": Bad("GET", "sessions", params={"to": "9999-12-31"},
                                          loc=("query", "to")),
    "session id not a number": Bad("GET", "sessions/abc", loc=("path", "session_id")),
    "session id too large": Bad("GET", f"sessions/{2**64}", loc=("path", "session_id")),
    "session id beyond 32 bits": Bad("GET", f"sessions/{2**31}", loc=("path", "session_id")),
    "unknown session": Bad("GET", "sessions/999999", status=404),
    "toy id not a number": Bad("GET", "toys/abc", loc=("path", "toy_id")),
    # conditions and clearance
    "unknown condition": Bad("POST", "conditions", {"condition": "flu"},
                             loc=("body", "condition")),
    "condition note too long": Bad("POST", "conditions",
                                   {"condition": "other", "note": "x" * 1001},
                                   loc=("body", "note")),
    "clear an unknown condition": Bad("POST", "conditions/flu/clear", loc=("path", "condition")),
    "clear a condition not set": Bad("POST", "conditions/diarrhoea/clear", status=404),
    "clearance not confirmed": Bad("POST", "status/cleared", {"confirm": False},
                                   loc=("body", "confirm"), type="confirmation_required"),
    "clearance confirmed as a string": Bad("POST", "status/cleared", {"confirm": "true"},
                                           loc=("body", "confirm")),
    # plans
    "plan at 25:99": Bad("POST", "plans", plan(at="25:99"), loc=("body", "at")),
    "plan at 9pm": Bad("POST", "plans", plan(at="9pm"), loc=("body", "at")),
    "unknown schedule": Bad("POST", "plans", plan(schedule="whenever"), loc=("body", "schedule")),
    "plan of zero minutes": Bad("POST", "plans", plan(duration_min=0),
                                loc=("body", "duration_min")),
    "duplicate plan": Bad("POST", "plans", plan(name="PLAN"), status=409),
    "end an unknown plan": Bad("POST", "plans/999999/end", status=404),
    "plan id not a number": Bad("POST", "plans/abc/end", loc=("path", "plan_id")),
    # profile
    "unknown time zone": Bad("PATCH", "profile", {"timezone": "Mars/Olympus_Mons"},
                             loc=("body", "timezone")),
    "a time zone folder": Bad("PATCH", "profile", {"timezone": "America"},
                              loc=("body", "timezone")),
    "unknown units": Bad("PATCH", "profile", {"units": "cubit"}, loc=("body", "units")),
    # import
    "import an empty object": Bad("POST", "import", {}, loc=("body", "format")),
    "import a list": Bad("POST", "import", [], loc=("body",)),
    "import a number beyond 64 bits": Bad("POST", "import", {"version": 2**64},
                                          loc=("body", "document")),
    "import into an account with records": Bad("POST", "import", "{export}", status=409),
}  # fmt: skip


def fill(value: Any, ids: dict[str, Any]) -> Any:
    """Put the person's real ids (and export) in place of "{small}"-style placeholders."""
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids.get(value[1:-1], value)
    if isinstance(value, list):
        return [fill(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, ids) for k, v in value.items()}
    return value


class Trainees:
    """One person on the module's server for the bad-input cases, replaced when dirty.

    A refused request changes nothing, so the next case can reuse the person; a case
    that did change something (a failure) gets the person replaced, so that it cannot
    make later cases fail.
    """

    def __init__(self, clients: Clients) -> None:
        self.clients = clients
        self.current: tuple[User, dict[str, Any]] | None = None

    def get(self) -> tuple[User, dict[str, Any]]:
        if self.current is None:
            user = self.clients.sign_up()
            small = add_toy(user, "small", 20)["id"]
            loose = add_toy(user, "loose", 25, base="none", kind="dildo")["id"]
            retired = add_toy(user, "retired", 18)["id"]
            call(user, "PATCH", "toys/{toy_id}", 200, ids={"toy_id": retired},
                 json={"retired": True})  # fmt: skip
            log(user, [small])
            call(user, "POST", "plans", 201, json=PLAN)
            ids = {"small": small, "loose": loose, "retired": retired, "export": user.export()}
            self.current = (user, ids)
        return self.current


@pytest.fixture(scope="module")
def trainees(shared_clients: Clients) -> Trainees:
    return Trainees(shared_clients)


@pytest.mark.parametrize("case", list(BAD.values()), ids=list(BAD))
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(trainees, case: Bad):
    user, ids = trainees.get()
    before = ids["export"]
    path = case.path.format(**ids)
    kwargs: dict[str, Any] = {"params": case.params}
    if case.body is not None:
        kwargs["json"] = fill(case.body, ids)
    response = user.request(case.method, "/api/v1/" + path, **kwargs)
    after = user.export()
    if after != before:
        trainees.current = None
    assert response.status_code == case.status, (response.status_code, response.text)
    template = "/api/v1/" + _template(case.path)
    problems = schema_problems(DOC, case.method, template, response)
    assert not problems, problems
    if case.status == 422:
        first = response.json()["detail"][0]
        assert tuple(first["loc"]) == case.loc, first
        assert first["msg"]
        if case.type:
            assert first["type"] == case.type, first
    elif case.status >= 400:
        assert isinstance(response.json()["detail"], str) and response.json()["detail"]
    assert after == before, "a refused request changed the data"


def _template(path: str) -> str:
    """The OpenAPI path of a concrete test path such as toys/{small} or plans/abc/end."""
    parts = path.split("/")
    for template in DOC["paths"]:
        tparts = template.removeprefix("/api/v1/").split("/")
        if len(tparts) == len(parts) and all(
            t == p or t.startswith("{") for t, p in zip(tparts, parts)
        ):
            return template.removeprefix("/api/v1/")
    raise AssertionError(f"no documented path for {path}")


def test_a_body_that_is_not_json_is_a_422_and_nothing_is_written(owner: User):
    response = owner.post(
        "toys", content=b'{"name": "x",', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "body"
    assert owner.ok("GET", "toys") == []


def test_an_export_with_one_wrong_field_is_refused_naming_it(clients: Clients):
    alice = clients.sign_up("alice")
    small = add_toy(alice, "small", 20)["id"]
    log(alice, [small])
    exported = alice.export()
    bob = clients.sign_up("bob")
    empty = bob.export()
    exported["sessions"][0]["pain"] = "3"
    refused = bob.post("import", json=exported)
    assert refused.status_code == 422, refused.text
    assert refused.json()["detail"][0]["loc"] == ["body", "sessions", "0", "pain"]
    assert bob.export() == empty
