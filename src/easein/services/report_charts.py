"""Charts for the clinician report: pygal draws them as SVG, fpdf2 embeds the SVG.

fpdf2 reads only single-class CSS rules (`.name { ... }`), while pygal's own
stylesheets use descendant selectors (`.plot > .background`), so a chart made
with them comes out as a black box in a PDF. These charts carry a small print
stylesheet instead, of single-class rules only; fpdf2 applies a tag's classes
in the order they are written, which is why `.reactive` (a series' line and
dots) comes after `.line` (the grid) and takes its colour from its series.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from easein.domain.report import Point

PLUM, AMBER = "#6a3fa8", "#b8620f"
WIDTH, HEIGHT = 720, 300

PRINT_CSS = """inline:
.graph { fill: #222222; stroke: none; }
.background { fill: #ffffff; stroke: none; }
.line { stroke: #c8c8c8; stroke-width: 0.8; fill: none; }
.reactive { stroke: inherit; stroke-width: 2.5; }
.nofill { fill: none; }
.dot { stroke-width: 1; }
.color-0 { stroke: COLOUR; fill: COLOUR; }
"""
# Tooltips and titles mean nothing on paper (and fpdf2 warns about each one).
_INERT = re.compile(r"<(script|desc|title)\b[^>]*>.*?</\1>|<(desc|title)\b[^>]*/>", re.DOTALL)


DOTS_UP_TO = 120  # past this many sessions, a dot each is clutter (and slow to embed)


def _config(colour: str, points: int, **extra: Any) -> dict[str, Any]:
    from pygal.style import Style

    style = Style(
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#222222",
        foreground_strong="#222222",
        foreground_subtle="#c8c8c8",
        colors=(colour,),
        label_font_size=12,
        major_label_font_size=12,
    )
    return {
        "style": style,
        "width": WIDTH,
        "height": HEIGHT,
        "explicit_size": True,
        "js": [],
        "css": [
            PRINT_CSS.replace("COLOUR", colour)
        ],  # instead of pygal's stylesheets: see the module's docstring
        "no_prefix": True,
        "disable_xml_declaration": True,
        "show_legend": False,
        "dots_size": 3,
        "show_dots": points <= DOTS_UP_TO,
        "x_label_rotation": 0,
        "x_value_formatter": lambda at: at.strftime("%d %b"),
        "x_labels_major_count": 5,
        "show_minor_x_labels": False,
        "truncate_label": -1,
        "margin": 6,
        "margin_right": 30,
        **extra,
    }


def _svg(chart: Any) -> bytes:
    return _INERT.sub("", chart.render(is_unicode=True)).encode()


def _series(points: Sequence[Point], value: str) -> list[tuple[datetime, float]]:
    return [(p.at, float(getattr(p, value))) for p in points]


def size_chart(points: Sequence[Point]) -> bytes:
    """Return the largest diameter of each session over the period (mm), as SVG."""
    import pygal

    top = max((p.mm for p in points), default=10.0)
    chart = pygal.DateTimeLine(**_config(PLUM, len(points), range=(0, top * 1.1), y_title="mm"))
    chart.add("Largest diameter (mm)", _series(points, "mm"))
    return _svg(chart)


def pain_chart(points: Sequence[Point]) -> bytes:
    """Return the pain of each session over the period (0-10), as SVG."""
    import pygal

    chart = pygal.DateTimeLine(**_config(AMBER, len(points), range=(0, 10), y_title="pain /10"))
    chart.add("Pain (0-10)", _series(points, "pain"))
    return _svg(chart)
