"""schemathesis with the trainee and the partner as peers: the partner never reads what
is not shared.

A (the trainee) holds a session, an item and a condition carrying a secret marker, and
shares NOTHING with B. B, A's partner in an active pairing, fuzzes every training-together
operation with a personal access token, with the pairing's real ids in the path
(pairing, directive, session, agreement version) and random ones. Checks: no server
error, every status documented, every body as the schema says, invalid data refused;
and A's marker never reaches B, except in the names of A's usable items, which every
partner sees at every level by design (their material stays A's).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup

from tests.api.conftest import Clients, User, marked_plug_and_session, openapi_document, readable
from tests.api.test_schemathesis import NEGATIVE, POSITIVE
from tests.api.together_world import DIRECTIVE, pair_up

EXAMPLES = 6
SCHEMA = schemathesis.openapi.from_dict(openapi_document())
OPERATIONS = sorted(
    (r.ok() for r in SCHEMA.get_all_operations() if "together" in (r.ok().tags or ())),
    key=lambda o: (o.path.endswith("/end") and "directives" not in o.path, o.path, o.method),
)


@dataclass
class Peers:
    url: str
    a: User
    b_token: str
    marker: str
    ids: dict[str, Any]
    found: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def peers(shared_server, shared_clients: Clients) -> Peers:
    a = shared_clients.sign_up("together-a")
    b = shared_clients.sign_up("together-b")
    marker = "A-SECRET-TOGETHER"
    toy, session = marked_plug_and_session(a, marker, "tpe")
    a.ok("POST", "conditions", 201, json={"condition": "other", "note": f"{marker} cond"})
    pid = pair_up(a, b, "nothing")
    directive = b.ok("POST", f"pairings/{pid}/directives", 201, json=DIRECTIVE)
    a.ok(
        "POST",
        f"pairings/{pid}/agreement/versions",
        201,
        json={"goal": "nightly wear", "sharing": "nothing"},
    )
    token = b.ok("POST", "tokens", 201, json={"name": "fuzz"})["token"]
    ids = {
        "pairing_id": pid,
        "directive_id": directive["id"],
        "session_id": session["id"],
        "version": 1,
    }
    return Peers(shared_server.url, a, token, marker, ids)


def _check(peers: Peers, case: Any, tag: str) -> None:
    negative = case.meta is not None and case.meta.generation.mode is GenerationMode.NEGATIVE
    headers = {"Authorization": f"Bearer {peers.b_token}"}
    response = case.call(base_url=peers.url, headers=headers, timeout=30)
    where = f"[{tag}] {case.method} {case.formatted_path} -> {response.status_code}"
    text = readable(response)
    try:
        case.validate_response(response, checks=NEGATIVE if negative else POSITIVE, headers=headers)
    except FailureGroup as group:
        for failure in group.exceptions:
            peers.found.append(f"{where}: {type(failure).__name__}: {failure.title}: {text[:160]}")
    if peers.marker in _without_item_names(case, response, text):
        peers.found.append(f"{where}: unshared data reached the partner: {text[:160]}")


def _without_item_names(case: Any, response: Any, text: str) -> str:
    """The usable items' names are shared at every level (the summary says so), nothing else
    about them: read the items' list without the names."""
    if not (case.operation.path.endswith("/items") and response.status_code == 200):
        return text
    return json.dumps([{k: v for k, v in i.items() if k != "name"} for i in response.json()])


def _fuzz(peers: Peers, strategy: st.SearchStrategy[Any], tag: str) -> None:
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: Any) -> None:
        _check(peers, case, tag)

    run()


@pytest.mark.parametrize(
    "operation", OPERATIONS, ids=[f"{o.method.upper()} {o.path}" for o in OPERATIONS]
)
def test_fuzz_as_the_partner(peers: Peers, operation):
    peers.found = []
    names = re.findall(r"{(\w+)}", operation.path)
    if names:  # the pairing's real ids: the partner is a member, so the routes answer
        ours = {name: peers.ids[name] for name in names if name in peers.ids}
        _fuzz(peers, operation.as_strategy(GenerationMode.POSITIVE, path_parameters=ours), "ours")
    _fuzz(peers, operation.as_strategy(GenerationMode.POSITIVE), "positive")
    if operation.path_parameters or operation.query or operation.body:
        _fuzz(peers, operation.as_strategy(GenerationMode.NEGATIVE), "negative")
    found = sorted(set(peers.found))
    assert not found, f"{len(found)} problem(s):\n" + "\n".join(found[:20])
