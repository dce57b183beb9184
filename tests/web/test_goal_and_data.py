"""The goal form behind Progress, and Settings' "Download my data" and "Import".

Form posts over plain HTTP (no JavaScript) first, then the same in a real browser:
set a goal and see "mm to go" on Progress, download the data, import it elsewhere.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from tests.web.conftest import screenshot
from tests.web.helpers import csrf_of, field_errors, sign_up_in, signed_up


def add_plug(client: httpx.Client, csrf: str, name: str, mm: str) -> None:
    form = {"csrf_token": csrf, "name": name, "kind": "plug", "diameter": mm, "base": "flared"}
    assert client.post("/toys", data=form).status_code == 303


def earn_smallest(client: httpx.Client, csrf: str) -> None:
    """Three comfortable sessions at the smallest item, over more than a week (the API)."""
    item = client.get("/api/v1/toys").json()[0]["id"]
    for day in ("2026-02-20", "2026-02-24", "2026-02-28"):
        made = client.post(
            "/api/v1/sessions",
            json={"started_at": f"{day}T20:00:00Z", "duration_min": 15, "item_ids": [item],
                  "pain": 1, "comfort": 7},
            headers={"X-CSRF-Token": csrf},
        )  # fmt: skip
        assert made.status_code == 201, made.text


# --- the goal form, without JavaScript ---------------------------------------------------


def test_a_goal_is_set_changed_and_cleared_with_plain_forms(live_server):
    client, csrf = signed_up(live_server.url)
    add_plug(client, csrf, "Small", "30")
    earn_smallest(client, csrf)
    progress = client.get("/progress").text
    assert 'href="/progress/goal"' in progress and "Set a goal of your own" in progress

    bad = client.post("/progress/goal", data={"csrf_token": csrf, "size": "3 furlong"})
    assert bad.status_code == 422
    assert field_errors(bad.text) == ["size: unknown unit 'furlong'; use mm, cm or in"]
    assert 'value="3 furlong"' in bad.text  # what was typed is shown again
    hours = client.post(
        "/progress/goal", data={"csrf_token": csrf, "size": "38", "wear_hours": "x"}
    )
    assert hours.status_code == 422 and "wear_hours" in field_errors(hours.text)[0]
    empty = client.post("/progress/goal", data={"csrf_token": csrf, "size": ""})
    assert empty.status_code == 422 and field_errors(empty.text)[0].startswith("size: fill this in")
    forged = client.post("/progress/goal", data={"size": "38mm"})
    assert forged.status_code == 403
    assert client.get("/api/v1/goal").status_code == 404  # nothing was written

    done = client.post(
        "/progress/goal",
        data={"csrf_token": csrf, "size": "38", "wear_hours": "8", "note": "for us"},
    )
    assert done.status_code == 303 and done.headers["location"] == "/progress?saved=goal"
    page = client.get("/progress?saved=goal").text
    assert "Goal saved." in page
    assert "8 mm to go" in page
    assert "does not exist on your ladder yet" in page  # the largest item is 30 mm
    assert "for us" in page and "8 h of long wear" in page

    form = client.get("/progress/goal").text
    assert 'value="38mm"' in form and 'value="8"' in form and ">for us</textarea>" in form
    assert (
        client.post("/progress/goal", data={"csrf_token": csrf, "size": "30mm"}).status_code == 303
    )
    assert "Goal reached" in client.get("/progress").text

    cleared = client.post("/progress/goal/clear", data={"csrf_token": csrf})
    assert cleared.headers["location"] == "/progress?saved=goal-cleared"
    assert client.get("/api/v1/goal").status_code == 404
    assert "Top of your ladder" in client.get("/progress").text


def test_nobody_clears_another_persons_goal(live_server):
    alice, alice_csrf = signed_up(live_server.url, "alice")
    bob, bob_csrf = signed_up(live_server.url, "bob")
    alice.post("/progress/goal", data={"csrf_token": alice_csrf, "size": "38mm", "note": "mine"})
    assert bob.post("/progress/goal/clear", data={"csrf_token": bob_csrf}).status_code == 422
    assert bob.post("/progress/goal/clear", data={"csrf_token": alice_csrf}).status_code == 403
    assert alice.get("/api/v1/goal").json()["note"] == "mine"
    assert "mine" not in bob.get("/progress").text


# --- download and import, without JavaScript ---------------------------------------------


def test_download_is_the_export_document_as_an_uncached_attachment(live_server):
    client, csrf = signed_up(live_server.url)
    add_plug(client, csrf, "Small", "30")
    client.post("/progress/goal", data={"csrf_token": csrf, "size": "38mm"})
    assert 'href="/settings/data"' in client.get("/settings").text
    assert "Download my data" in client.get("/settings/data").text

    download = client.get("/settings/data/export.json")
    assert download.status_code == 200
    assert download.headers["cache-control"] == "no-store"
    assert download.headers["content-type"] == "application/json"
    assert download.headers["content-disposition"] == (
        'attachment; filename="easein-export-2026-03-02.json"'
    )
    assert json.loads(download.content) == client.get("/api/v1/export").json()
    assert json.loads(download.content)["goal"]["target_mm"] == 38
    with httpx.Client(base_url=live_server.url) as stranger:
        assert stranger.get("/settings/data/export.json").status_code == 303  # to /login


def test_a_bad_import_shows_one_clear_line_and_changes_nothing(live_server):
    alice, alice_csrf = signed_up(live_server.url, "alice")
    add_plug(alice, alice_csrf, "Small", "30")
    export = alice.get("/settings/data/export.json").content
    bob, csrf = signed_up(live_server.url, "bob")
    before = bob.get("/api/v1/export").json()

    def upload(content: bytes, token: str = csrf) -> httpx.Response:
        return bob.post(
            "/settings/data/import",
            data={"csrf_token": token},
            files={"file": ("export.json", content, "application/json")},
        )

    not_json = upload(b"{nope")
    assert not_json.status_code == 422
    assert field_errors(not_json.text)[0].startswith("export.json is not JSON")
    wrong = json.loads(export)
    wrong["toys"][0]["diameter_mm"] = "30"
    refused = upload(json.dumps(wrong).encode())
    assert refused.status_code == 422
    (message,) = field_errors(refused.text)
    assert message.startswith("import: toys.0.diameter_mm:") and "\n" not in message
    assert upload(export, token="forged").status_code == 403
    no_file = bob.post("/settings/data/import", data={"csrf_token": csrf})
    assert no_file.status_code == 422
    assert field_errors(no_file.text) == ["choose an export file to import"]
    assert bob.get("/api/v1/export").json() == before

    assert upload(export).headers["location"] == "/settings/data?imported=1"
    assert bob.get("/api/v1/toys").json()[0]["name"] == "Small"
    again = upload(export)
    assert again.status_code == 409
    assert "already holds records" in field_errors(again.text)[0]
    assert "sign up a new account" in again.text


# --- the same in a real browser ----------------------------------------------------------


def test_set_a_goal_see_mm_to_go_download_and_import_in_a_browser(
    browser, phone, live_server, tmp_path: Path
):
    page = phone
    sign_up_in(page, "robin")
    csrf = csrf_of(page.content())
    page.request.post(
        "/toys",
        form={"csrf_token": csrf, "name": "Small plug", "kind": "plug", "diameter": "30",
              "base": "flared"},
    )  # fmt: skip
    item = page.request.get("/api/v1/toys").json()[0]["id"]
    for day in ("2026-02-20", "2026-02-24", "2026-02-28"):
        made = page.request.post(
            "/api/v1/sessions",
            data={"started_at": f"{day}T20:00:00Z", "duration_min": 15, "item_ids": [item],
                  "pain": 1, "comfort": 7},
            headers={"X-CSRF-Token": csrf},
        )  # fmt: skip
        assert made.status == 201, made.text()

    page.goto("/progress")
    page.click("text=Set a goal of your own")
    page.wait_for_url("**/progress/goal")
    page.fill("#size", "38mm")
    page.fill("#wear_hours", "8")
    page.fill("#note", "For us, slowly.")
    page.click("button:has-text('Save goal')")
    page.wait_for_url("**/progress?saved=goal")
    assert page.locator("#goal-title + p").inner_text() == "8 mm to go"
    assert "For us, slowly." in page.locator("section[aria-labelledby=goal-title]").inner_text()
    screenshot(page, "15-progress-goal")

    page.goto("/settings")
    page.click("text=Download my data or import")
    page.wait_for_url("**/settings/data")
    with page.expect_download() as caught:
        page.click("a:has-text('Download my data')")
    download = caught.value
    assert download.suggested_filename == "easein-export-2026-03-02.json"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    document = json.loads(saved.read_text(encoding="utf-8"))
    assert document["goal"]["note"] == "For us, slowly."
    screenshot(page, "16-your-data")

    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url,
                                  service_workers="block")  # fmt: skip
    try:
        other = context.new_page()
        sign_up_in(other, "robin-new-phone")
        other.goto("/settings/data")
        other.set_input_files("#file", str(saved))
        other.click("button:has-text('Import')")
        other.wait_for_url("**/settings/data?imported=1")
        assert "Imported." in other.locator("[role=status]").inner_text()
        other.goto("/progress")
        assert other.locator("#goal-title + p").inner_text() == "8 mm to go"
        assert other.request.get("/api/v1/export").json() == document
    finally:
        context.close()
