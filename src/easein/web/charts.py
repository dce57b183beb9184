"""Charts for the Progress page: SVG drawn on the server by pygal, served as images.

An <img> keeps each chart's own styles out of the page (a strict CSP later) and
works without JavaScript. Colours hold up on light and dark pages alike; the
numbers are also on the page as tables for screen readers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from functools import cache
from typing import Any

from easein.domain.stats import Week
from easein.domain.units import Units, format_size

WIDTH, HEIGHT = 400, 260
WEEKS_SHOWN = 12
PLUM, GREEN, AMBER, GREY = "#8a5cc7", "#2f9e5f", "#d9822b", "#8c8496"

# In an <img>, the SVG follows the page's colour scheme through this query.
CSS = """inline:
@media (prefers-color-scheme: dark) {
  text { fill: #d8d0e0 !important; }
  .axis .guides .line, .axis .line { stroke: #4a4155 !important; }
}
"""
_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)


@cache
def _style(*colours: str) -> Any:
    from pygal.style import Style

    return Style(
        background="transparent",
        plot_background="transparent",
        foreground="#4a4452",
        foreground_strong="#4a4452",
        foreground_subtle="#b8aec2",
        colors=colours,
        font_family="system-ui, sans-serif",
        label_font_size=14,
        major_label_font_size=14,
        legend_font_size=14,
        value_font_size=13,
        title_font_size=15,
        stroke_width=3,
    )


def _config(*colours: str, **extra: Any) -> dict[str, Any]:
    return {
        "style": _style(*colours),
        "width": WIDTH,
        "height": HEIGHT,
        "js": [],  # no script inside the image (and no fetch from elsewhere)
        "css": ["file://style.css", "file://graph.css", CSS],
        "show_legend": False,
        "margin": 8,
        "margin_right": 24,  # room for the last date label
        "explicit_size": False,
        "no_prefix": True,  # each chart is its own document
        "disable_xml_declaration": True,
        **extra,
    }


def _svg(chart: Any, title: str) -> bytes:
    """Return the chart's SVG without pygal's (inert, in an <img>) script, titled."""
    svg = _SCRIPT.sub("", chart.render(is_unicode=True))
    return svg.replace("<title>Pygal</title>", f"<title>{title}</title>", 1).encode()


def _day(value: date) -> str:
    return value.strftime("%d %b").lstrip("0")


def earned_chart(earned: Sequence[tuple[date, float | None]], today: date, units: Units) -> bytes:
    """Return the earned size over time as a step line, up to today."""
    import pygal

    points: list[tuple[date, float | None]] = []
    for day, mm in earned:
        if points and points[-1][1] is not None:
            points.append((day - timedelta(days=1), points[-1][1]))
        points.append((day, mm))
    if points and points[-1][0] < today:
        points.append((today, points[-1][1]))
    scale = 25.4 if units is Units.IN else 1.0
    chart = pygal.DateLine(
        **_config(
            PLUM,
            x_value_formatter=_day,
            value_formatter=lambda mm: format_size(mm * scale, units),
            x_label_rotation=0,
            dots_size=4,
            truncate_label=-1,
            x_labels_major_count=4,
            show_minor_x_labels=False,
            y_title=units.value,
        )
    )
    chart.add(
        "Earned size",
        [(d, None if mm is None else round(mm / scale, 2)) for d, mm in points],
    )
    return _svg(chart, "Earned size over time")


def _recent(weeks: Sequence[Week]) -> list[Week]:
    return list(weeks[-WEEKS_SHOWN:])


def pain_comfort_chart(weeks: Sequence[Week]) -> bytes:
    """Return weekly average pain and comfort (0-10), the last weeks."""
    import pygal

    shown = _recent(weeks)
    chart = pygal.Line(
        **_config(
            AMBER,
            GREEN,
            range=(0, 10),
            show_legend=True,
            legend_at_bottom=True,
            legend_at_bottom_columns=2,
            x_labels=[_day(w.start) for w in shown],
            x_labels_major_every=max(1, len(shown) // 4),
            show_minor_x_labels=False,
            truncate_label=-1,
            dots_size=4,
        )
    )
    chart.add("Pain", [w.avg_pain for w in shown])
    chart.add("Comfort", [w.avg_comfort for w in shown])
    return _svg(chart, "Pain and comfort by week")


def wear_chart(weeks: Sequence[Week]) -> bytes:
    """Return long-wear hours per week, the last weeks."""
    import pygal

    shown = _recent(weeks)
    chart = pygal.Bar(
        **_config(
            PLUM,
            x_labels=[_day(w.start) for w in shown],
            x_labels_major_every=max(1, len(shown) // 4),
            show_minor_x_labels=False,
            truncate_label=-1,
            y_title="hours",
            rounded_bars=3,
        )
    )
    chart.add("Wear hours", [w.wear_hours for w in shown])
    return _svg(chart, "Long wear hours by week")
