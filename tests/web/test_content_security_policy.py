"""In a real browser, the pages work under their Content-Security-Policy: nothing is refused.

Chromium reports every refusal (an inline script, style or event handler, a script
or image from elsewhere) as a `securitypolicyviolation` event and on the console;
the test collects both while it walks the pages, uses HTMX and draws the charts.
"""

from __future__ import annotations

from tests.web.helpers import csrf_of, sign_up_in

SIGNED_OUT = [
    "/login", "/signup", "/forgot", "/emergency", "/guide", "/guide/safety", "/offline", "/nope",
    "/hide",
]  # fmt: skip
SIGNED_IN = [
    "/",
    "/log",
    "/toys",
    "/progress",
    "/guided",
    "/wear",
    "/plans",
    "/history",
    "/settings",
    "/more",
    "/logout",
]

RECORD = """() => {
  window.__refused = [];
  document.addEventListener("securitypolicyviolation", (e) => {
    window.__refused.push(`${e.violatedDirective} refused ${e.blockedURI || "inline"}`);
  });
}"""


def test_no_page_breaks_its_content_security_policy(phone):
    page = phone
    console: list[str] = []
    page.on(
        "console",
        lambda m: console.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.add_init_script(f"({RECORD})()")
    refused: list[str] = []

    def visit(path: str) -> None:
        response = page.goto(path)
        assert response is not None
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        page.wait_for_load_state("load")
        refused.extend(f"{path}: {r}" for r in page.evaluate("window.__refused"))

    for path in SIGNED_OUT:
        visit(path)

    sign_up_in(page, "casey")
    csrf = csrf_of(page.content())
    page.request.post(
        "/toys",
        form={
            "csrf_token": csrf,
            "name": "Small",
            "kind": "plug",
            "diameter": "20",
            "base": "flared",
        },
    )
    for path in SIGNED_IN:
        visit(path)

    # HTMX under the policy: log a session from the form; the status is swapped in.
    page.goto("/log")
    page.locator("label.choice", has_text="Small").first.click()
    page.fill("#duration", "15")
    page.click("input[name=pain][value='1'] + span")
    page.locator("form.log-form button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    assert len(page.request.get("/api/v1/sessions").json()) == 1  # HTMX did post it
    refused.extend(f"/log (htmx): {r}" for r in page.evaluate("window.__refused"))

    # The charts are SVG images with their own styles: drawn, not refused.
    visit("/progress")
    widths = page.eval_on_selector_all("img.chart", "imgs => imgs.map(i => i.naturalWidth)")
    assert widths and all(w > 0 for w in widths), widths

    assert refused == []
    assert console == []
