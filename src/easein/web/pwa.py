"""Installable app: the manifest, the icons, the service worker and the offline page."""

from __future__ import annotations

import json
import math
import struct
import zlib
from functools import cache
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from easein import content
from easein.web.render import asset_version, page

router = APIRouter(include_in_schema=False)

STATIC = Path(__file__).parent / "static"
ICON_SIZES = (192, 512)
PLUM = (0x5B, 0x35, 0x90)
CREAM = (0xF8, 0xF5, 0xF2)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@cache
def icon_png(size: int) -> bytes:
    """Return the app icon as a PNG: a light ring on plum, full bleed (fine as maskable)."""
    centre = (size - 1) / 2
    radius, half_width = size * 0.27, size * 0.055
    xs = [x - centre for x in range(size)]
    rows = []
    for y in range(size):
        row = bytearray(b"\x00" + bytes(PLUM) * size)  # filter byte "none", then plum
        dy = y - centre
        for x, dx in enumerate(xs):
            # Coverage of the ring at this pixel, antialiased over about one pixel.
            cover = half_width + 0.5 - abs(math.hypot(dx, dy) - radius)
            if cover > 0:
                cover = min(1.0, cover)
                at = 1 + 3 * x
                row[at : at + 3] = bytes(
                    round(p + (c - p) * cover) for p, c in zip(PLUM, CREAM, strict=True)
                )
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + _chunk(b"IEND", b"")
    )


@router.get("/icons/icon-{size}.png")
def icon(size: int) -> Response:
    if size not in ICON_SIZES:
        raise HTTPException(404, "no such icon")
    return Response(
        icon_png(size), media_type="image/png", headers={"Cache-Control": "public, max-age=86400"}
    )


@router.get("/manifest.webmanifest")
def manifest() -> Response:
    body = {
        "name": "EaseIn",
        "short_name": "EaseIn",
        "description": "Private notes and timers.",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#{:02x}{:02x}{:02x}".format(*CREAM),
        "theme_color": "#{:02x}{:02x}{:02x}".format(*PLUM),
        "icons": [
            *(
                {
                    "src": f"/icons/icon-{n}.png",
                    "sizes": f"{n}x{n}",
                    "type": "image/png",
                    "purpose": "any maskable",
                }
                for n in ICON_SIZES
            ),
            {"src": "/static/icons/icon.svg", "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return Response(
        json.dumps(body),
        media_type="application/manifest+json",
        headers={"Cache-Control": "no-cache"},
    )


def offline_shell() -> list[str]:
    """Return what the service worker keeps for offline use: public pages and assets only."""
    v = f"?v={asset_version()}"
    return [
        "/offline",
        "/emergency",
        "/guide",
        "/hide",  # quick hide works offline too
        *(f"/guide/{t.slug}" for t in content.topics()),
        f"/static/css/app.css{v}",
        f"/static/js/app.js{v}",
        f"/static/js/emergency.js{v}",
        f"/static/js/quick-hide.js{v}",
        f"/static/vendor/htmx/htmx.min.js{v}",
        "/static/icons/icon.svg",
        "/icons/icon-192.png",
        "/manifest.webmanifest",
    ]


@router.get("/sw.js")
def service_worker() -> Response:
    """Serve the worker from the root so that its scope is the whole app."""
    settings = (
        f"const VERSION = {json.dumps(asset_version())};\n"
        f"const SHELL = {json.dumps(offline_shell())};\n"
    )
    code = (STATIC / "js" / "sw.js").read_text(encoding="utf-8")
    return Response(
        settings + code,
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"},
    )


@router.get("/offline", response_class=HTMLResponse)
def offline(request: Request) -> Response:
    return page(request, "offline.html", private=False)
