"""The goal over real HTTP: get, set (replace), clear, the distance in the answer, bad input."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Clients, User, openapi_document, schema_problems

DOC = openapi_document()


def call(user: User, method: str, expect: int, **kwargs: Any) -> Any:
    """Send `method /api/v1/goal`, check the status and the documented shape."""
    response = user.request(method, "goal", **kwargs)
    assert response.status_code == expect, (method, response.status_code, response.text)
    problems = schema_problems(DOC, method, "/api/v1/goal", response)
    assert not problems, problems
    return response.json() if response.content else None


def add_toy(user: User, name: str, mm: float) -> int:
    body = {"name": name, "kind": "plug", "diameter_mm": mm, "base": "flared"}
    made: int = user.ok("POST", "toys", 201, json=body)["id"]
    return made


def test_no_goal_is_a_404_then_set_replace_and_clear(owner: User, live_server):
    assert call(owner, "GET", 404)["detail"].startswith("no goal is set")
    assert call(owner, "DELETE", 404)["detail"] == "no goal is set"

    made = call(owner, "PUT", 200, json={"target_mm": 38, "wear_hours": 8, "note": " for us "})
    assert made["target_mm"] == 38 and made["wear_hours"] == 8 and made["note"] == "for us"
    assert made["set_at"].startswith("2026-03-02T20:00")
    assert made["distance"]["headline"] == "No size earned yet"
    assert call(owner, "GET", 200) == made

    live_server.clock.advance(hours=1)
    replaced = call(owner, "PUT", 200, json={"target_mm": 40.5})
    assert (replaced["target_mm"], replaced["wear_hours"], replaced["note"]) == (40.5, None, "")
    assert replaced["set_at"].startswith("2026-03-02T21:00")
    assert call(owner, "GET", 200) == replaced

    assert call(owner, "DELETE", 204) is None
    call(owner, "GET", 404)


def test_the_answer_says_how_far_the_goal_is_from_the_earned_size(owner: User):
    small = add_toy(owner, "small", 30)
    add_toy(owner, "medium", 34)
    for day in ("2026-02-20", "2026-02-24", "2026-02-28"):
        owner.ok(
            "POST",
            "sessions",
            201,
            json={"started_at": f"{day}T20:00:00Z", "duration_min": 15, "item_ids": [small],
                  "pain": 1, "comfort": 7},
        )  # fmt: skip
    goal = call(owner, "PUT", 200, json={"target_mm": 38})
    distance = goal["distance"]
    assert distance["earned_mm"] == 30
    assert distance["to_go_mm"] == 8
    assert distance["headline"] == "8 mm to go"
    assert distance["reached"] is False
    assert distance["largest_mm"] == 34
    assert distance["gap"] is True and distance["look_for_mm"] == [38.0]
    assert "does not exist on your ladder yet" in distance["detail"]

    reached = call(owner, "PUT", 200, json={"target_mm": 30})["distance"]
    assert reached["reached"] is True and reached["to_go_mm"] == 0
    assert reached["headline"] == "Goal reached"


def test_a_script_with_a_token_reads_and_sets_the_goal_without_csrf(owner_token: User):
    call(owner_token, "PUT", 200, json={"target_mm": 25.4})
    assert call(owner_token, "GET", 200)["target_mm"] == 25.4


def test_a_cookie_write_without_the_csrf_token_is_refused(clients: Clients, owner: User):
    owner.client.headers.pop("X-CSRF-Token")
    refused = owner.request("PUT", "goal", json={"target_mm": 38})
    assert refused.status_code == 403
    owner.client.headers["X-CSRF-Token"] = owner.csrf or ""
    call(owner, "GET", 404)


BAD: dict[str, tuple[Any, tuple[Any, ...], str | None]] = {
    "target as a string": ({"target_mm": "38"}, ("body", "target_mm"), "float_type"),
    "target as a bool": ({"target_mm": True}, ("body", "target_mm"), None),
    "no target": ({"note": "x"}, ("body", "target_mm"), "missing"),
    "target zero": ({"target_mm": 0}, ("body", "target_mm"), None),
    "target negative": ({"target_mm": -3}, ("body", "target_mm"), None),
    "target too large": ({"target_mm": 201}, ("body", "target_mm"), None),
    # The schema says at least 0.1 (what is kept): pydantic refuses it before the domain.
    "target rounds to zero": ({"target_mm": 0.01}, ("body", "target_mm"), "greater_than_equal"),
    "wear zero": ({"target_mm": 38, "wear_hours": 0}, ("body", "wear_hours"), None),
    "wear over a day": ({"target_mm": 38, "wear_hours": 25}, ("body", "wear_hours"), None),
    "wear as a string": ({"target_mm": 38, "wear_hours": "8"}, ("body", "wear_hours"), None),
    "wear rounds to zero": (
        {"target_mm": 38, "wear_hours": 0.001}, ("body", "wear_hours"), "greater_than_equal"
    ),
    "note too long": ({"target_mm": 38, "note": "x" * 201}, ("body", "note"), None),
    "note as a number": ({"target_mm": 38, "note": 5}, ("body", "note"), None),
    "unknown field": ({"target_mm": 38, "colour": "red"}, ("body", "colour"), "extra_forbidden"),
    "not an object": ([38], ("body",), None),
}  # fmt: skip


@pytest.fixture(scope="module")
def trainee(shared_clients: Clients) -> User:
    user = shared_clients.sign_up()
    user.ok("PUT", "goal", 200, json={"target_mm": 30.0, "wear_hours": 1.5, "note": "kept"})
    return user


@pytest.mark.parametrize(("body", "loc", "type_"), list(BAD.values()), ids=list(BAD))
def test_bad_input_is_a_422_naming_the_field_and_the_goal_stays(trainee: User, body, loc, type_):
    before = trainee.ok("GET", "goal")
    response = trainee.request("PUT", "goal", json=body)
    assert response.status_code == 422, response.text
    assert not schema_problems(DOC, "PUT", "/api/v1/goal", response)
    first = response.json()["detail"][0]
    assert tuple(first["loc"]) == loc, first
    assert first["msg"]
    if type_:
        assert first["type"] == type_, first
    assert trainee.ok("GET", "goal") == before
