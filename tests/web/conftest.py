"""Browser fixtures: Debian's Chromium driven by Playwright, a phone-sized page per test.

Playwright cannot download its own browsers here, so the system Chromium is used.
Without it the browser tests are skipped with the reason, except under CI=true,
where a missing browser is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("EASEIN_TEST_CHROMIUM", "/usr/bin/chromium")
ON_CI = os.environ.get("CI", "").lower() == "true"
ARGS = [
    "--no-sandbox",  # tests run as root
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        message = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
        if ON_CI:
            pytest.fail(message + "; under CI=true this is a failure, not a skip")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def phone(browser, live_server) -> Iterator[object]:
    """Return a page in a fresh phone-sized context on the live server (no service worker)."""
    context = browser.new_context(
        viewport=PHONE,
        base_url=live_server.url,
        service_workers="block",
        timezone_id="Europe/Berlin",
        locale="en-GB",
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], f"JavaScript errors on the pages: {errors}"


def screenshot(page, name: str) -> None:
    """Save the screen as a 390x844 phone shows it, for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
