"""Server-rendered SVG charts for poll results: bars with 95% intervals, and ballots per period.

Charts are inline SVG styled by static/css/insights.css (classes and currentColor, no style
attributes), so they follow the page's light or dark colours. Horizontal positions are given in
percentages so the bars stretch to the width of the page while text keeps its normal size.
Every label is escaped; each chart is an image with a title and description, and the pages
pair it with a table of the same numbers.
"""

import math
from dataclasses import dataclass

from babel import numbers
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup, escape

from app.dates import format_number, reader_locale

BAR_AREA = 68.0  # percent of the width used by bars; the rest holds the figures
ROW_HEIGHT = 46
GROUP_ROW_HEIGHT = 24
LABEL_WIDTH = 30.0  # percent, the least kept for group names in the grouped chart
# The grouped chart's names must clear its bars on the narrowest chart the site draws (in a
# card on a 320 px phone) in every language: Spanish's "Profesionales", "Trabajador/a social".
NARROWEST_CHART_PX = 250
LABEL_CHARACTER_PX = 7.2  # a character of .chart-group-label (0.8rem) at its widest on average
MAX_LABEL_WIDTH = 44.0
GROUPED_BAR_AREA = 78.0  # the figures there are shares ("100%"); a hidden count's note has room


@dataclass(frozen=True)
class Bar:
    label: str
    share: float | None  # None when the count is suppressed
    ci95: tuple[float, float] | None = None
    note: str = ""  # shown instead of the figure when share is None
    series: str = "overall"


@dataclass(frozen=True)
class BarGroup:
    label: str
    bars: list[Bar]


def percent(value: float) -> str:
    """A share as a whole percentage, halves rounded up as readers expect (52.5% reads 53%)."""
    whole = math.floor(value * 100 + 0.5 + 1e-9)
    return numbers.format_percent(whole / 100, locale=reader_locale())


def decimal(value: float, places: int) -> str:
    """`value` with exactly `places` decimals, as the reader's language writes them."""
    return numbers.format_decimal(
        value, format="0." + "0" * places, locale=reader_locale(), decimal_quantization=True
    )


def _x(share: float, start: float = 0.0, width: float = BAR_AREA) -> str:
    return f"{start + max(0.0, min(1.0, share)) * width:.2f}%"


def _open(chart_id: str, title: str, description: str, height: int, css_class: str) -> list[str]:
    return [
        f'<svg class="chart {css_class}" id="{escape(chart_id)}" width="100%" height="{height}" '
        f'role="img" aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
    ]


def _figure(bar: Bar) -> str:
    if bar.share is None:
        return str(escape(bar.note))
    text = percent(bar.share)
    if bar.ci95:
        text += f" ({percent(bar.ci95[0])}–{percent(bar.ci95[1])})"
    return text


def _bar_shapes(bar: Bar, y: int, height: int, start: float, width: float) -> list[str]:
    if bar.share is None:
        return []
    series = escape(bar.series)
    parts = [
        f'<rect class="chart-track" x="{start:.2f}%" y="{y}" width="{width:.2f}%" '
        f'height="{height}" rx="2"/>',
        f'<rect class="chart-bar chart-series-{series}" x="{start:.2f}%" y="{y}" '
        f'width="{_x(bar.share, 0.0, width)}" height="{height}" rx="2"/>',
    ]
    if bar.ci95:
        low, high = (_x(v, start, width) for v in bar.ci95)
        middle = y + height // 2
        parts += [
            f'<line class="chart-whisker" x1="{low}" x2="{high}" y1="{middle}" y2="{middle}"/>',
            f'<line class="chart-whisker" x1="{low}" x2="{low}" y1="{y + 2}" '
            f'y2="{y + height - 2}"/>',
            f'<line class="chart-whisker" x1="{high}" x2="{high}" y1="{y + 2}" '
            f'y2="{y + height - 2}"/>',
        ]
    return parts


