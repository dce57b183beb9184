"""A whole journey in a real browser on a phone-sized screen, with the clock moved by the test.

Sign up, add three items (one without a base, refused), log sessions until an
advance is recommended, log spotting and see the rest with its reason and date,
let the rest pass, wear a plug with the timer, see the charts with data, and run
a guided session that ends with the Stop button.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from tests.web.conftest import screenshot
from tests.web.helpers import PASSWORD

BERLIN = ZoneInfo("Europe/Berlin")


def choose(page, scope: str, text: str) -> None:
    """Tap a choice chip (a styled radio or checkbox) by its words, inside `scope`."""
    page.locator(f"{scope} label.choice", has_text=text).first.click()


def rate(page, name: str, value: str) -> None:
    """Tap the number `value` on the 0-10 scale called `name`."""
    page.click(f"input[name={name}][value='{value}'] + span")


def sign_up(page) -> None:
    page.goto("/signup")
    page.fill("#username", "robin")
    page.fill("#password", PASSWORD)
    page.select_option("#timezone", "Europe/Berlin")
    page.check("input[name=adult]")
    screenshot(page, "01-signup")
    page.click("text=Create account")
    key = page.text_content("#recovery-key").strip()
    assert len(key.split("-")) == 14, key
    screenshot(page, "01b-recovery-key")
    page.click("text=Continue")  # after the recovery key, shown once
    page.wait_for_url("**/toys?welcome=1")


def add_item(page, name: str, diameter: str, base: str) -> None:
    page.fill("#name", name)
    page.select_option("#kind", "plug")
    page.fill("#diameter", diameter)
    choose(page, "form[action='/toys']", base)
    page.click("text=Add item")
    page.wait_for_url("**/toys#items")


def log_session(page, item: str, *, pain: str, comfort: str = "", blood: str = "") -> str:
    """Fill the log form and save it (HTMX swaps in the new status); return that text."""
    page.goto("/log")
    box = page.locator("label.choice", has_text=item).locator("input")
    if not box.is_checked():
        choose(page, "form.log-form", item)
    page.fill("#duration", "15")
    rate(page, "pain", pain)
    if comfort:
        rate(page, "comfort", comfort)
    if blood:
        choose(page, "form.log-form", blood)
        choose(page, "form.log-form", "Bright red")
    page.click("button:has-text('Save')")
    page.locator("#log-area > .notice", has_text="Saved").wait_for()
    return page.locator("#log-area").inner_text()


def test_the_whole_journey_on_a_phone(phone, live_server):
    page, clock = phone, live_server.clock
    sign_up(page)

    add_item(page, "Small plug", "20", "Flared base")
    add_item(page, "Medium plug", "22", "Flared base")
    add_item(page, "Glass wand", "25", "None")
    refusal = page.locator(".refusal", has_text="Glass wand")
    assert "no flared base or handle, so it can slip fully inside" in refusal.inner_text()
    assert page.locator(".ladder li.rung").count() == 2  # the wand is never a rung
    screenshot(page, "02-items-and-ladder")
    page.goto("/log")
    wand = page.locator("label.choice", has_text="Glass wand").locator("input")
    assert wand.is_disabled()

    status = ""
    logged = 0
    while logged < 6:
        logged += 1
        status = log_session(page, "Small plug", pain="1", comfort="8")
        if "Next: Move up one size" in status:
            break
        clock.advance(days=4)
    assert "Next: Move up one size" in status, status
    assert logged <= 5
    assert "Medium plug" in status
    page.goto("/")
    assert page.locator("#next-title").inner_text() == "Next: Move up one size"
    screenshot(page, "03-today-advance")

    page.goto("/log")
    choose(page, "form.log-form", "Medium plug")
    screenshot(page, "04-log-form")
    status = log_session(page, "Medium plug", pain="2", blood="A little")
    rest_ends = (clock.now + timedelta(days=3)).astimezone(BERLIN)
    page.goto("/")
    state = page.locator("#state").inner_text()
    assert "Resting" in state
    assert rest_ends.strftime("until %a %d %b") in state
    assert "blood" in state.lower()
    screenshot(page, "05-today-rest")

    clock.advance(days=3, hours=1)
    page.reload()
    assert "Ready to train" in page.locator("#state").inner_text()
    assert "Resting" not in page.locator("#state").inner_text()

    page.goto("/wear")
    choose(page, "form", "Small plug")
    page.click("button:has-text('Start')")
    page.locator("[data-elapsed]").wait_for()
    screenshot(page, "06-wear-running")
    clock.advance(hours=2)
    page.goto("/more")
    page.goto("/wear")  # the running timer comes back from the browser's storage
    page.locator("[data-elapsed]").wait_for()
    page.click("button:has-text('Stop and log')")
    page.wait_for_url("**/log?kind=wear*")
    assert page.locator("input[name=kind][value=wear]").is_checked()
    assert page.input_value("#duration") == "120"
    rate(page, "pain", "0")
    page.click("button:has-text('Save')")
    page.locator("#log-area > .notice", has_text="Saved: wear session, 120 min").wait_for()

    page.goto("/progress")
    page.wait_for_function(
        "[...document.querySelectorAll('img.chart')].every(i => i.complete && i.naturalWidth > 0)"
    )
    assert page.locator("img.chart").count() == 3
    assert "to go" in page.locator("#goal-title + p").inner_text()
    screenshot(page, "07-progress")
    page.evaluate("document.getElementById('pain-title').scrollIntoView()")
    page.evaluate("window.scrollBy(0, -80)")
    screenshot(page, "07-progress-charts")

    page.goto("/guided")
    page.click("text=Start the warm-up")
    page.click("text=I'm relaxed: go on")
    page.click("button:has-text('Begin')")
    page.wait_for_function("document.querySelector('[data-cue]').textContent.includes('Breathe')")
    page.click("text=It's out: going back in")
    assert page.locator("[data-relube]").is_visible()
    screenshot(page, "08-guided")
    page.click("text=Done: lubed again")
    page.click("#stop")
    page.wait_for_url("**/log?*outcome=stopped*")
    assert page.locator("input[name=outcome][value=stopped]").is_checked()
    assert page.locator("input[name=relubed][value=yes]").is_checked()
    assert page.locator("input[name=warm_up][value=yes]").is_checked()
    assert page.locator("label.choice", has_text="Small plug").locator("input").is_checked()
    screenshot(page, "09-log-after-stop")

    for path, name in [("/emergency", "10-emergency"), ("/guide", "11-guide"),
                       ("/settings", "12-settings")]:  # fmt: skip
        page.goto(path)
        screenshot(page, name)
    page.emulate_media(color_scheme="dark")
    for path, name in [("/", "13-today-dark"), ("/progress", "14-progress-dark")]:
        page.goto(path)
        screenshot(page, name)
