"""schemathesis against the live server, with two people as peers.

B (a personal access token) fuzzes every operation of the OpenAPI document, with data
that fits the schema (positive) and data that does not (negative), and with A's real
ids in the path. Checks: no server error, every status documented, every body as the
schema says, invalid data refused; and A's marker never reaches B, nor does any of
A's data change. Derandomised (a fixed seed), a few examples per operation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import API, Clients, User, openapi_document, readable, seed

EXAMPLES = 8  # random examples per operation and mode, after the deterministic coverage cases
SCHEMA = schemathesis.openapi.from_dict(openapi_document())
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
THEIRS = "A's ids"
SIGN_IN_PATHS = (f"{API}/auth/", f"{API}/tokens/", f"{API}/account")
POSITIVE = [not_a_server_error, status_code_conformance, content_type_conformance,
            response_schema_conformance]  # fmt: skip
NEGATIVE = [not_a_server_error, status_code_conformance, response_schema_conformance,
            negative_data_rejection]  # fmt: skip


@dataclass
class Peers:
    """A (the one whose data must stay private) and B (who fuzzes with a token)."""

    url: str
    clients: Clients
    a: User
    b: User
    a_ids: dict[str, Any]
    a_export: dict[str, Any]
    probe: httpx.Client
    b_token: str = ""
    found: list[str] = field(default_factory=list)

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.b_token}"}

    def keep_b_signed_in(self) -> None:
        """Fuzzing may sign B's token out (logout, token revocation): get a new one."""
        still = self.probe.get(f"{API}/profile", headers=self.headers())
        if still.status_code == 401:
            browser = self.clients.sign_in(self.b)
            self.b_token = browser.ok("POST", "tokens", 201, json={"name": "fuzz"})["token"]


@pytest.fixture(scope="module")
def peers(shared_server, shared_clients: Clients) -> Peers:
    a = shared_clients.sign_up("peer-a", "A passphrase for fuzzing")
    seed(a, "A-SECRET-FUZZ")
    b = shared_clients.sign_up("peer-b", "B passphrase for fuzzing")
    seed(b, "B-fuzz")
    token = b.ok("POST", "tokens", 201, json={"name": "fuzz"})["token"]
    ids = {
        "toy_id": a.data["toy_id"],
        "session_id": a.data["session_id"],
        "plan_id": a.data["plan_id"],
        "token_id": a.data["token_id"],
    }
    probe = shared_clients.anonymous().client
    return Peers(shared_server.url, shared_clients, a, b, ids, a.export(), probe, token)


def _summary(group: FailureGroup) -> list[str]:
    return [f"{type(f).__name__}: {f.title}" for f in group.exceptions]


def _check(peers: Peers, case: Any, tag: str) -> None:
    """Send `case` as B; note what the checks (and the privacy of A) find."""
    negative = case.meta is not None and case.meta.generation.mode is GenerationMode.NEGATIVE
    headers = peers.headers()
    response = case.call(base_url=peers.url, headers=headers, timeout=30)
    query = f"?{case.query}" if case.query else ""
    where = f"[{tag}] {case.method} {case.formatted_path}{query} -> {response.status_code}"
    text = readable(response)  # a PDF's text, not its bytes
    try:
        case.validate_response(response, checks=NEGATIVE if negative else POSITIVE, headers=headers)
    except FailureGroup as group:
        for line in _summary(group):
            peers.found.append(f"{where}: {line}: {text[:160]}")
    if tag == THEIRS and response.status_code < 300:
        peers.found.append(f"{where}: B used A's resource: {text[:160]}")
    if peers.a.data["marker"] in text or str(peers.a.username) in text:
        peers.found.append(f"{where}: A's data reached B: {text[:160]}")
    if case.method != "GET" and case.path.startswith(SIGN_IN_PATHS):
        peers.keep_b_signed_in()


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


def _id(operation: Any) -> str:
    return f"{operation.method.upper()} {operation.path}"


@pytest.mark.parametrize("operation", OPERATIONS, ids=[_id(o) for o in OPERATIONS])
def test_fuzz(peers: Peers, operation):
    peers.found = []
    # schemathesis' coverage phase: boundary values and each rule broken, deterministic
    for case in SCHEMA.iter_coverage_cases(
        operation,
        generation_modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        generation_config=SCHEMA.config.generation_for(operation=operation),
    ):
        if case.method.upper() == operation.method.upper():  # other methods: Starlette's 405
            _check(peers, case, "coverage")
    # its fuzzing phase: random data that fits the schema, and data that does not
    _fuzz(peers, operation.as_strategy(GenerationMode.POSITIVE), "positive")
    if operation.path_parameters or operation.query or operation.body:
        _fuzz(peers, operation.as_strategy(GenerationMode.NEGATIVE), "negative")
    # B with A's ids in the path
    names = re.findall(r"{(\w+)}", operation.path)
    if any(name in peers.a_ids for name in names):
        theirs = {name: peers.a_ids[name] for name in names if name in peers.a_ids}
        strategy = operation.as_strategy(GenerationMode.POSITIVE, path_parameters=theirs)
        _fuzz(peers, strategy, THEIRS)
    assert peers.a.export() == peers.a_export, "B changed A's data"
    found = sorted(set(peers.found))
    assert not found, f"{len(found)} problem(s):\n" + "\n".join(found[:20])