def bar_chart(chart_id: str, title: str, description: str, bars: list[Bar]) -> Markup:
    """One bar per answer, its label above it, the share and 95% interval to its right."""
    height = max(ROW_HEIGHT * len(bars), ROW_HEIGHT)
    parts = _open(chart_id, title, description, height, "chart-bars")
    for i, bar in enumerate(bars):
        top = i * ROW_HEIGHT
        parts.append(f'<text class="chart-label" x="0" y="{top + 14}">{escape(bar.label)}</text>')
        parts += _bar_shapes(bar, top + 20, 16, 0.0, BAR_AREA)
        css = "chart-value" if bar.share is not None else "chart-value chart-suppressed"
        parts.append(
            f'<text class="{css}" x="100%" y="{top + 33}" text-anchor="end">{_figure(bar)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def grouped_bar_chart(
    chart_id: str, title: str, description: str, groups: list[BarGroup]
) -> Markup:
    """For each answer, one bar per group of voters (share of that group who chose it)."""
    rows = sum(1 + len(group.bars) for group in groups)
    height = rows * GROUP_ROW_HEIGHT + 8 * len(groups)
    parts = _open(chart_id, title, description, height, "chart-grouped")
    y = 0
    label_width = _label_width([bar.label for group in groups for bar in group.bars])
    bar_start, bar_width = label_width + 2, GROUPED_BAR_AREA - label_width - 2
    for group in groups:
        parts.append(
            f'<text class="chart-label chart-heading" x="0" y="{y + 16}">'
            f"{escape(group.label)}</text>"
        )
        y += GROUP_ROW_HEIGHT
        for bar in group.bars:
            parts.append(
                f'<text class="chart-label chart-group-label" x="0" y="{y + 15}">'
                f"{escape(bar.label)}</text>"
            )
            parts += _bar_shapes(bar, y + 4, 14, bar_start, bar_width)
            css = "chart-value" if bar.share is not None else "chart-value chart-suppressed"
            figure = percent(bar.share) if bar.share is not None else escape(bar.note)
            parts.append(
                f'<text class="{css}" x="100%" y="{y + 15}" text-anchor="end">{figure}</text>'
            )
            y += GROUP_ROW_HEIGHT
        y += 8
    parts.append("</svg>")
    return Markup("".join(parts))


def _label_width(labels: list[str]) -> float:
    """Percent of the grouped chart's width for the names of the groups: the longest fits on the
    narrowest chart, within bounds that leave the bars their room."""
    longest = max(map(len, labels), default=0)
    needed = longest * LABEL_CHARACTER_PX / NARROWEST_CHART_PX * 100
    return round(min(max(LABEL_WIDTH, needed), MAX_LABEL_WIDTH), 2)


@dataclass(frozen=True)
class Column:
    label: str  # the period, as the axis names it
    value: int | None  # None when the count is suppressed
    note: str = ""  # what a suppressed count reads instead


def column_chart(chart_id: str, title: str, description: str, columns: list[Column]) -> Markup:
    """One column per period; a suppressed period is an outlined stub marked with its label."""
    height, plot_top, plot_height = 190, 24, 130
    parts = _open(chart_id, title, description, height, "chart-columns")
    if not columns:
        no_votes = escape(_("No votes yet."))
        parts.append(f'<text class="chart-label" x="0" y="20">{no_votes}</text></svg>')
        return Markup("".join(parts))
    peak = max((c.value for c in columns if c.value), default=0) or 1
    width = 100 / len(columns)
    baseline = plot_top + plot_height
    axis = ngettext("%(count)s ballot", "%(count)s ballots", peak, count=format_number(peak))
    parts += [
        f'<text class="chart-label chart-axis-label" x="0" y="14">{escape(axis)}</text>',
        f'<line class="chart-grid" x1="0" x2="100%" y1="{plot_top}" y2="{plot_top}"/>',
    ]
    for i, column in enumerate(columns):
        x = f"{i * width + width * 0.15:.2f}%"
        bar_width = f"{width * 0.7:.2f}%"
        if column.value is None:
            parts.append(
                f'<rect class="chart-suppressed" x="{x}" y="{baseline - 8}" width="{bar_width}" '
                f'height="8"><title>{escape(column.label)}: {escape(column.note)}</title></rect>'
            )
            continue
        bar_height = column.value / peak * plot_height
        parts.append(
            f'<rect class="chart-bar" x="{x}" y="{baseline - bar_height:.1f}" '
            f'width="{bar_width}" height="{bar_height:.1f}"><title>{escape(column.label)}: '
            f"{format_number(column.value)}</title></rect>"
        )
    parts += [
        f'<line class="chart-axis" x1="0" x2="100%" y1="{baseline}" y2="{baseline}"/>',
        f'<text class="chart-label chart-axis-label" x="0" y="{height - 12}">'
        f"{escape(columns[0].label)}</text>",
    ]
    if len(columns) > 1:
        parts.append(
            f'<text class="chart-label chart-axis-label chart-axis-end" x="100%" '
            f'y="{height - 12}" text-anchor="end">{escape(columns[-1].label)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
