"""The clinician report on a real database: rendered, read back with pypdf, drawn with pdfium."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import timedelta

import pypdf
import pypdfium2
import pytest
from sqlalchemy import select

from easein.domain.errors import InvalidInput
from easein.domain.safety import ConditionKind
from easein.domain.sessions import Bleeding, BloodColour, Session, SessionKind
from easein.domain.toys import Base, ToyKind
from easein.services import toys, training
from easein.services.app import open_app
from easein.services.profile import Profile, create_person
from easein.services.report import clinician_report, default_period, report_pdf
from easein.settings import Settings
from easein.store.models import TrainingStateRow

UNICODE_NAME = "Ωμέγα Привет 日本 plug\u202e\x07"


def draft(app, days_ago: float, **kw) -> Session:
    base = Session(
        id=0,
        kind=kw.pop("kind", SessionKind.STRETCH),
        started_at=app.now() - timedelta(days=days_ago),
        duration=timedelta(minutes=kw.pop("minutes", 15)),
        item_ids=(0,),
        reached_item_id=0,
        reached_mm=0,
        pain=kw.pop("pain", 1),
    )
    return replace(base, **kw)


@pytest.fixture
def trainee(app, profile, ladder):
    """Berlin, mm; sessions with high and sharp pain, spotting, lasting dark blood, a condition.

    The clock stands at Mon 2 Mar 2026 21:00 in Berlin.
    """
    log = [
        (20, ["finger"], {"notes": "NOTE-EARLY felt easy"}),
        (14, ["finger", "small"], {}),
        (10, ["small"], {"pain": 5, "sharp": True}),
        (7, ["finger"], {"kind": SessionKind.WEAR, "minutes": 120}),
        (5, ["small"], {"bleeding": Bleeding.SPOTTING, "notes": "NOTE-SPOTTING a little"}),
        (1, ["medium"], {"pain": 7, "bleeding": Bleeding.LASTING, "colour": BloodColour.DARK}),
    ]
    for days_ago, items, changes in log:
        training.log_session(app, profile, draft(app, days_ago, **changes), items)
    training.set_condition(app, profile, ConditionKind.HAEMORRHOIDS, "COND-NOTE flare-up")
    return profile


@pytest.fixture
def stranger(app):
    """Another person in the same database, with a marked item, session and note."""
    with app.db.writing() as db:
        person = create_person(db, app, adult=True, timezone="Europe/Berlin", units="mm")
        other = Profile(person.id, person.timezone, profile_units(person.units))
    toys.add_toy(
        app, other.person_id, name="STRANGER-plug", kind=ToyKind.PLUG, diameter_mm=40,
        base=Base.FLARED,
    )  # fmt: skip
    training.log_session(
        app, other, draft(app, 3, pain=6, notes="STRANGER-note"), ["STRANGER-plug"]
    )
    return other


def profile_units(value: str):
    from easein.domain.units import Units

    return Units(value)


def text_of(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_holds_the_clinical_facts_of_the_period(app, trainee, stranger):
    made = report_pdf(app, trainee, "2026-02-01", "2026-03-02")
    assert made.filename == "training-record-2026-02-01-to-2026-03-02.pdf"
    assert made.pdf.startswith(b"%PDF-")
    text = text_of(made.pdf)
    for fact in [
        "Training record",
        "Period: 01 Feb 2026 to 02 Mar 2026 (times in Europe/Berlin)",
        "Sessions: 6 on 6 of 30 days",
        "Largest diameter used: 19 mm (medium)",
        "Active dilation",
        "Prolonged wear",
        "Pain ≥ 4/10: 2 of 6 sessions",
        "Pain 5/10, sharp or sudden",
        "20 Feb 2026 21:00",  # the sharp pain, on the trainee's wall clock
        "Bleeding: spotting (bright red)",
        "25 Feb 2026 21:00",
        "Bleeding: lasting more than a few minutes (dark red)",
        "Medical hold: advised to see a doctor",
        "Haemorrhoids: from 02 Mar 2026 21:00, ongoing",
        "small",
        "17 mm",
        "Largest diameter used, per session (mm)",
        "Free-text notes: not included",
    ]:
        assert fact in text, fact
    for absent in ["NOTE-EARLY", "NOTE-SPOTTING", "COND-NOTE", "STRANGER", "40 mm", "6/10"]:
        assert absent not in text, absent


def test_notes_appear_only_when_chosen(app, trainee):
    text = text_of(report_pdf(app, trainee, "2026-02-01", "2026-03-02", notes=True).pdf)
    assert "NOTE-EARLY felt easy" in text
    assert "NOTE-SPOTTING a little" in text
    assert "COND-NOTE flare-up" in text
    assert "Free-text notes: included" in text


def test_the_document_says_only_training_record_about_itself(app, trainee):
    reader = pypdf.PdfReader(io.BytesIO(report_pdf(app, trainee, None, None).pdf))
    meta = dict(reader.metadata or {})
    assert meta.get("/Title") == "Training record"
    assert not meta.get("/Author") and not meta.get("/Subject") and not meta.get("/Keywords")
    assert not meta.get("/Creator") and not meta.get("/Producer")


def test_the_first_page_and_the_charts_render_to_images(app, trainee):
    document = pypdfium2.PdfDocument(report_pdf(app, trainee, "2026-02-01", "2026-03-02").pdf)
    try:
        assert len(document) >= 2
        for index in range(len(document)):
            image = document[index].render(scale=0.5).to_pil().convert("L")
            pixels = image.tobytes()
            inked = sum(1 for p in pixels if p < 200) / len(pixels)
            black = sum(1 for p in pixels if p < 40) / len(pixels)
            assert inked > 0.01, f"page {index + 1} is blank"
            # a chart whose styles fpdf2 cannot read comes out as a black box
            assert black < 0.1, f"page {index + 1} is {black:.0%} black"
    finally:
        document.close()


def test_any_unicode_in_names_and_notes_renders_without_failing(app, profile):
    toys.add_toy(
        app, profile.person_id, name=UNICODE_NAME, kind=ToyKind.PLUG, diameter_mm=20,
        base=Base.FLARED, material="😀 silicone ﷺ",
    )  # fmt: skip
    note = "שלום عربى 中文 \x00\x1b[31m" + "x" * 3000 + " 𝔘𝔫𝔦𝔠𝔬𝔡𝔢\n\nnext line"
    training.log_session(app, profile, draft(app, 1, notes=note), [UNICODE_NAME])
    text = text_of(report_pdf(app, profile, None, None, notes=True).pdf)
    assert "Ωμέγα Привет ?? plug" in text  # no glyph for CJK in the font: `?`, never dropped
    assert "next line" in text


def test_a_bad_period_names_the_field(app, trainee):
    with pytest.raises(InvalidInput) as caught:
        report_pdf(app, trainee, "2026-03-02", "2026-02-01")
    assert caught.value.field == "to"
    with pytest.raises(InvalidInput) as caught:
        report_pdf(app, trainee, "02/01/2026", "2026-03-01")
    assert caught.value.field == "from"


def test_the_default_period_is_the_last_90_days(app, trainee):
    period = default_period(app, trainee)
    assert (period.first.isoformat(), period.last.isoformat()) == ("2025-12-03", "2026-03-02")
    assert clinician_report(app, trainee, None, None).period == "03 Dec 2025 to 02 Mar 2026"


def test_a_stale_state_is_replayed_for_the_report_and_nothing_is_written(
    settings, clock, app, trainee
):
    with app.db.reading() as db:
        before = db.scalars(select(TrainingStateRow.policy_key)).all()
    stricter = open_app(Settings(database_url=settings.database_url, pain_limit=3), clock=clock)
    try:
        report = clinician_report(stricter, trainee, "2026-02-01", "2026-03-02")
    finally:
        stricter.close()
    assert "Pain ≥ 3/10: 2 of 6 sessions" in report.pain
    assert report.state == "Medical hold: advised to see a doctor"
    with app.db.reading() as db:
        assert db.scalars(select(TrainingStateRow.policy_key)).all() == before
