"""Clients of the real server: signed-in browsers, bearer-token scripts, strangers.

A `User` wraps an `httpx.Client` on the live server. A signed-in (cookie) user's
client keeps the session cookie in its jar and sends the CSRF token on every
request; a bearer user's client sends `Authorization: Bearer` and no cookie; an
anonymous client sends neither.

`live_server` (tests/conftest.py) gives each test its own server and database.
`shared_server` is the same real server for a whole module (the isolation matrix
and schemathesis): its tests make their own users, so they do not see each other.
"""

from __future__ import annotations

import logging
import shutil
import traceback
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import jsonschema
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from easein.settings import Settings
from tests.conftest import PG_URL, FakeClock, LiveServer, fast_hashing, serving

API = "/api/v1"
PASSWORD = "a long passphrase"


class ServerErrorsInOneLine(logging.Filter):
    """Log a server error as one line (where and what), without the formatted traceback.

    Python 3.11 formats a traceback with `ast.parse` (the ^^^ marks), which is not
    thread-safe before 3.11.8 (CPython gh-106905): the server thread formatting a 500
    while pytest formats a failure in the main thread can crash pytest with
    "SystemError: AST constructor recursion depth mismatch". `extract_tb` parses nothing.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            error, tb = record.exc_info[1], record.exc_info[2]
            frames = [
                f"{f.filename.rsplit('/src/', 1)[-1]}:{f.lineno}"
                for f in traceback.extract_tb(tb)
                if "/easein/" in f.filename
            ]
            record.msg = (
                f"{str(record.msg).strip()}: {type(error).__name__}: {error} (at {frames[-4:]})"
            )
            record.args = None
            record.exc_info = record.exc_text = None
        return True


logging.getLogger("uvicorn.error").addFilter(ServerErrorsInOneLine())


@dataclass
class User:
    """Someone using the API: `kind` is "cookie", "bearer" or "anonymous"."""

    client: httpx.Client
    kind: str
    username: str | None = None
    password: str | None = None
    csrf: str | None = None
    token: str | None = None
    token_id: int | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return self.client.request(
            method, path if path.startswith("/") else f"{API}/{path}", **kwargs
        )

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", path, **kwargs)

    def ok(self, method: str, path: str, expect: int = 200, **kwargs: Any) -> Any:
        """Send a request that must succeed with `expect`; return the JSON body (or None)."""
        response = self.request(method, path, **kwargs)
        assert response.status_code == expect, (method, path, response.status_code, response.text)
        return response.json() if response.content else None

    def export(self) -> dict[str, Any]:
        return self.ok("GET", "export")


class Clients:
    """Makes users on one server and closes every client it made."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self._made: list[httpx.Client] = []

    def _client(self, **kwargs: Any) -> httpx.Client:
        client = httpx.Client(base_url=self.base_url, timeout=30, **kwargs)
        self._made.append(client)
        return client

    def anonymous(self) -> User:
        return User(self._client(), "anonymous")

    def sign_up(
        self,
        username: str | None = None,
        password: str = PASSWORD,
        *,
        agent: str = "test browser",
        **profile: Any,
    ) -> User:
        """Register (adult) and return the signed-in browser."""
        name = username or f"user-{uuid.uuid4().hex[:10]}"
        client = self._client(headers={"User-Agent": agent})
        made = client.post(
            f"{API}/accounts",
            json={"username": name, "password": password, "adult": True, **profile},
        )
        assert made.status_code == 201, made.text
        csrf = made.json()["csrf_token"]
        client.headers["X-CSRF-Token"] = csrf
        return User(
            client,
            "cookie",
            name,
            password,
            csrf,
            data={"recovery_key": made.json()["recovery_key"]},
        )

    def sign_in(self, user: User, *, agent: str = "another browser") -> User:
        """Sign `user` in again from a new browser (a new sign-in session)."""
        client = self._client(headers={"User-Agent": agent})
        done = client.post(
            f"{API}/auth/login", json={"username": user.username, "password": user.password}
        )
        assert done.status_code == 200, done.text
        csrf = done.json()["csrf_token"]
        client.headers["X-CSRF-Token"] = csrf
        return User(client, "cookie", user.username, user.password, csrf, data=user.data)

    def bearer(self, user: User, name: str = "script") -> User:
        """Create a personal access token for `user`; return a client that uses only it."""
        made = user.ok("POST", "tokens", 201, json={"name": name})
        client = self._client(headers={"Authorization": f"Bearer {made['token']}"})
        return User(
            client,
            "bearer",
            user.username,
            user.password,
            token=made["token"],
            token_id=made["id"],
            data=user.data,
        )

    def close(self) -> None:
        for client in self._made:
            client.close()


