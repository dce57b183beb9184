"""The OpenAPI document the server serves: valid, accurate, and no docs UI.

Accurate means: path parameters named after their resource, the auth schemes declared,
every status the API answers with documented, concrete request and response schemas,
and an error model that fits the errors actually sent.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from openapi_spec_validator import validate

from tests.api.conftest import Clients, openapi_document, schema_problems

DOC = openapi_document()
OPERATIONS = [
    (method.upper(), path, operation)
    for path, ops in DOC["paths"].items()
    for method, operation in ops.items()
]
IDS = [f"{m} {p}" for m, p, _ in OPERATIONS]
PUBLIC = {
    ("GET", "/api/v1/health"),
    ("POST", "/api/v1/accounts"),
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/account/recover"),
}
FILES = {"application/pdf"}  # a success may be a file (GET /report) instead of JSON

# Statuses the services raise for these operations besides the common ones.
RAISES: dict[tuple[str, str], set[int]] = {
    ("POST", "/api/v1/accounts"): {409},  # the username is taken
    ("POST", "/api/v1/auth/login"): {429},  # too many failed sign-ins
    ("POST", "/api/v1/account/recover"): {429},  # the same limit
    ("POST", "/api/v1/toys"): {409},  # an item of that name exists
    ("PATCH", "/api/v1/toys/{toy_id}"): {409},  # renamed onto another item
    ("POST", "/api/v1/plans"): {409},  # a running plan of that name exists
    ("POST", "/api/v1/import"): {409},  # the account holds records
}


@pytest.fixture(scope="module")
def served(shared_server) -> dict[str, Any]:
    response = httpx.get(f"{shared_server.url}/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def test_the_served_document_is_valid_openapi_3(served):
    assert served["openapi"].startswith("3.")
    validate(served)
    assert served == DOC
    assert served["info"]["title"] == "EaseIn"


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/docs/oauth2-redirect", "/api/v1/docs"])
def test_the_docs_ui_is_off(shared_server, path):
    assert httpx.get(shared_server.url + path).status_code == 404


@pytest.mark.parametrize("path", list(DOC["paths"]))
def test_path_parameters_are_named_after_their_resource(path):
    segments = path.split("/")
    for n, segment in enumerate(segments):
        if not segment.startswith("{"):
            continue
        name = segment.strip("{}")
        resource = segments[n - 1].removesuffix("s")
        last_word = resource.split("-")[-1]  # /notification-channels/{channel_id}
        assert name != "id"
        allowed = (f"{resource.replace('-', '_')}_id", f"{last_word}_id", resource)
        assert name in allowed, f"{{{name}}} after /{segments[n - 1]}"


@pytest.mark.parametrize(("method", "path", "operation"), OPERATIONS, ids=IDS)
def test_every_operation_documents_422_and_401_where_it_needs_them(method, path, operation):
    responses = operation["responses"]
    takes_input = bool(operation.get("parameters")) or "requestBody" in operation
    if takes_input:
        assert "422" in responses
        assert "ValidationErrorBody" in str(responses["422"])
    if (method, path) not in PUBLIC:
        assert "401" in responses
    for status, response in responses.items():
        if status != "204":
            content = response.get("content", {})
            assert "application/json" in content or set(content) <= FILES, status


def test_every_status_an_operation_answers_with_is_documented():
    missing = {}
    for (method, path), statuses in RAISES.items():
        documented = {int(k) for k in DOC["paths"][path][method.lower()]["responses"]}
        if statuses - documented:
            missing[f"{method} {path}"] = sorted(statuses - documented)
    assert not missing, f"answered but not documented: {missing}"


def test_the_auth_schemes_are_declared():
    schemes = DOC.get("components", {}).get("securitySchemes", {})
    kinds = {(s.get("type"), s.get("scheme", s.get("in"))) for s in schemes.values()}
    assert ("http", "bearer") in kinds, schemes
    assert ("apiKey", "cookie") in kinds, schemes


def test_operations_that_need_a_sign_in_say_so():
    undeclared = [
        f"{method} {path}"
        for method, path, operation in OPERATIONS
        if (method, path) not in PUBLIC and not operation.get("security", DOC.get("security"))
    ]
    declared_public = [
        f"{method} {path}"
        for method, path, operation in OPERATIONS
        if (method, path) in PUBLIC and operation.get("security", DOC.get("security"))
    ]
    assert not declared_public
    assert not undeclared, f"{len(undeclared)} operations need a sign-in but say not: {undeclared}"


def _resolved(schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return DOC["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _vague(schema: dict[str, Any]) -> bool:
    """An object whose properties are not described (`additionalProperties: true`)."""
    if schema.get("type") == "array":
        return _vague(_resolved(schema["items"]))
    return (
        schema.get("type") == "object"
        and not schema.get("properties")
        and (schema.get("additionalProperties", True) is True)
    )


def test_success_responses_have_a_concrete_schema():
    vague = [
        f"{method} {path} {status}"
        for method, path, operation in OPERATIONS
        for status, response in operation["responses"].items()
        if status.startswith("2")
        and status != "204"
        and "application/json" in response["content"]
        and _vague(_resolved(response["content"]["application/json"]["schema"]))
    ]
    assert not vague, f"responses documented as any object: {vague}"


BODIES = [(m, p, o) for m, p, o in OPERATIONS if "requestBody" in o]


@pytest.mark.parametrize(
    ("method", "path", "operation"), BODIES, ids=[f"{m} {p}" for m, p, _ in BODIES]
)
def test_request_bodies_have_a_schema_that_forbids_unknown_fields(method, path, operation):
    schema = _resolved(operation["requestBody"]["content"]["application/json"]["schema"])
    assert schema.get("properties"), f"{method} {path}: {schema}"
    assert schema.get("additionalProperties") is False, f"{method} {path}: {schema}"


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b'{"duration_min": 20, "item_ids": ["x"], "pain": 1}', id="a list item"),
        pytest.param(b'{"duration_min": 20,', id="not JSON"),
        pytest.param(b'{"notes": "\xc3\x28"}', id="not UTF-8"),
    ],
)
def test_the_documented_error_model_fits_the_errors_sent(shared_clients: Clients, content):
    user = shared_clients.sign_up()
    response = user.post("sessions", content=content, headers={"Content-Type": "application/json"})
    assert 400 <= response.status_code < 500
    assert schema_problems(DOC, "POST", "/api/v1/sessions", response) == []
    assert user.ok("GET", "sessions") == []
