"""The report for a clinician in the web app: a form that downloads a private PDF."""

from __future__ import annotations

import io
from pathlib import Path

import httpx
import pypdf

from tests.web.conftest import screenshot
from tests.web.helpers import field_errors, signed_up
from tests.web.test_accessibility import violations
from tests.web.test_journey import add_item, log_session, sign_up


def text_of(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_the_form_and_the_pdf_are_private_and_never_stored(live_server):
    with httpx.Client(base_url=live_server.url) as anonymous:
        for path in ["/report", "/report.pdf?from=2026-01-01&to=2026-01-31"]:
            response = anonymous.get(path)
            assert response.status_code == 303
            assert response.headers["location"].startswith("/login")
    client, _ = signed_up(live_server.url)
    form = client.get("/report")
    assert form.status_code == 200
    assert form.headers["cache-control"] == "no-store"
    assert 'value="2025-12-03"' in form.text and 'value="2026-03-02"' in form.text  # 90 days
    pdf = client.get("/report.pdf", params={"from": "2026-03-01", "to": "2026-03-02"})
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["cache-control"] == "no-store"
    assert pdf.headers["content-disposition"] == (
        'attachment; filename="training-record-2026-03-01-to-2026-03-02.pdf"'
    )
    assert "Training record" in text_of(pdf.content)


def test_a_bad_period_shows_the_form_again_with_the_field_named(live_server):
    client, _ = signed_up(live_server.url)
    response = client.get("/report.pdf", params={"from": "2026-03-02", "to": "2026-03-01"})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert field_errors(response.text) == [
        "to: 2026-03-01 is before from (2026-03-02); the period must end on or after its first day"
    ]
    assert 'value="2026-03-02"' in response.text  # what was typed stays


def test_the_button_on_a_phone_downloads_the_pdf(phone, live_server, tmp_path: Path):
    page = phone
    sign_up(page)
    add_item(page, "Small plug", "20", "Flared base")
    log_session(page, "Small plug", pain="5")

    page.goto("/progress")
    page.click("text=Report for a clinician")
    page.wait_for_url("**/report")
    assert violations(page, "/report") == []  # axe-core: no serious or critical violations
    page.fill("#from", "2026-02-01")
    page.check("input[name=notes]")
    screenshot(page, "report-for-a-clinician")
    with page.expect_download() as info:
        page.click("button:has-text('Download the PDF')")
    download = info.value
    assert download.suggested_filename == "training-record-2026-02-01-to-2026-03-02.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    text = text_of(saved.read_bytes())
    assert "Period: 01 Feb 2026 to 02 Mar 2026" in text
    assert "Small plug" in text
    assert "Pain ≥ 4/10: 1 of 1 sessions" in text
    assert "Free-text notes: included" in text


def test_the_medical_hold_on_today_links_to_the_report(live_server):
    client, csrf = signed_up(live_server.url)
    headers = {"X-CSRF-Token": csrf}
    assert 'href="/report"' not in client.get("/").text
    toy = client.post(
        "/api/v1/toys",
        json={"name": "Small plug", "kind": "plug", "diameter_mm": 20, "base": "flared"},
        headers=headers,
    ).json()
    logged = client.post(
        "/api/v1/sessions",
        json={"duration_min": 15, "item_ids": [toy["id"]], "pain": 8},
        headers=headers,
    )
    assert logged.status_code == 201, logged.text
    today = client.get("/").text
    assert "Seen a doctor?" in today
    assert 'href="/report"' in today
    assert 'href="/report"' in client.get("/progress").text
