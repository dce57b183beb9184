"""GET /api/v1/report: the owner's PDF, a 422 naming the field, nobody else's data."""

from __future__ import annotations

import io

import pypdf

from tests.api.conftest import User, openapi_document, seed


def text_of(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_the_owner_gets_a_pdf_attachment_with_notes_only_when_asked(owner: User, stranger: User):
    seed(owner, "OWNER-MARK")
    stranger_data = seed(stranger, "STRANGER-MARK")
    response = owner.get("report", params={"from": "2026-03-01", "to": "2026-03-02"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == (
        'attachment; filename="training-record-2026-03-01-to-2026-03-02.pdf"'
    )
    assert response.headers["cache-control"] == "no-store"
    text = text_of(response.content)
    assert "Training record" in text
    assert "OWNER-MARK plug" in text
    assert "OWNER-MARK notes" not in text
    assert "STRANGER-MARK" not in text

    with_notes = owner.get("report", params={"from": "2026-03-01", "to": "2026-03-02",
                                             "notes": "true"})  # fmt: skip
    assert "OWNER-MARK notes" in text_of(with_notes.content)
    assert "STRANGER-MARK" not in text_of(with_notes.content)

    theirs = text_of(stranger.get("report", params={"notes": "true"}).content)
    assert "STRANGER-MARK notes" in theirs and stranger_data["marker"] in theirs
    assert "OWNER-MARK" not in theirs


def test_a_token_works_and_a_stranger_without_credentials_gets_401(
    owner_token: User, anonymous: User
):
    assert owner_token.get("report").status_code == 200
    refused = anonymous.get("report")
    assert refused.status_code == 401
    assert refused.headers["content-type"].startswith("application/json")


def test_a_bad_period_is_a_422_naming_the_query_field(owner: User):
    backwards = owner.get("report", params={"from": "2026-03-02", "to": "2026-03-01"})
    assert backwards.status_code == 422
    assert backwards.json()["detail"][0]["loc"] == ["query", "to"]
    assert "before from" in backwards.json()["detail"][0]["msg"]
    not_a_day = owner.get("report", params={"from": "2026-02-30"})
    assert not_a_day.status_code == 422
    assert not_a_day.json()["detail"][0]["loc"] == ["query", "from"]
    garbled = owner.get("report", params={"to": "tomorrow"})
    assert garbled.status_code == 422
    assert garbled.json()["detail"][0]["loc"] == ["query", "to"]


def test_the_report_is_documented_as_a_pdf():
    operation = openapi_document()["paths"]["/api/v1/report"]["get"]
    assert "application/pdf" in operation["responses"]["200"]["content"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"from", "to", "notes"} <= names
    assert {"401", "422"} <= set(operation["responses"])
