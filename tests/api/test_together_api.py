"""Training together over HTTP: the journeys a couple makes from two phones."""

from __future__ import annotations

from tests.api.conftest import Clients, User
from tests.api.together_world import DIRECTIVE, pair_up


def couple(clients: Clients, level: str = "full_with_notes") -> tuple[User, User, int]:
    trainee, partner = clients.sign_up(), clients.sign_up()
    return trainee, partner, pair_up(trainee, partner, level)


def test_the_partners_access_ends_at_the_instant_of_unpairing(shared_clients: Clients):
    trainee, partner, pid = couple(shared_clients)
    assert partner.get(f"pairings/{pid}/status").status_code == 200
    trainee.ok("POST", f"pairings/{pid}/end")
    for path in ("status", "sessions", "directives", "audit", ""):
        assert partner.get(f"pairings/{pid}/{path}".rstrip("/")).status_code == 404
    assert partner.ok("GET", "pairings") == []
    assert trainee.ok("GET", f"pairings/{pid}")["status"] == "ended"


def test_an_unsafe_directive_is_refused_with_422_and_the_rule(shared_clients: Clients):
    trainee, partner, pid = couple(shared_clients)
    small = trainee.ok(
        "POST",
        "toys",
        201,
        json={"name": "small", "kind": "plug", "diameter_mm": 20.0, "base": "flared"},
    )
    big = trainee.ok(
        "POST",
        "toys",
        201,
        json={"name": "big", "kind": "plug", "diameter_mm": 30.0, "base": "flared"},
    )
    loose = trainee.ok(
        "POST",
        "toys",
        201,
        json={"name": "loose", "kind": "dildo", "diameter_mm": 19.0, "base": "none"},
    )
    for item, rule in ((big, "directive.above_next_rung"), (loose, "toy.base_required")):
        body = {**DIRECTIVE, "kind": "item", "item_id": item["id"]}
        refused = partner.post(f"pairings/{pid}/directives", json=body)
        assert refused.status_code == 422, refused.text
        assert refused.json()["detail"][0] == {
            "loc": ["body", "item_id"],
            "msg": refused.json()["detail"][0]["msg"],
            "type": rule,
        }
    made = partner.ok(
        "POST",
        f"pairings/{pid}/directives",
        201,
        json={**DIRECTIVE, "kind": "item", "item_id": small["id"]},
    )
    assert made["status"]["state"] == "awaiting_acknowledgement"
    kinds = [e["kind"] for e in trainee.ok("GET", f"pairings/{pid}/audit")]
    assert kinds.count("directive_refused") == 2 and "directive_created" in kinds


def test_stop_and_talk_pauses_everything_and_only_the_trainee_resumes(shared_clients: Clients):
    trainee, partner, pid = couple(shared_clients)
    made = partner.ok("POST", f"pairings/{pid}/directives", 201, json=DIRECTIVE)
    trainee.ok("POST", f"pairings/{pid}/directives/{made['id']}/acknowledge")
    assert trainee.ok("GET", "status")["state"] == "ready"
    called = trainee.ok("POST", f"pairings/{pid}/stop-and-talk")
    assert called["new"] and called["tell"] == "partner" and called["stop"]["open"]
    assert trainee.ok("GET", "status")["state"] == "paused"
    assert partner.ok("GET", f"pairings/{pid}/status")["state"] == "paused"
    directive = partner.ok("GET", f"pairings/{pid}/directives/{made['id']}")
    assert directive["status"]["state"] == "paused_by_stop_and_talk"
    assert partner.post(f"pairings/{pid}/stop-and-talk/resume").status_code == 403
    assert partner.ok("POST", f"pairings/{pid}/stop-and-talk")["new"] is False
    trainee.ok("POST", f"pairings/{pid}/stop-and-talk/resume")
    assert trainee.ok("GET", "status")["state"] == "ready"
    directive = partner.ok("GET", f"pairings/{pid}/directives/{made['id']}")
    assert directive["status"]["state"] == "active"


