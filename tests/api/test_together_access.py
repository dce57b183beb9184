"""The access matrix of training together: every route x six callers x its method.

Callers: the trainee; a partner with sharing (full_with_notes); a partner without
(nothing); a partner after unpairing; a stranger; anonymous. Each cell's expected
status is written in EXPECTED (the routes come from the OpenAPI document, so a new
route fails `test_every_together_route_has_a_row` until it has one). Outside the
trainee and the sharing partner, the trainee's secret marker never appears in a
response; a refused write leaves the pairing's audit log as it was.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.api.conftest import Clients, openapi_document
from tests.api.together_world import DIRECTIVE, PLAIN, World, build

DOC = openapi_document()
ROUTES = [
    (method.upper(), path)
    for path, ops in DOC["paths"].items()
    for method, op in ops.items()
    if "together" in op.get("tags", ())
]
ACTORS = ("trainee", "full", "none", "after", "stranger", "anonymous")
SEES_THE_MARKER = {"trainee", "full"}

Body = Callable[[World, str], Any]
Setup = Callable[[World, str], None]


@dataclass(frozen=True)
class Row:
    """Expected status per caller: trainee, full, none, after, stranger (anonymous: 401)."""

    trainee: int
    full: int
    none: int
    after: int
    stranger: int
    anonymous: int = 401
    body: Body | None = None
    setup: Setup | None = None  # run as the trainee on the caller's pairing, before the call
    version: int = 1
    # the item names are shared with every partner, whatever the level (the summary says so):
    # the marker check then reads the response without them
    item_names: bool = False

    def expected(self, actor: str) -> int:
        return int(getattr(self, actor))


def member(ok: int) -> Row:
    """Both members may (`ok`); the partner after unpairing and strangers: 404."""
    return Row(ok, ok, ok, 404, 404)


def reopen_first(world: World, actor: str) -> None:
    pid = world.pairing_ids[world.pairing_name(actor)]
    if world.pairing_name(actor) != "after":
        world.trainee.ok("POST", f"pairings/{pid}/agreement/reopen", 201)


def stop_first(world: World, actor: str) -> None:
    pid = world.pairing_ids[world.pairing_name(actor)]
    if world.pairing_name(actor) != "after":
        world.trainee.ok("POST", f"pairings/{pid}/stop-and-talk")


def today(world: World, actor: str) -> dict[str, Any]:
    return {"day": "2026-03-02", "result": "done", "note": "easy"}


P = "/api/v1/pairings/{pairing_id}"
D = P + "/directives/{directive_id}"
V = P + "/agreement/versions/{version}"
EXPECTED: dict[tuple[str, str], Row] = {
    ("POST", "/api/v1/invitations"): Row(201, 201, 201, 201, 201),
    # one's own open invitations (never a code): everyone signed in has a list, maybe empty
    ("GET", "/api/v1/invitations"): Row(200, 200, 200, 200, 200),
    ("DELETE", "/api/v1/invitations/{invitation_id}"): Row(204, 404, 404, 404, 404),
    # the trainee's own code: refused to the trainee; anyone else may pair with them
    ("POST", "/api/v1/invitations/accept"): Row(
        422, 201, 201, 201, 201, body=lambda w, a: {"code": w.invitation_code}
    ),
    ("GET", "/api/v1/pairings"): Row(200, 200, 200, 200, 200),
    ("GET", P): member(200),
    ("POST", P + "/summary/accept"): Row(
        200, 200, 200, 404, 404, body=lambda w, a: {"sharing": w.level(a), "words": PLAIN}
    ),
    ("PUT", P + "/words"): Row(
        200, 200, 200, 404, 404, body=lambda w, a: {"trainee": "sub", "partner": "Dom"}
    ),
    ("PUT", P + "/sharing"): Row(200, 403, 403, 404, 404, body=lambda w, a: {"sharing": "summary"}),
    ("POST", P + "/end"): member(200),
    ("PUT", "/api/v1/sessions/{session_id}/sharing"): Row(
        200, 404, 404, 404, 404, body=lambda w, a: {"shared": False}
    ),
    # what the partner sees: nothing shared does not exist
    ("GET", P + "/status"): Row(200, 200, 404, 404, 404),
    ("GET", P + "/sessions"): member(200),
    ("GET", P + "/sessions/{session_id}"): Row(200, 200, 404, 404, 404),
    # the usable items, to choose a directive's item: at every level, never after unpairing
    ("GET", P + "/items"): Row(200, 200, 200, 404, 404, item_names=True),
    ("POST", P + "/stop-and-talk"): member(200),
    ("POST", P + "/stop-and-talk/resume"): Row(200, 403, 403, 404, 404, setup=stop_first),
    ("GET", P + "/stop-and-talk"): member(200),
    ("GET", P + "/audit"): member(200),
    ("GET", P + "/directives"): member(200),
    ("POST", P + "/directives"): Row(403, 201, 201, 404, 404, body=lambda w, a: DIRECTIVE),
    ("GET", D): member(200),
    ("PUT", D): Row(403, 200, 200, 404, 404, body=lambda w, a: {**DIRECTIVE, "duration_min": 30}),
    ("GET", D + "/revisions"): member(200),
    ("POST", D + "/acknowledge"): Row(200, 403, 403, 404, 404),
    ("POST", D + "/end"): Row(403, 200, 200, 404, 404),
    ("GET", D + "/check-ins"): member(200),
    ("POST", D + "/check-ins"): Row(201, 403, 403, 404, 404, body=today),
    ("GET", P + "/compliance"): member(200),
    ("GET", P + "/sessions/{session_id}/comments"): Row(200, 200, 404, 404, 404),
    ("POST", P + "/sessions/{session_id}/comments"): Row(
        201, 201, 404, 404, 404, body=lambda w, a: {"text": "how did it feel?"}
    ),
    ("GET", D + "/comments"): member(200),
    ("POST", D + "/comments"): Row(
        201, 201, 201, 404, 404, body=lambda w, a: {"text": "a bit frustrated at the pace"}
    ),
    ("GET", "/api/v1/conversation/questions"): Row(200, 200, 200, 200, 200),
    ("GET", P + "/answers"): member(200),
    ("PUT", P + "/answers"): Row(
        200, 200, 200, 404, 404, body=lambda w, a: {"answers": {"faeces": 3}, "submit": True}
    ),
    # in B the partner has not answered yet: 409 until both submitted
    ("GET", P + "/answers/comparison"): Row(200, 200, 409, 404, 404),
    ("GET", P + "/agreement/versions"): member(200),
    ("POST", P + "/agreement/versions"): Row(
        201,
        201,
        201,
        404,
        404,
        body=lambda w, a: {"goal": "wear nightly", "per_week": 4, "sharing": w.level(a)},
    ),
    ("POST", P + "/agreement/reopen"): member(201),
    ("GET", V): member(200),
    ("POST", V + "/sign"): Row(200, 200, 200, 404, 404, setup=reopen_first, version=2),
    ("GET", V + "/diff"): member(200),
}


@pytest.fixture(scope="module")
def shared_world(shared_clients: Clients) -> World:
    """One world for the cells that must not change anything."""
    return build(shared_clients)


def path_for(template: str, world: World, actor: str, row: Row) -> str:
    name = world.pairing_name(actor)
    return template.format(
        pairing_id=world.pairing_ids[name],
        directive_id=world.directive_ids[name],
        session_id=world.session_id,
        invitation_id=world.invitation_id,
        version=row.version,
    )


def without_item_names(response: Any) -> str:
    """Return the response's text without the item names (the material, say, stays in)."""
    if response.status_code != 200:
        return str(response.text)
    return json.dumps([{k: v for k, v in item.items() if k != "name"} for item in response.json()])


