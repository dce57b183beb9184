"""Nobody reads or changes another person's data: every route x {owner, other, anonymous}.

The routes come from the OpenAPI document, so a new route appears here by itself and
fails until its row in EXPECTED says what each caller must get. Two people, A and B,
each hold one of everything, marked with a unique string. The owner cell is A using
A's ids; the other cell is B (signed in) using A's ids in the path and the body; the
anonymous cell sends A's ids with no credentials. Outside the owner cell, A's marker,
username and token never appear in a response, and afterwards A's export, sign-ins
and tokens are as they were.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.api.conftest import Clients, User, openapi_document, readable, seed

DOC = openapi_document()
# Training together's routes have their own matrix of six callers (test_together_access.py).
ROUTES = [
    (method.upper(), path)
    for path, ops in DOC["paths"].items()
    for method, op in ops.items()
    if "together" not in op.get("tags", ())
]
ACTORS = ("owner", "other", "anonymous")
PUBLIC = {
    ("GET", "/api/v1/health"),
    ("POST", "/api/v1/accounts"),
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/account/recover"),
}


@dataclass
class Baseline:
    """What A holds before a cell: afterwards it must be the same (sign-ins: a superset)."""

    export: dict[str, Any]
    sign_ins: set[int]
    tokens: list[dict[str, Any]]
    calendar: dict[str, Any]
    channels: list[dict[str, Any]]  # not in the export: their URLs are secrets


@dataclass
class World:
    a: User
    b: User
    a_laptop: User  # A's second sign-in, so that ending it leaves A signed in
    a_export: dict[str, Any]

    def secrets_of_a(self) -> list[str]:
        calendar = self.a.data["calendar_url"].rsplit("/", 1)[1].removesuffix(".ics")
        return [
            self.a.data["marker"],
            str(self.a.username),
            self.a.data["token"],
            calendar,
            self.a.data["channel_secret"],
            self.a.data["recovery_key"],
        ]


Body = Callable[[World, str], Any]


@dataclass(frozen=True)
class Row:
    """Expected status for (owner, other, anonymous); the path and body from A's ids."""

    owner: int
    other: int
    anonymous: int = 401
    body: Body | None = None
    owner_sees_marker: bool = False


