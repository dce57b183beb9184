"""Every route, API and pages alike, read from the app's own routes (a new one is in by itself):

- every unsafe route refuses a signed-in browser's request without the CSRF token and
  one from another site (403), and nothing changes; the four sign-in doors (sign-up and
  log-in, API and form) need no session but refuse another site just the same;
- every response carries the security headers: each GET route, the refusals, a 404, a
  422, a 500 and a static file; data is never stored by a cache.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from easein.api.app import create_app
from easein.settings import Settings
from tests.api.conftest import PASSWORD, Clients, User, seed
from tests.conftest import fast_hashing

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
ELSEWHERE = "https://elsewhere.example"
# Sign-up and log-in: no session to carry a CSRF token, but another site is refused.
DOORS = {
    ("POST", "/api/v1/accounts"),
    ("POST", "/api/v1/auth/login"),
    ("POST", "/signup"),
    ("POST", "/login"),
    ("POST", "/login/code"),  # the second step: a pending sign-in's cookie, no session yet
    ("POST", "/api/v1/account/recover"),  # a forgotten password: the recovery key
    ("POST", "/forgot"),
}


def app_routes() -> list[tuple[str, str]]:
    """(method, path) of every route of the app, API and pages (not the static mount)."""
    app = create_app(Settings())
    try:  # FastAPI >= 0.16x keeps included routers lazily; this walks them.
        from fastapi.routing import iter_route_contexts

        routes: Any = list(iter_route_contexts(app.routes))
    except ImportError:
        routes = app.routes
    found = {
        (method, route.path)
        for route in routes
        for method in (getattr(route, "methods", None) or ())
        if method != "HEAD"
    }
    return sorted(found)


ROUTES = app_routes()
UNSAFE_ROUTES = [r for r in ROUTES if r[0] in UNSAFE]
GET_ROUTES = [r for r in ROUTES if r[0] == "GET"]


def test_the_routes_are_all_there():
    """A guard on the enumeration itself: both the API and the pages, reads and writes."""
    assert len(UNSAFE_ROUTES) >= 30, UNSAFE_ROUTES
    assert ("POST", "/toys") in UNSAFE_ROUTES
    assert ("DELETE", "/api/v1/account") in UNSAFE_ROUTES
    assert ("GET", "/progress/{name}.svg") in GET_ROUTES
    assert set(UNSAFE_ROUTES) >= DOORS


def fill(path: str, data: dict[str, Any]) -> str:
    """Return `path` with its parameters replaced by the seeded person's ids."""
    sign_in = "sign-ins" in path or "auth/sessions" in path
    values = {
        "toy_id": data["toy_id"],
        "session_id": data["sign_in_id"] if sign_in else data["session_id"],
        "plan_id": data["plan_id"],
        "token_id": data["token_id"],
        "condition": "constipation",
        "name": "earned",
        "slug": "safety",
        "size": 192,
    }
    return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m[1], 1)), path)


@pytest.fixture
def person(shared_clients: Clients) -> User:
    """A signed-in browser holding one of everything (a toy, a session, a plan...)."""
    user = shared_clients.sign_up()
    seed(user, f"MARK-{user.username}")
    return user


def bare(user: User, base_url: str, **headers: str) -> httpx.Client:
    """The person's browser cookie only: no CSRF header unless given."""
    cookie = user.client.cookies["easein_session"]
    return httpx.Client(base_url=base_url, cookies={"easein_session": cookie}, headers=headers)


def attempt(client: httpx.Client, method: str, path: str, csrf: str | None) -> httpx.Response:
    if path.startswith("/api/"):
        return client.request(method, path, json={})
    form = {"csrf_token": csrf} if csrf else {"name": "x"}
    return client.request(method, path, data=form)


# --- CSRF ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path"), [r for r in UNSAFE_ROUTES if r not in DOORS])
def test_an_unsafe_route_refuses_a_missing_token_and_another_site(
    shared_server, person: User, method, path
):
    url = fill(path, person.data)
    before = person.export()
    with bare(person, shared_server.url) as browser:
        without = attempt(browser, method, url, None)
    with bare(
        person, shared_server.url, **{"X-CSRF-Token": person.csrf or "", "Origin": ELSEWHERE}
    ) as browser:
        cross_site = attempt(browser, method, url, person.csrf)
    assert without.status_code == 403, (method, url, without.status_code, without.text[:200])
    assert cross_site.status_code == 403, (method, url, cross_site.status_code)
    assert_protected(without, url)
    assert_protected(cross_site, url)
    assert person.get("profile").status_code == 200  # still signed in, account still there
    assert person.export() == before  # nothing written


@pytest.mark.parametrize(("method", "path"), sorted(DOORS))
def test_sign_up_and_log_in_refuse_another_site(shared_server, shared_clients, method, path):
    known = shared_clients.sign_up()
    name = "door-" + str(known.username)[-8:]
    fields = {"username": name, "password": PASSWORD, "adult": True, "timezone": "UTC"}
    if path.endswith("login"):
        fields["username"] = str(known.username)
    with httpx.Client(base_url=shared_server.url, headers={"Origin": ELSEWHERE}) as site:
        if path.startswith("/api/"):
            refused = site.request(method, path, json=fields)
        else:
            refused = site.request(method, path, data={**fields, "adult": "yes"})
    assert refused.status_code == 403, refused.text[:200]
    assert "set-cookie" not in refused.headers
    assert_protected(refused, path)
    with httpx.Client(base_url=shared_server.url) as same:  # nothing was made
        made = same.post("/api/v1/auth/login", json={"username": name, "password": PASSWORD})
        assert made.status_code == 401


