"""axe-core (vendored from the npm registry) finds no serious or critical violations."""

from __future__ import annotations

from tests.web.conftest import AXE
from tests.web.helpers import PASSWORD, csrf_of

SIGNED_OUT = [
    "/login",
    "/signup",
    "/forgot",
    "/emergency",
    "/guide",
    "/hide",
]  # the same for everyone
SIGNED_IN = [
    "/",
    "/log",
    "/toys",
    "/progress",
    "/guided",
    "/wear",
    "/settings",
    "/progress/goal",
    "/settings/data",
]
DARK = ["/", "/log"]  # the colours of both schemes are checked

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => {
      const where = v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ");
      return `${v.id} (${v.impact}): ${v.help} at ${where}`;
    });
}"""


def violations(page, path: str | None) -> list[str]:
    """axe's findings on `path`, or on the page as it is when `path` is None."""
    if path is not None:
        page.goto(path)
    # Not add_script_tag: an injected inline <script> is (rightly) refused by the pages' CSP.
    # Playwright's evaluate runs outside the page's policy.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    return [f"{path or page.url}: {v}" for v in page.evaluate(RUN_AXE)]


def test_the_main_pages_have_no_serious_or_critical_violations(phone):
    page = phone
    found = [v for path in SIGNED_OUT for v in violations(page, path)]

    page.goto("/signup")
    page.fill("#username", "ally")
    page.fill("#password", PASSWORD)
    page.check("input[name=adult]")
    page.click("text=Create account")
    found += violations(page, None)  # the recovery key, shown once (a form's answer)
    page.click("text=Continue")
    page.wait_for_url("**/toys?welcome=1")
    csrf = csrf_of(page.content())
    for name, mm in [("Small plug", "20"), ("Medium plug", "26")]:  # a gap between them
        page.request.post(
            "/toys",
            form={
                "csrf_token": csrf,
                "name": name,
                "kind": "plug",
                "diameter": mm,
                "base": "flared",
            },
        )
    plug = page.request.get("/api/v1/toys").json()[0]["id"]
    page.request.post(
        "/log",
        form={"csrf_token": csrf, "item": str(plug), "duration": "10", "pain": "1", "comfort": "7"},
    )

    found += [v for path in SIGNED_IN for v in violations(page, path)]
    page.emulate_media(color_scheme="dark")
    found += [f"dark {v}" for path in DARK for v in violations(page, path)]
    assert found == []