def test_the_audit_log_records_each_event_with_who_and_when(shared_clients: Clients):
    trainee, partner, pid = couple(shared_clients, "summary")
    first = trainee.ok("GET", f"pairings/{pid}/audit")
    trainee.ok("PUT", f"pairings/{pid}/sharing", json={"sharing": "full"})
    partner.ok("POST", f"pairings/{pid}/stop-and-talk")
    trainee.ok("POST", f"pairings/{pid}/stop-and-talk/resume")
    log = partner.ok("GET", f"pairings/{pid}/audit")
    assert log[: len(first)] == first  # appended, never rewritten
    assert [(e["kind"], e["actor"]) for e in log[len(first) :]] == [
        ("sharing_changed", "trainee"),
        ("stop_and_talk_called", "partner"),
        ("stop_and_talk_resumed", "trainee"),
    ]
    assert all(e["at"] for e in log)
    assert log[len(first)]["details"] == {"before": "summary", "after": "full"}


def test_summary_sharing_shows_done_or_not_and_the_state_only(shared_clients: Clients):
    trainee, partner, pid = couple(shared_clients, "summary")
    toy = trainee.ok(
        "POST",
        "toys",
        201,
        json={"name": "secret plug", "kind": "plug", "diameter_mm": 20.0, "base": "flared"},
    )
    session = trainee.ok(
        "POST",
        "sessions",
        201,
        json={"duration_min": 15, "item_ids": [toy["id"]], "pain": 2, "notes": "secret notes"},
    )
    seen = partner.ok("GET", f"pairings/{pid}/sessions/{session['id']}")
    assert set(seen) == {"id", "kind", "started_at", "duration_min", "outcome"}
    assert partner.ok("GET", f"pairings/{pid}/status") == {"state": "ready"}
    trainee.ok("PUT", f"sessions/{session['id']}/sharing", json={"shared": False})
    assert partner.get(f"pairings/{pid}/sessions/{session['id']}").status_code == 404
    assert partner.ok("GET", f"pairings/{pid}/sessions") == []


def test_the_partner_lists_the_usable_items_at_any_level_to_choose_one(shared_clients: Clients):
    trainee, partner, pid = couple(shared_clients, "nothing")
    for name, mm, base in (
        ("big", 30.0, "flared"),
        ("small", 20.0, "handle"),
        ("loose", 19.0, "none"),
    ):
        kind = "dildo" if base == "none" else "plug"
        trainee.ok("POST", "toys", 201, json={"name": name, "kind": kind, "diameter_mm": mm,
                                               "base": base, "material": "glass"})  # fmt: skip
    items = partner.ok("GET", f"pairings/{pid}/items")
    assert [(i["name"], i["diameter_mm"], i["base"]) for i in items] == [
        ("small", 20.0, "handle"),
        ("big", 30.0, "flared"),
    ]
    assert all(set(i) == {"id", "name", "diameter_mm", "base"} for i in items)
    assert trainee.ok("GET", f"pairings/{pid}/items") == items  # the trainee's preview
    body = {**DIRECTIVE, "kind": "item", "item_id": items[0]["id"]}
    assert (
        partner.ok("POST", f"pairings/{pid}/directives", 201, json=body)["item_id"]
        == items[0]["id"]
    )
    summary = partner.ok("GET", f"pairings/{pid}")["summary"]["text"]
    assert "usable items (name, size and base" in summary
    trainee.ok("POST", f"pairings/{pid}/end")
    assert partner.get(f"pairings/{pid}/items").status_code == 404


def test_open_invitations_are_listed_without_their_codes_until_used_or_withdrawn(
    shared_clients: Clients,
):
    trainee, partner = shared_clients.sign_up(), shared_clients.sign_up()
    first = trainee.ok("POST", "invitations", 201)
    second = trainee.ok("POST", "invitations", 201)
    listed = trainee.ok("GET", "invitations")
    assert [i["id"] for i in listed] == [second["id"], first["id"]]
    assert all(set(i) == {"id", "created_at", "expires_at"} for i in listed)
    assert first["code"] not in str(listed) and second["code"] not in str(listed)
    partner.ok("POST", "invitations/accept", 201, json={"code": first["code"]})
    assert trainee.delete(f"invitations/{second['id']}").status_code == 204
    assert trainee.ok("GET", "invitations") == []
    assert partner.ok("GET", "invitations") == []
