"""The wear timer over real HTTP: start, see, stop; refused for unsafe or foreign items,
while one runs, and while training is not allowed. The injected clock moves time."""

from __future__ import annotations

import pytest

from tests.api.conftest import Clients, User


def item(user: User, name: str, base: str = "flared", **extra) -> int:
    body = {"name": name, "kind": "plug", "diameter_mm": 25.0, "base": base, **extra}
    return user.ok("POST", "toys", 201, json=body)["id"]


def test_start_see_and_stop_a_timer(clients: Clients, live_server):
    alice = clients.sign_up("alice")
    plug = item(alice, "night plug")
    started = alice.ok(
        "POST", "wear-timer", 201, json={"item_ids": [plug, plug], "planned_minutes": 90}
    )
    assert started["item_ids"] == [plug]  # once each
    assert started["planned_minutes"] == 90 and started["checkin_minutes"] == 60
    assert started["started_at"] == live_server.clock.now.isoformat().replace("+00:00", "Z")
    assert alice.ok("GET", "wear-timer") == started
    live_server.clock.advance(minutes=95)
    stopped = alice.ok("DELETE", "wear-timer")
    assert stopped["id"] == started["id"] and stopped["worn_minutes"] == 95
    assert alice.get("wear-timer").status_code == 404
    assert alice.delete("wear-timer").status_code == 404
    # Logging the wear with what the stop answered is the client's next step.
    session = {
        "kind": "wear",
        "item_ids": stopped["item_ids"],
        "started_at": stopped["started_at"],
        "duration_min": stopped["worn_minutes"],
        "pain": 0,
    }
    assert alice.post("sessions", json=session).status_code == 201, session


def test_a_second_start_while_one_runs_is_refused(clients: Clients):
    alice = clients.sign_up("alice")
    plug = item(alice, "plug")
    first = alice.ok("POST", "wear-timer", 201, json={"item_ids": [plug]})
    again = alice.post("wear-timer", json={"item_ids": [plug], "planned_minutes": 30})
    assert again.status_code == 409
    assert again.json()["detail"] == "a wear timer is already running: stop it first"
    assert alice.ok("GET", "wear-timer") == first  # unchanged


def test_an_item_without_a_flared_base_or_retired_or_not_yours_is_refused(clients: Clients):
    alice, bob = clients.sign_up("alice"), clients.sign_up("bob")
    unsafe = item(alice, "no base", base="none")
    retired = item(alice, "old one")
    alice.ok("PATCH", f"toys/{retired}", 200, json={"retired": True})
    theirs = item(bob, "bob's plug")
    refused = alice.post("wear-timer", json={"item_ids": [unsafe]})
    assert refused.status_code == 422
    (problem,) = refused.json()["detail"]
    assert problem["loc"] == ["body", "item_ids"] and problem["type"] == "toy.base_required"
    old = alice.post("wear-timer", json={"item_ids": [retired]})
    assert old.status_code == 422 and old.json()["detail"][0]["type"] == "retired_item"
    assert alice.post("wear-timer", json={"item_ids": [theirs]}).status_code == 404
    assert alice.get("wear-timer").status_code == 404  # nothing started
    assert bob.get("wear-timer").status_code == 404


def test_no_timer_starts_while_training_is_paused(clients: Clients):
    alice = clients.sign_up("alice")
    plug = item(alice, "plug")
    alice.ok("POST", "conditions", 201, json={"condition": "haemorrhoids"})
    paused = alice.post("wear-timer", json={"item_ids": [plug]})
    assert paused.status_code == 409
    assert paused.json()["detail"].startswith("a wear timer starts only while training is allowed")
    alice.ok("POST", "conditions/haemorrhoids/clear", 200)
    assert alice.post("wear-timer", json={"item_ids": [plug]}).status_code == 201


@pytest.mark.parametrize(
    ("body", "field", "rule"),
    [
        ({"item_ids": []}, "item_ids", "too_short"),
        ({"item_ids": [1], "planned_minutes": 0}, "planned_minutes", "greater_than_equal"),
        ({"item_ids": [1], "planned_minutes": 1441}, "planned_minutes", "less_than_equal"),
        ({"item_ids": [1], "checkin_minutes": -1}, "checkin_minutes", "greater_than_equal"),
        ({"item_ids": ["1"]}, "item_ids", "int_type"),
        ({"item_ids": [1], "colour": "red"}, "colour", "extra_forbidden"),
    ],
    ids=["no items", "zero minutes", "over a day", "negative check-in", "text id", "unknown"],
)
def test_bad_input_names_the_field_and_rule(clients: Clients, body, field, rule):
    alice = clients.sign_up("alice")
    refused = alice.post("wear-timer", json=body)
    assert refused.status_code == 422, refused.text
    problem = refused.json()["detail"][0]
    assert field in problem["loc"] and problem["type"] == rule, problem
    assert alice.get("wear-timer").status_code == 404
