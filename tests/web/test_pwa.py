"""Installable app: a manifest with real icons, and a service worker that keeps the
emergency page and the guide working offline (and nothing personal)."""

from __future__ import annotations

import struct

import httpx

from tests.web.conftest import PHONE


def test_the_manifest_names_icons_that_are_pngs_of_their_size(live_server):
    with httpx.Client(base_url=live_server.url) as client:
        manifest = client.get("/manifest.webmanifest")
        assert manifest.headers["content-type"].startswith("application/manifest+json")
        body = manifest.json()
        assert body["name"] == "EaseIn" and body["start_url"] == "/"
        for icon in body["icons"]:
            data = client.get(icon["src"]).content
            if icon["type"] == "image/png":
                width, height = struct.unpack(">II", data[16:24])
                assert data.startswith(b"\x89PNG") and icon["sizes"] == f"{width}x{height}"
            else:
                assert data.startswith(b"<svg")


def test_emergency_and_guide_work_offline_and_private_pages_say_offline(browser, live_server):
    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    try:
        page = context.new_page()
        page.goto("/emergency")
        page.evaluate(
            "async () => { await navigator.serviceWorker.ready;"
            " if (!navigator.serviceWorker.controller) await new Promise(r =>"
            " navigator.serviceWorker.addEventListener('controllerchange', r)); }"
        )
        context.set_offline(True)
        page.goto("/emergency")
        assert "Bear down" in page.content()
        page.goto("/guide/bleeding")
        assert page.locator("h1").inner_text() != "You're offline"
        page.goto("/")
        assert page.locator("h1").inner_text() == "You're offline"
        context.set_offline(False)
        kept = page.evaluate(
            "async () => { const keys = [];"
            " for (const name of await caches.keys()) {"
            "  for (const r of await (await caches.open(name)).keys())"
            "   keys.push(new URL(r.url).pathname); }"
            " return keys; }"
        )
        assert "/emergency" in kept
        assert not {"/", "/log", "/toys", "/progress", "/settings"} & set(kept)
    finally:
        context.close()