def fresh(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


EXPECTED: dict[tuple[str, str], Row] = {
    ("GET", "/api/v1/health"): Row(200, 200, 200),
    ("POST", "/api/v1/accounts"): Row(
        201, 201, 201,
        body=lambda w, actor: {"username": fresh("new"), "password": "x" * 12, "adult": True},
    ),
    ("POST", "/api/v1/auth/login"): Row(
        200, 401, 200,
        # B tries A's name with B's own password; the anonymous caller signs in as B
        body=lambda w, actor: {
            "username": w.b.username if actor == "anonymous" else w.a.username,
            "password": w.a.password if actor == "owner" else w.b.password,
        },
    ),
    ("POST", "/api/v1/auth/logout"): Row(204, 204),
    ("GET", "/api/v1/auth/sessions"): Row(200, 200, owner_sees_marker=True),
    ("DELETE", "/api/v1/auth/sessions/{session_id}"): Row(204, 404),
    ("GET", "/api/v1/tokens"): Row(200, 200, owner_sees_marker=True),
    ("POST", "/api/v1/tokens"): Row(201, 201, body=lambda w, actor: {"name": "new token"}),
    ("DELETE", "/api/v1/tokens/{token_id}"): Row(204, 404),
    ("POST", "/api/v1/account/password"): Row(
        204, 422,
        body=lambda w, actor: {"current_password": w.a.password, "new_password": "y" * 12},
    ),
    # The forgotten-password door: B, signed in or not, tries A's name with B's own
    # recovery key (refused); the owner resets A's password with A's key.
    ("POST", "/api/v1/account/recover"): Row(
        200, 401, 401,
        body=lambda w, actor: {
            "username": w.a.username,
            "recovery_key": (w.a if actor == "owner" else w.b).data["recovery_key"],
            "new_password": "z" * 12,
        },
    ),
    ("POST", "/api/v1/account/recovery-key"): Row(
        201, 422, body=lambda w, actor: {"password": w.a.password}
    ),
    # The wear timer has no id: each acts on the caller's own. A's is paused (a condition),
    # so A's start is refused by safety; B's start with A's item finds no such item.
    ("GET", "/api/v1/wear-timer"): Row(404, 404),
    ("POST", "/api/v1/wear-timer"): Row(
        409, 404, body=lambda w, actor: {"item_ids": [w.a.data["toy_id"]]}
    ),
    ("DELETE", "/api/v1/wear-timer"): Row(404, 404),
    # B sends A's password: wrong for B's own account, so nothing is deleted
    ("DELETE", "/api/v1/account"): Row(204, 422, body=lambda w, actor: {"password": w.a.password}),
    # two-step sign-in, decoy PIN, auto-delete: no ids; each acts on the caller's own
    # account, and those needing the password get A's (wrong for B: nothing changes)
    ("GET", "/api/v1/account/totp"): Row(200, 200),
    ("POST", "/api/v1/account/totp"): Row(
        201, 422, body=lambda w, actor: {"password": w.a.password}
    ),
    # nobody has started setting it up: nothing to confirm
    ("POST", "/api/v1/account/totp/confirm"): Row(
        404, 404, body=lambda w, actor: {"code": "123456"}
    ),
    ("DELETE", "/api/v1/account/totp"): Row(
        404, 422, body=lambda w, actor: {"password": w.a.password, "code": "123456"}
    ),
    ("POST", "/api/v1/account/totp/recovery-codes"): Row(
        404, 422, body=lambda w, actor: {"password": w.a.password, "code": "123456"}
    ),
    ("GET", "/api/v1/account/decoy"): Row(200, 200),
    ("PUT", "/api/v1/account/decoy"): Row(
        204, 422, body=lambda w, actor: {"password": w.a.password, "pin": "2468"}
    ),
    ("DELETE", "/api/v1/account/decoy"): Row(
        204, 422, body=lambda w, actor: {"password": w.a.password}
    ),
    ("GET", "/api/v1/account/auto-delete"): Row(200, 200),
    ("PUT", "/api/v1/account/auto-delete"): Row(
        200, 200, body=lambda w, actor: {"older_than_days": 30}
    ),
    ("GET", "/api/v1/profile"): Row(200, 200),
    ("PATCH", "/api/v1/profile"): Row(200, 200, body=lambda w, actor: {"units": "in"}),
    ("GET", "/api/v1/toys"): Row(200, 200, owner_sees_marker=True),
    ("POST", "/api/v1/toys"): Row(
        201, 201,
        body=lambda w, actor: {"name": "new", "kind": "plug", "diameter_mm": 30.0,
                               "base": "flared"},
    ),
    ("GET", "/api/v1/toys/{toy_id}"): Row(200, 404, owner_sees_marker=True),
    ("PATCH", "/api/v1/toys/{toy_id}"): Row(
        200, 404, body=lambda w, actor: {"name": "renamed", "retired": True}
    ),
    ("GET", "/api/v1/ladder"): Row(200, 200, owner_sees_marker=True),
    ("GET", "/api/v1/status"): Row(200, 200),
    ("POST", "/api/v1/status/cleared"): Row(200, 200, body=lambda w, actor: {"confirm": True}),
    ("POST", "/api/v1/sessions"): Row(
        201, 404,
        body=lambda w, actor: {"duration_min": 10, "item_ids": [w.a.data["toy_id"]], "pain": 1},
    ),
    ("GET", "/api/v1/sessions"): Row(200, 200, owner_sees_marker=True),
    ("GET", "/api/v1/sessions/{session_id}"): Row(200, 404, owner_sees_marker=True),
    ("GET", "/api/v1/conditions"): Row(200, 200, owner_sees_marker=True),
    ("POST", "/api/v1/conditions"): Row(
        201, 201, body=lambda w, actor: {"condition": "diarrhoea", "note": "new"}
    ),
    # the path names a kind of condition, not a record: B clears B's own
    ("POST", "/api/v1/conditions/{condition}/clear"): Row(200, 200),
    ("GET", "/api/v1/stats"): Row(200, 200),
    ("GET", "/api/v1/plans"): Row(200, 200, owner_sees_marker=True),
    ("POST", "/api/v1/plans"): Row(
        201, 201,
        body=lambda w, actor: {"name": "new plan", "schedule": "daily", "at": "07:00",
                               "duration_min": 10},
    ),
    ("POST", "/api/v1/plans/{plan_id}/end"): Row(200, 404, owner_sees_marker=True),
    # the goal has no id: B reads, sets and clears B's own, never A's
    ("GET", "/api/v1/goal"): Row(200, 200, owner_sees_marker=True),
    ("PUT", "/api/v1/goal"): Row(
        200, 200, body=lambda w, actor: {"target_mm": 45.0, "wear_hours": 2.0, "note": "new"}
    ),
    ("DELETE", "/api/v1/goal"): Row(204, 204),
    ("GET", "/api/v1/export"): Row(200, 200, owner_sees_marker=True),
    # both hold records, so an import is refused for both; the body is A's own export
    ("POST", "/api/v1/import"): Row(409, 409, body=lambda w, actor: w.a_export),
    # a PDF: `readable` checks its text, not its compressed bytes
    ("GET", "/api/v1/report"): Row(200, 200, owner_sees_marker=True),
    # the calendar feed has no id: B makes, reads and revokes B's own (B has none: 404)
    ("GET", "/api/v1/calendar-feed"): Row(200, 200),
    ("POST", "/api/v1/calendar-feed"): Row(201, 201, body=lambda w, actor: {"explicit": True}),
    ("DELETE", "/api/v1/calendar-feed"): Row(204, 404),
    # a channel's URL is a secret: no response carries it, not even the owner's
    ("GET", "/api/v1/notification-channels"): Row(200, 200, owner_sees_marker=True),
    ("POST", "/api/v1/notification-channels"): Row(
        201, 201, body=lambda w, actor: {"url": "json://127.0.0.1:9/new", "label": "new"}
    ),
    ("DELETE", "/api/v1/notification-channels/{channel_id}"): Row(204, 404),
    # the owner's test goes to a closed loopback port: sent, not delivered
    ("POST", "/api/v1/notification-channels/{channel_id}/test"): Row(200, 404),
    ("GET", "/api/v1/notification-settings"): Row(200, 200),
    ("PUT", "/api/v1/notification-settings"): Row(
        200, 200, body=lambda w, actor: {"lead_minutes": 20, "explicit": True}
    ),
}  # fmt: skip


def person_a(clients: Clients) -> tuple[User, User, Baseline]:
    """A, holding one of everything marked A-SECRET, signed in twice (phone and laptop)."""
    tag = uuid.uuid4().hex[:8]
    a = clients.sign_up(f"a-{tag}", f"A passphrase {tag}", agent=f"A-SECRET-{tag} phone")
    seed(a, f"A-SECRET-{tag}")
    a.data["calendar_url"] = a.ok("POST", "calendar-feed", 201, json={})["url"]
    a.data["channel_secret"] = f"A-CHANNEL-TOKEN-{uuid.uuid4().hex}"
    channel = a.ok(
        "POST",
        "notification-channels",
        201,
        json={
            "url": f"json://127.0.0.1:9/{a.data['channel_secret']}",
            "label": f"A-SECRET-{tag} channel",
        },
    )
    a.data["channel_id"] = channel["id"]
    laptop = clients.sign_in(a, agent=f"A-SECRET-{tag} laptop")
    sign_ins = {s["id"] for s in a.ok("GET", "auth/sessions")}
    a.data["laptop_id"] = max(sign_ins)
    baseline = Baseline(
        a.export(),
        sign_ins,
        a.ok("GET", "tokens"),
        a.ok("GET", "calendar-feed"),
        a.ok("GET", "notification-channels"),
    )
    return a, laptop, baseline


def person_b(clients: Clients) -> User:
    """B: signed in, with an active condition of the same kind as A's, and a goal."""
    tag = uuid.uuid4().hex[:8]
    b = clients.sign_up(f"b-{tag}", f"B passphrase {tag}", agent=f"B-{tag} phone")
    b.ok("POST", "conditions", 201, json={"condition": "constipation"})
    b.ok("PUT", "goal", 200, json={"target_mm": 30.0})
    return b


def path_for(template: str, world: World) -> str:
    data = world.a.data
    return template.format(
        session_id=data["laptop_id"] if "/auth/" in template else data["session_id"],
        toy_id=data["toy_id"],
        token_id=data["token_id"],
        plan_id=data["plan_id"],
        channel_id=data["channel_id"],
        condition="constipation",
    )


@pytest.fixture(scope="module")
def victim(shared_clients: Clients) -> tuple[User, User, Baseline]:
    """One A for every cell but the owner's writes: other callers must not change A."""
    return person_a(shared_clients)


@pytest.fixture(scope="module")
def peer(shared_clients: Clients) -> User:
    """One B for the cells that cannot change B (reads, and anonymous cells)."""
    return person_b(shared_clients)


def test_every_route_has_an_expected_row():
    assert sorted(EXPECTED) == sorted(ROUTES), "add a row to EXPECTED for each new route"


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("method", "template"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_cell(shared_clients: Clients, victim, peer, method, template, actor):
    row = EXPECTED.get((method, template))
    assert row is not None, f"no expected row for {method} {template}"
    if (method, template) not in PUBLIC:
        assert row.anonymous == 401, "anonymous callers get 401 on every non-public route"
    read_only = method == "GET" or actor == "anonymous"
    a, laptop, baseline = person_a(shared_clients) if actor == "owner" and not read_only else victim
    b = peer if read_only else person_b(shared_clients)
    world = World(a, b, laptop, baseline.export)
    caller = {"owner": world.a, "other": world.b, "anonymous": shared_clients.anonymous()}[actor]
    kwargs: dict[str, Any] = {}
    if row.body is not None:
        kwargs["json"] = row.body(world, actor)
    response = caller.request(method, path_for(template, world), **kwargs)

    expected = {"owner": row.owner, "other": row.other, "anonymous": row.anonymous}[actor]
    assert response.status_code == expected, (response.status_code, response.text)
    if actor == "owner":
        if row.owner_sees_marker:  # the ids and markers are right, so a leak would show
            assert world.a.data["marker"] in readable(response)
        return
    for secret in world.secrets_of_a():
        assert secret not in readable(response), f"A's {secret!r} leaked to {actor}"
    a = world.a_laptop if (method, template) == ("POST", "/api/v1/auth/logout") else world.a
    assert a.export() == baseline.export, "A's data changed"
    assert baseline.sign_ins <= {s["id"] for s in a.ok("GET", "auth/sessions")}
    assert a.ok("GET", "tokens") == baseline.tokens
    assert a.ok("GET", "calendar-feed") == baseline.calendar
    assert a.ok("GET", "notification-channels") == baseline.channels