def audit_of(world: World) -> list[Any]:
    return [world.trainee.ok("GET", f"pairings/{pid}/audit") for pid in world.pairing_ids.values()]


def test_every_together_route_has_a_row():
    assert sorted(EXPECTED) == sorted(ROUTES), "add a row to EXPECTED for each new route"
    assert len(ROUTES) >= 40


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("method", "template"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_cell(shared_clients: Clients, shared_world: World, method, template, actor):
    row = EXPECTED[(method, template)]
    expected = row.expected(actor)
    changes = method != "GET" and actor != "anonymous" and expected < 300
    world = build(shared_clients) if changes or row.setup else shared_world
    if row.setup is not None and actor != "anonymous":
        row.setup(world, actor)
    caller = shared_clients.anonymous() if actor == "anonymous" else world.user(actor)
    kwargs: dict[str, Any] = {}
    if row.body is not None:
        kwargs["json"] = row.body(world, actor)
    before = audit_of(world) if method != "GET" and expected >= 300 else None
    response = caller.request(method, path_for(template, world, actor, row), **kwargs)
    assert response.status_code == expected, (response.status_code, response.text)
    if actor not in SEES_THE_MARKER:
        seen = without_item_names(response) if row.item_names else response.text
        assert world.marker not in seen, f"the trainee's data leaked to {actor}"
    if before is not None:
        assert audit_of(world) == before, "a refused write changed the pairing"