# --- headers -------------------------------------------------------------------------------


def directives(policy: str) -> dict[str, str]:
    parts = (d.strip().split(None, 1) for d in policy.split(";") if d.strip())
    return {p[0]: p[1] if len(p) > 1 else "" for p in parts}


def assert_protected(response: httpx.Response, path: str, *, https: bool = False) -> None:
    """The full set of security headers, for `path`'s kind of response."""
    where = f"{response.request.method} {path} {response.status_code}"
    h = response.headers
    policy = directives(h.get("content-security-policy", ""))
    assert policy.get("frame-ancestors") == "'none'", where
    if h.get("content-type", "").startswith("image/svg+xml"):
        assert policy.get("default-src") == "'none'", where  # styles only: no script
        assert "script-src" not in policy, where
    else:
        assert policy.get("default-src") == "'self'", where
        assert policy.get("script-src") == "'self'", where
        assert policy.get("object-src") == "'none'", where
        assert "unsafe" not in h["content-security-policy"], where
    assert h.get("x-content-type-options") == "nosniff", where
    assert h.get("referrer-policy") == "no-referrer", where
    assert h.get("x-frame-options") == "DENY", where
    assert ("strict-transport-security" in h) == https, where
    if path.startswith("/api/"):
        assert h.get("cache-control") == "no-store", where
    elif not path.startswith("/static/"):
        allowed = ("no-store", "private, no-store", "no-cache", "public, max-age=86400")
        assert h.get("cache-control") in allowed, where


@pytest.mark.parametrize(("method", "path"), GET_ROUTES)
def test_every_get_route_carries_the_security_headers(shared_server, person: User, method, path):
    url = fill(path, person.data)
    with bare(person, shared_server.url) as browser:
        signed_in = browser.get(url)
    with httpx.Client(base_url=shared_server.url) as anonymous:
        signed_out = anonymous.get(url)
    for response in (signed_in, signed_out):  # whatever the status: a 500 too
        assert_protected(response, url)
    mine = (person.data["marker"], str(person.username))
    if any(secret in signed_in.text for secret in mine):  # the person's data: never stored
        assert signed_in.headers["cache-control"] == "no-store", url


def test_refusals_errors_and_static_files_carry_the_headers(shared_server, person: User):
    with bare(person, shared_server.url, **{"X-CSRF-Token": person.csrf or ""}) as browser:
        cases = {
            "/api/v1/nothing-here": browser.get("/api/v1/nothing-here"),
            "/nothing-here": browser.get("/nothing-here"),
            "/api/v1/toys": browser.post("/api/v1/toys", json={"name": ""}),
            "/toys": browser.post("/toys", data={"csrf_token": person.csrf, "diameter": "x"}),
            "/static/css/app.css": browser.get("/static/css/app.css"),
            "/static/js/app.js": browser.get("/static/js/app.js"),
        }
    with httpx.Client(base_url=shared_server.url) as anonymous:
        cases["/api/v1/profile"] = anonymous.get("/api/v1/profile")
    statuses = {path: r.status_code for path, r in cases.items()}
    assert statuses == {
        "/api/v1/nothing-here": 404,
        "/nothing-here": 404,
        "/api/v1/toys": 422,
        "/toys": 422,
        "/static/css/app.css": 200,
        "/static/js/app.js": 200,
        "/api/v1/profile": 401,
    }
    for path, response in cases.items():
        assert_protected(response, path)
    assert cases["/static/css/app.css"].headers.get("cache-control") != "no-store"  # cacheable


# --- in process: a 500, https, the docs setting ---------------------------------------------


@pytest.fixture
def in_process(database_url: str) -> Iterator[Any]:
    """Return a maker of TestClients on `create_app(settings)` with this test's database."""
    made: list[TestClient] = []

    def make(base_url: str = "http://testserver", **values: Any) -> TestClient:
        app = create_app(fast_hashing(Settings(database_url=database_url, **values)))

        @app.get("/api/v1/test-only-boom", include_in_schema=False)
        def boom() -> None:
            raise RuntimeError("a bug")

        client = TestClient(app, base_url=base_url, raise_server_exceptions=False)
        client.__enter__()
        made.append(client)
        return client

    yield make
    for client in made:
        client.__exit__(None, None, None)


def test_even_a_500_carries_the_headers(in_process):
    response = in_process().get("/api/v1/test-only-boom")
    assert response.status_code == 500
    assert_protected(response, "/api/v1/test-only-boom")


def test_hsts_is_sent_over_https_and_with_secure_cookies(in_process):
    over_https = in_process("https://testserver").get("/api/v1/health")
    assert_protected(over_https, "/api/v1/health", https=True)
    assert over_https.headers["strict-transport-security"].startswith("max-age=")
    declared = in_process(secure_cookies=True).get("/login")
    assert_protected(declared, "/login", https=True)


def test_the_api_docs_are_off_unless_the_setting_turns_them_on(in_process):
    default = in_process()
    assert default.get("/docs").status_code == 404
    assert default.get("/redoc").status_code == 404
    assert default.get("/api/v1/openapi.json").status_code == 200
    on = in_process(api_docs=True)
    docs = on.get("/docs")
    assert docs.status_code == 200
    assert "swagger-ui" in docs.text
    assert on.get("/redoc").status_code == 200
    # Their looser policy is theirs alone: the pages and the API keep the strict one.
    assert "cdn.jsdelivr.net" in docs.headers["content-security-policy"]
    assert directives(docs.headers["content-security-policy"])["frame-ancestors"] == "'none'"
    assert_protected(on.get("/login"), "/login")
    assert_protected(on.get("/api/v1/openapi.json"), "/api/v1/openapi.json")
