"""The report's tables, laid out row by row: every row kept, headings on every page, long
cells wrapped and not cut, and a year of sessions still fast enough to wait for."""

from __future__ import annotations

import io
import re
import time

import pypdf

from easein.domain.sessions import Bleeding, BloodColour, SessionKind
from easein.domain.toys import Base, ToyKind
from easein.services import toys, training
from easein.services.report import report_pdf
from tests.services.test_report import draft

LONG_NAME = "An exceptionally long item name that cannot fit in one narrow column at all"


def pages_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def test_a_long_session_log_keeps_every_row_and_repeats_its_headings(app, profile, ladder):
    toys.add_toy(
        app, profile.person_id, name=LONG_NAME, kind=ToyKind.PLUG, diameter_mm=16,
        base=Base.FLARED,
    )  # fmt: skip
    sessions = 160
    for n in range(sessions):
        changes = {}
        if n == 40:
            changes = {"pain": 5, "sharp": True}
        if n == 90:
            changes = {"bleeding": Bleeding.SPOTTING, "colour": BloodColour.BRIGHT}
        kind = SessionKind.WEAR if n % 2 else SessionKind.STRETCH
        item = LONG_NAME if n % 2 else "finger"
        training.log_session(
            app, profile, draft(app, (sessions - n) / 2 + 0.1, kind=kind, **changes), [item]
        )
    began = time.perf_counter()
    made = report_pdf(app, profile, None, None)
    took = time.perf_counter() - began
    pages = pages_of(made.pdf)
    text = "\n".join(pages)

    log_pages = [p for p in pages if "Largest item" in p and "Bleeding" in p]
    assert len(log_pages) >= 3  # the log runs over pages, each with its heading row
    assert all(re.search(r"Date\s+Type\s+Duration\s+Largest item\s+Pain\s+Bleeding", p)
               for p in log_pages)  # fmt: skip
    assert len(re.findall(r"\d\d:\d\d (Active dilation|Prolonged wear)", text)) == sessions
    assert "Pain 5/10, sharp or sudden" in text and "Bleeding: spotting (bright red)" in text
    # the long name wraps inside its cells, word by word: nothing is cut off
    words = re.sub(r"\s+", " ", text)
    assert "An exceptionally long item name that cannot fit in one narrow column at all" in (
        words
    ) or all(w in text for w in LONG_NAME.split())
    assert took < 5, f"{took:.1f} s for {sessions} sessions"  # was seconds per few hundred


def test_a_word_wider_than_its_column_is_broken_not_lost(app, profile, ladder):
    name = "Z" * 80  # the longest name allowed, one word, far wider than its column
    toys.add_toy(
        app, profile.person_id, name=name, kind=ToyKind.PLUG, diameter_mm=16, base=Base.FLARED
    )
    training.log_session(app, profile, draft(app, 1), [name])
    text = "\n".join(pages_of(report_pdf(app, profile, None, None).pdf))
    assert text.count("Z") >= 2 * 80  # in the items table and in the session log