def marked_plug_and_session(
    user: User, marker: str, material: str = "silicone"
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Add a flared plug named and made of `marker`, and a session with `marker` notes."""
    toy = user.ok(
        "POST",
        "toys",
        201,
        json={
            "name": f"{marker} plug",
            "kind": "plug",
            "diameter_mm": 20.0,
            "base": "flared",
            "material": f"{marker} {material}",
        },
    )
    session = user.ok(
        "POST",
        "sessions",
        201,
        json={"duration_min": 15, "item_ids": [toy["id"]], "pain": 1, "notes": f"{marker} notes"},
    )
    return toy, session


def seed(user: User, marker: str) -> dict[str, Any]:
    """Give `user` one of everything, each carrying `marker`; return the ids and markers."""
    toy, session = marked_plug_and_session(user, marker)
    loose = user.ok(
        "POST",
        "toys",
        201,
        json={"name": f"{marker} loose", "kind": "dildo", "diameter_mm": 25.0, "base": "none"},
    )
    plan = user.ok(
        "POST",
        "plans",
        201,
        json={
            "name": f"{marker} plan",
            "schedule": "every night",
            "at": "21:30",
            "duration_min": 20,
        },
    )
    condition = user.ok(
        "POST", "conditions", 201, json={"condition": "constipation", "note": f"{marker} cond"}
    )
    user.ok("PUT", "goal", 200, json={"target_mm": 38.0, "note": f"{marker} goal"})
    token = user.ok("POST", "tokens", 201, json={"name": f"{marker} token"})
    sign_ins = user.ok("GET", "auth/sessions")
    data = {
        "marker": marker,
        "toy_id": toy["id"],
        "loose_id": loose["id"],
        "session_id": session["id"],
        "plan_id": plan["id"],
        "condition_id": condition["id"],
        "token_id": token["id"],
        "sign_in_id": sign_ins[0]["id"],
        "token": token["token"],
    }
    user.data.update(data)
    return data


@pytest.fixture
def clients(live_server: LiveServer) -> Iterator[Clients]:
    made = Clients(live_server.url)
    yield made
    made.close()


@pytest.fixture
def owner(clients: Clients) -> User:
    """A signed-in browser (cookie + CSRF header) with an empty account."""
    return clients.sign_up("owner", agent="owner phone")


@pytest.fixture
def stranger(clients: Clients) -> User:
    """Another signed-in person on the same server."""
    return clients.sign_up("stranger", agent="stranger laptop")


@pytest.fixture
def anonymous(clients: Clients) -> User:
    return clients.anonymous()


@pytest.fixture
def owner_token(clients: Clients, owner: User) -> User:
    """The owner's API client: a personal access token, no cookie, no CSRF header."""
    return clients.bearer(owner)


# --- a real server shared by one module ----------------------------------------------------


@contextmanager
def module_database(template_url: str, directory: Any) -> Iterator[str]:
    """A fresh migrated database cloned from the template, dropped afterwards."""
    if template_url.startswith("sqlite"):
        target = directory / "shared.db"
        shutil.copy(make_url(template_url).database or "", target)
        yield f"sqlite:///{target}"
        return
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"easein_m_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{make_url(template_url).database}"'))
    try:
        yield make_url(template_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def shared_server(
    template_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    with module_database(template_url, tmp_path_factory.mktemp("shared")) as url:
        settings = fast_hashing(Settings(database_url=url))
        with serving(settings, FakeClock()) as server:
            yield server


@pytest.fixture(scope="module")
def shared_clients(shared_server: LiveServer) -> Iterator[Clients]:
    made = Clients(shared_server.url)
    yield made
    made.close()


def readable(response: Any) -> str:
    """Return what a person reads in `response`: a PDF's text (read with pypdf), else the body.

    A PDF's streams are compressed, so a leak would not show in its raw bytes.
    """
    headers = {str(k).lower(): v for k, v in dict(response.headers).items()}
    if "application/pdf" in str(headers.get("content-type", "")):
        import io

        import pypdf

        pages = pypdf.PdfReader(io.BytesIO(response.content)).pages
        return "\n".join(page.extract_text() for page in pages)
    return str(response.text)


# --- checking bodies against the OpenAPI document ------------------------------------------


def openapi_document() -> dict[str, Any]:
    """The document the app serves, built without a database (for collection time)."""
    from easein.api.app import create_app

    return create_app(Settings()).openapi()


def response_schema(
    document: dict[str, Any], method: str, path: str, status: int
) -> dict[str, Any] | None:
    """The documented JSON schema of `status` for an operation, or None if undocumented."""
    responses = document["paths"][path][method.lower()]["responses"]
    documented = responses.get(str(status))
    if documented is None:
        return None
    return documented.get("content", {}).get("application/json", {}).get("schema", {})


def schema_problems(
    document: dict[str, Any], method: str, path: str, response: httpx.Response
) -> list[str]:
    """What is wrong with `response` as the document describes `method path`."""
    schema = response_schema(document, method, path, response.status_code)
    if schema is None:
        return [f"{method} {path}: status {response.status_code} is not documented"]
    if not response.content:
        return []
    validator = jsonschema.Draft202012Validator({**schema, "components": document["components"]})
    return [
        f"{method} {path} {response.status_code}: {'/'.join(map(str, e.absolute_path))}: "
        f"{e.message}"
        for e in validator.iter_errors(response.json())
    ]
