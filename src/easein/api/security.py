"""Security headers on every response, and cross-site writes to the API refused, in one place.

A pure ASGI middleware wrapped around the whole application, outside Starlette's
error middleware: JSON answers, pages, static files, 404s, 422s and even 500s
all carry the same headers. Handlers may set their own Cache-Control (public
pages say `no-cache`, icons may be cached for a day); anything that sets none
gets `no-store`, except the static files, whose URLs change with every release.

The pages use no inline script, style or event handler attribute, so the
policy allows scripts and styles from this origin only. Charts are SVG drawn
by pygal with inline styles: SVG responses get a policy of their own that
allows those styles and nothing else (no script, no fetch).

Referrer-Policy is `no-referrer` on every response, but the pages' own
`<meta name="referrer" content="same-origin">` loosens it for themselves: under
`no-referrer` browsers send `Origin: null` with form posts, and the CSRF check
needs the real origin. Other sites still get no referrer from EaseIn's pages.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from easein.settings import Settings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
DOCS_PATHS = ("/docs", "/redoc")  # served only when the api_docs setting is on


def _policy(*directives: str) -> str:
    return "; ".join(directives)


CSP = _policy(
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)
# pygal's charts keep their styles inside the SVG; an image needs nothing else.
SVG_CSP = _policy("default-src 'none'", "style-src 'unsafe-inline'", "frame-ancestors 'none'")
# Swagger UI and ReDoc, only with api_docs on: FastAPI serves them from a CDN with an
# inline start-up script. These pages show no personal data, but the scripts run on
# EaseIn's origin, which is why the setting is off by default.
DOCS_CSP = _policy(
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net",
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com",
    "font-src https://fonts.gstatic.com",
    "img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly",
    "worker-src blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
)
HSTS = "max-age=31536000"  # a year; no includeSubDomains: the domain may host other things

ALWAYS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def cross_site(scope: Scope) -> bool:
    """Whether a request says, by its Origin, that a page of another site sent it.

    No Origin (curl, scripts with a token) is not cross-site; `null` (sandboxed
    frames, privacy redirects) is, as in the CSRF check of `easein.api.deps`.
    """
    origin = _header(scope, b"origin")
    if origin is None:
        return False
    return origin == "null" or origin.split("://", 1)[-1] != _header(scope, b"host")


REFUSED_BODY = (
    b'{"detail":"refused: a write from another site. Use EaseIn\'s own pages, '
    b'or a personal access token from a script"}'
)


class SecurityHeaders:
    """Add the security headers to every HTTP response; refuse cross-site writes to /api/."""

    def __init__(self, app: ASGIApp, *, hsts: bool = False, docs: bool = False) -> None:
        self.app = app
        self.hsts = hsts
        self.docs = docs

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        https = self.hsts or scope.get("scheme") == "https"
        docs_page = self.docs and path.startswith(DOCS_PATHS)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in ALWAYS.items():
                    headers[name] = value
                svg = headers.get("content-type", "").startswith("image/svg+xml")
                headers["Content-Security-Policy"] = (
                    DOCS_CSP if docs_page else SVG_CSP if svg else CSP
                )
                if "cache-control" not in headers and not path.startswith("/static/"):
                    headers["Cache-Control"] = "no-store"
                if https:
                    headers["Strict-Transport-Security"] = HSTS
            await send(message)

        if scope["method"] not in SAFE_METHODS and path.startswith("/api/") and cross_site(scope):
            await _refuse(send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)


async def _refuse(send: Send) -> None:
    """Answer 403 as the API's other refusals do (`{"detail": ...}`)."""
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(REFUSED_BODY)).encode()),
    ]
    await send({"type": "http.response.start", "status": 403, "headers": headers})
    await send({"type": "http.response.body", "body": REFUSED_BODY})


def install(api: FastAPI, settings: Settings) -> None:
    """Wrap the whole of `api` (its error middleware included) in `SecurityHeaders`."""
    build = api.build_middleware_stack

    def build_with_headers() -> ASGIApp:
        return SecurityHeaders(build(), hsts=settings.secure_cookies, docs=settings.api_docs)

    api.build_middleware_stack = build_with_headers  # type: ignore[method-assign]
