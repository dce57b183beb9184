"""The clinician report laid out as a PDF (fpdf2), with DejaVu Sans embedded.

Only layout lives here: every word and number comes from `domain.report`. Any
text a person typed (item names, materials, notes) may hold any Unicode; what
the font cannot draw is printed as `?` and control characters are dropped, so a
report never fails on its text and never silently loses a character.
"""

from __future__ import annotations

import io
import logging
import unicodedata
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from easein.domain.report import Event, Report
from easein.services import report_charts

FONTS = Path(__file__).parent / "fonts"
FAMILY = "DejaVu"
BODY, SMALL = 10, 8.5
INK, MUTED, RULE = (20, 20, 20), (90, 90, 90), (200, 200, 200)
MISSING = "?"


def _printable(text: str, cmap: dict[int, Any], *, lines: bool = False) -> str:
    """Return `text` with what the font cannot draw as `?` and control characters dropped."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        if char == "\n" and lines:
            out.append(char)
        elif char in "\t\r\n":
            out.append(" ")
        elif unicodedata.category(char) in ("Cc", "Cf"):
            continue  # controls, zero-width and direction marks: nothing to draw
        elif ord(char) in cmap:
            out.append(char)
        else:
            out.append(MISSING)
    return "".join(out)


def _document(report: Report, created: datetime) -> Any:
    from fpdf import FPDF

    class Document(FPDF):  # type: ignore[misc]
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(FAMILY, "", 7.5)
            self.set_text_color(*MUTED)
            self.cell(0, 5, f"{report.title}, {report.period}", align="L", new_x="LMARGIN")
            self.cell(0, 5, f"page {self.page_no()} of {{nb}}", align="R")

    pdf = Document(format="A4", unit="mm")
    pdf.set_margins(16, 16, 16)
    pdf.set_auto_page_break(True, margin=18)
    # Discretion: the metadata a file manager or a mail client shows say only this.
    pdf.set_title(report.title)
    pdf.set_creator("")
    pdf.set_producer("")
    pdf.set_lang("en")
    pdf.set_creation_date(created)
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.alias_nb_pages()
    return pdf


class _Writer:
    """Headings, paragraphs, tables and images on one document, all text made printable."""

    def __init__(self, pdf: Any) -> None:
        self.pdf = pdf
        pdf.set_font(FAMILY, "", BODY)
        self.cmap = pdf.current_font.cmap
        self.printable: dict[tuple[str, bool], str] = {}  # a log repeats its words

    def text(self, value: str, *, lines: bool = False) -> str:
        key = (value, lines)
        found = self.printable.get(key)
        if found is None:
            found = self.printable[key] = _printable(value, self.cmap, lines=lines)
        return found

    def heading(self, title: str) -> None:
        pdf = self.pdf
        if pdf.will_page_break(30):
            pdf.add_page()
        pdf.ln(3)
        pdf.set_font(FAMILY, "B", 12)
        pdf.set_text_color(*INK)
        pdf.cell(0, 7, self.text(title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_draw_color(*RULE)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
        pdf.ln(2)
        pdf.set_font(FAMILY, "", BODY)

    def para(
        self, value: str, *, size: float = BODY, muted: bool = False, bold: bool = False
    ) -> None:
        pdf = self.pdf
        pdf.set_font(FAMILY, "B" if bold else "", size)
        pdf.set_text_color(*(MUTED if muted else INK))
        pdf.multi_cell(
            0, size * 0.5, self.text(value, lines=True), align="L", new_x="LMARGIN", new_y="NEXT"
        )
        pdf.set_font(FAMILY, "", BODY)
        pdf.set_text_color(*INK)

    def bullets(self, values: Sequence[str]) -> None:
        for value in values:
            self.para(f"•  {value}")

    def table(
        self, headings: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int]
    ) -> None:
        """Draw a table: `widths` are shares of the text width; long cells wrap on words.

        Laid out here, row by row, with plain text placement rather than fpdf2's
        `table()`, which runs a full `multi_cell` (line breaking, styling) per cell and
        took seconds for a year's session log. The look is the same: a shaded bold
        heading row, repeated at the top of every page the table runs onto, and a thin
        rule between rows; a row is never split across pages.
        """
        pdf = self.pdf
        scale = pdf.epw / sum(widths)
        columns = [w * scale for w in widths]
        line = SMALL * 0.55
        pad = 1.0
        pdf.set_font(FAMILY, "B", SMALL)
        head = _Cells(pdf, columns, pad)
        top = [head.wrap(self.text(value), i) for i, value in enumerate(headings)]
        pdf.set_font(FAMILY, "", SMALL)
        body = _Cells(pdf, columns, pad)
        laid = [[body.wrap(self.text(value), i) for i, value in enumerate(row)] for row in rows]

        def height(cells: list[list[str]]) -> float:
            return max((len(c) for c in cells), default=1) * line + 2 * pad

        def draw(cells: list[list[str]], *, bold: bool) -> None:
            y, h = pdf.get_y(), height(cells)
            if bold:
                pdf.set_fill_color(238, 238, 238)
                pdf.rect(pdf.l_margin, y, pdf.epw, h, style="F")
            pdf.set_font(FAMILY, "B" if bold else "", SMALL)
            x = pdf.l_margin
            for width, lines in zip(columns, cells, strict=False):
                for n, text in enumerate(lines):
                    # As fpdf2's cell(): the baseline sits mid-line, 0.3 of the font size down.
                    base = y + pad + n * line + line / 2 + 0.3 * pdf.font_size
                    pdf.text(x + pad, base, text)
                x += width
            pdf.line(pdf.l_margin, y + h, pdf.l_margin + pdf.epw, y + h)
            pdf.set_y(y + h)

        pdf.set_draw_color(*RULE)
        pdf.set_text_color(*INK)
        if pdf.will_page_break(height(top) + (height(laid[0]) if laid else 0)):
            pdf.add_page()
        draw(top, bold=True)
        for cells in laid:
            if pdf.will_page_break(height(cells)):
                pdf.add_page()
                draw(top, bold=True)
            draw(cells, bold=False)
        pdf.set_font(FAMILY, "", BODY)
        pdf.set_x(pdf.l_margin)
        pdf.ln(1)

    def events(self, found: Sequence[Event], none: str) -> None:
        if found:
            self.table(("Date", "Event"), [(e.when, e.what) for e in found], (26, 74))
        else:
            self.para(none, muted=True)

    def chart(self, title: str, svg: bytes) -> None:
        pdf = self.pdf
        if pdf.will_page_break(80):
            pdf.add_page()
        self.para(title, bold=True)
        fpdf_svg = logging.getLogger("fpdf.svg")
        level = fpdf_svg.level
        fpdf_svg.setLevel(logging.ERROR)  # pygal's unused CSS properties are not news
        try:
            pdf.image(io.BytesIO(svg), w=pdf.epw)
        finally:
            fpdf_svg.setLevel(level)
        pdf.ln(2)


class _Cells:
    """Word-wraps cell texts to their column in the current font, measuring each distinct
    word once (a session log repeats the same few words a thousand times)."""

    def __init__(self, pdf: Any, columns: Sequence[float], pad: float) -> None:
        self.pdf = pdf
        self.room = [max(1.0, c - 2 * pad) for c in columns]
        self.widths: dict[str, float] = {}

    def width(self, text: str) -> float:
        found = self.widths.get(text)
        if found is None:
            found = self.widths[text] = self.pdf.get_string_width(text)
        return found

    def wrap(self, text: str, column: int) -> list[str]:
        room = self.room[column]
        if self.width(text) <= room:
            return [text]
        lines: list[str] = []
        current = ""
        for word in text.split(" "):
            candidate = f"{current} {word}" if current else word
            if self.width(candidate) <= room:
                current = candidate
                continue
            if current:
                lines.append(current)
            current = ""
            while len(word) > 1 and self.width(word) > room:  # wider than its column: break
                lo, hi = 1, len(word) - 1  # the longest head that fits (at least one char)
                while lo < hi:
                    mid = (lo + hi + 1) // 2
                    if self.pdf.get_string_width(word[:mid]) <= room:
                        lo = mid
                    else:
                        hi = mid - 1
                lines.append(word[:lo])
                word = word[lo:]
            current = word
        if current or not lines:
            lines.append(current)
        return lines


def render(report: Report, *, created: datetime) -> bytes:
    """Return `report` as the bytes of a PDF document."""
    pdf = _document(report, created)
    pdf.add_page()
    w = _Writer(pdf)

    pdf.set_font(FAMILY, "B", 18)
    pdf.cell(0, 10, w.text(report.title), new_x="LMARGIN", new_y="NEXT")
    w.para(f"Period: {report.period} (times in {report.timezone})")
    w.para(f"Prepared: {report.prepared}", muted=True)
    notes = "included" if report.notes is not None else "not included"
    w.para(f"All entries are self-reported. Free-text notes: {notes}.", size=SMALL, muted=True)

    w.heading("Current state")
    w.para(report.state, bold=True)
    w.bullets(report.state_reasons)

    w.heading("Summary")
    w.bullets(report.summary)
    if report.kinds:
        w.table(
            ("Type of session", "Sessions", "Total time", "Median per session"),
            [(k.label, str(k.sessions), k.total, k.median) for k in report.kinds],
            (40, 20, 20, 20),
        )

    w.heading("Items and sizes used")
    if report.items:
        w.table(
            ("Item", "Description", "Diameter", "Sessions"),
            [(i.name, i.description, i.size, str(i.sessions)) for i in report.items],
            (30, 36, 22, 12),
        )
    else:
        w.para("No items used in this period.", muted=True)

    w.heading("Pain")
    w.bullets(report.pain)
    w.events(report.pain_events, "No pain at or above the limit, and no sharp pain, recorded.")

    w.heading("Bleeding")
    w.events(report.bleeding_events, "No bleeding recorded in this period.")

    w.heading("Conditions")
    if report.conditions:
        w.bullets(report.conditions)
    else:
        w.para("None recorded in this period.", muted=True)

    if report.points:
        w.heading("Charts")
        w.chart("Largest diameter used, per session (mm)", report_charts.size_chart(report.points))
        w.chart("Pain, per session (0-10)", report_charts.pain_chart(report.points))

    w.heading("Session log")
    if report.log:
        w.table(
            ("Date", "Type", "Duration", "Largest item", "Pain", "Bleeding"),
            [(x.when, x.kind, x.duration, x.item, x.pain, x.bleeding) for x in report.log],
            (21, 17, 12, 26, 12, 22),
        )
    else:
        w.para("No sessions in this period.", muted=True)

    if report.notes is not None:
        w.heading("Notes")
        if not report.notes:
            w.para("No notes in this period.", muted=True)
        for note in report.notes:
            w.para(note.when, bold=True, size=SMALL)
            w.para(note.what)
    return bytes(pdf.output())
