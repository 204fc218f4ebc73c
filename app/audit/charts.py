"""Charts the app draws itself, as inline SVG: no script, no CDN, nothing downloaded.
Presentation attributes only (no style attributes), so the strict content security policy
holds."""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import count

from flask_babel import gettext as _
from markupsafe import Markup, escape

PALETTE = ("#0b5394", "#b45f06", "#1d6b2f", "#9c1c1c", "#6a3d9a", "#4a4a4a", "#00838f", "#ad1457")
# Drawn narrow with large type: on a phone the chart is scaled down by a third at most, so its
# words stay readable; on a wide screen it is shown at most at this size.
WIDTH, PLOT_HEIGHT = 480, 200
LEFT, RIGHT, BOTTOM = 52, 12, 92
FONT, TITLE_FONT, LEGEND_ROW = 15, 17, 22
# A generous average width of one character at FONT, and how far a label rotated by 40 degrees
# reaches left of, and below, its anchor for each unit of its length.
CHAR_WIDTH, ROTATED_REACH, SLANT_DROP = 8.5, math.cos(math.radians(40)), math.sin(math.radians(40))
_ids = count(1)


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float | None]


def bar_chart(
    title: str,
    labels: list[str],
    series: list[Series],
    unit: str = "",
    scale: float | None = None,
    *,
    counts: bool = False,
) -> Markup:
    """Grouped bars: one group per label, one bar per series. The axis runs from 0 to `scale`
    (100 for percentages) when given, else to the largest value rounded up to a round step;
    for `counts` every step is a whole number. With no value at all, the chart says so."""
    if not has_values(series):
        return nothing_to_chart(title)
    ticks = _ticks(_largest(series), scale, counts)
    layout = _Layout(series, labels, ticks, unit)
    slot = layout.slot
    bar = slot * 0.8 / max(len(series), 1)
    parts = []
    for s_index, one in enumerate(series):
        for l_index, value in enumerate(one.values):
            if value is None:
                continue
            x = layout.left + l_index * slot + slot * 0.1 + s_index * bar
            y = layout.y(value)
            parts.append(
                f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{max(bar - 1, 1):.1f}" '
                f'height="{layout.axis - y:.1f}" fill="{PALETTE[s_index % len(PALETTE)]}">'
                f"{_tip(labels[l_index], one.name, value, unit)}</rect>"
            )
    return _frame(title, labels, ticks, unit, "".join(parts), layout)


def line_chart(
    title: str,
    labels: list[str],
    series: list[Series],
    unit: str = "",
    scale: float | None = None,
    *,
    counts: bool = False,
) -> Markup:
    """One line per series across the labels (months); a missing value breaks the line. The
    axis and an empty chart as `bar_chart` draws them."""
    if not has_values(series):
        return nothing_to_chart(title)
    ticks = _ticks(_largest(series), scale, counts)
    layout = _Layout(series, labels, ticks, unit)
    slot = layout.slot
    parts = []
    for s_index, one in enumerate(series):
        colour = PALETTE[s_index % len(PALETTE)]
        points = [
            (layout.left + slot * (i + 0.5), layout.y(v), v, labels[i])
            for i, v in enumerate(one.values)
            if v is not None
        ]
        for segment in _segments(one.values, points):
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in segment)
            parts.append(
                f'<polyline class="line" points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
        for x, y, value, label in points:
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}">'
                f"{_tip(label, one.name, value, unit)}</circle>"
            )
    return _frame(title, labels, ticks, unit, "".join(parts), layout)


def nothing_to_chart(title: str) -> Markup:
    """In place of a chart with no value to draw: its title, and that there is nothing."""
    nothing = _("No figures to chart for this period.")
    return Markup(  # noqa: S704  (both texts are escaped)
        f'<figcaption class="chart-title">{escape(title)}</figcaption>'
        f'<p class="muted nothing-to-chart">{escape(nothing)}</p>'
    )


class _Layout:
    """Where the legend's rows end and the plot begins: a legend too wide for one row wraps.
    The plot starts far enough right for the widest value on the axis and for the first label,
    which slants down to the left of its slot."""

    def __init__(self, series: list[Series], labels: list[str], ticks: list[float], unit: str) -> None:
        self.legend: list[tuple[float, float, int, str]] = []
        x, row = float(LEFT), 0
        for index, one in enumerate(series):
            width = 24 + 8.5 * len(one.name)
            if x + width > WIDTH - RIGHT and x > LEFT:
                x, row = float(LEFT), row + 1
            self.legend.append((x, 46 + row * LEGEND_ROW, index, one.name))
            x += width + 12
        self.top = 46 + row * LEGEND_ROW + 20
        self.axis = self.top + PLOT_HEIGHT
        self.height = self.axis + _bottom_margin(labels)
        self.left = _left_margin(labels, ticks, unit)
        self.slot = (WIDTH - self.left - RIGHT) / max(len(labels), 1)
        self.highest = ticks[-1]

    def y(self, value: float) -> float:
        return self.axis - PLOT_HEIGHT * (value / self.highest)


def _left_margin(labels: list[str], ticks: list[float], unit: str) -> float:
    widest_value = max(len(_axis_label(value, unit)) for value in ticks)
    left = max(float(LEFT), widest_value * CHAR_WIDTH + 10)
    if not labels:
        return left
    # The first label reaches `reach` left of the middle of its slot, half a slot right of the
    # margin; the slot itself narrows as the margin widens.
    halves = 2 * len(labels)
    reach = len(_short(labels[0])) * CHAR_WIDTH * ROTATED_REACH + 4
    return max(left, (reach + (WIDTH - RIGHT) / halves) / (1 + 1 / halves))


def _bottom_margin(labels: list[str]) -> float:
    """Room under the axis for the longest label, slanted down from its slot, and its descent."""
    longest = max((len(_short(label)) for label in labels), default=0)
    return max(float(BOTTOM), 16 + longest * CHAR_WIDTH * SLANT_DROP + FONT)


def _axis_label(value: float, unit: str) -> str:
    return f"{_number(value)}{unit}"


def _short(label: str) -> str:
    return label if len(label) <= 14 else label[:13] + "…"


def _frame(
    title: str, labels: list[str], ticks: list[float], unit: str, body: str, layout: _Layout
) -> Markup:
    chart_id = f"chart-{next(_ids)}"
    slot = layout.slot
    grid = []
    for value in ticks:
        y = layout.y(value)
        grid.append(
            f'<line x1="{layout.left:.1f}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#c8c8c8"/>'
            f'<text x="{layout.left - 6:.1f}" y="{y + 4:.1f}" text-anchor="end" font-size="{FONT}" '
            f'fill="#4a4a4a">{escape(_axis_label(value, unit))}</text>'
        )
    under_axis = []
    for index, label in enumerate(labels):
        x = layout.left + slot * (index + 0.5)
        short = _short(label)
        under_axis.append(
            f'<text x="{x:.1f}" y="{layout.axis + 16}" text-anchor="end" font-size="{FONT}" fill="#1b1b1b" '
            f'transform="rotate(-40 {x:.1f} {layout.axis + 16})">{escape(short)}'
            f"<title>{escape(label)}</title></text>"
        )
    legend = [
        f'<rect x="{x:.0f}" y="{y - 12:.0f}" width="14" height="14" fill="{PALETTE[index % len(PALETTE)]}"/>'
        f'<text x="{x + 18:.0f}" y="{y:.0f}" font-size="{FONT}" fill="#1b1b1b">{escape(name)}</text>'
        for x, y, index, name in layout.legend
    ]
    # Safe: every label above went through escape(); the rest are numbers and constants.
    return Markup(  # noqa: S704
        f'<svg class="chart" viewBox="0 0 {WIDTH} {layout.height:.0f}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}">{escape(title)}</title>'
        f'<text x="4" y="20" font-size="{TITLE_FONT}" font-weight="600" fill="#1b1b1b">{escape(title)}</text>'
        f"{''.join(legend)}{''.join(grid)}{body}{''.join(under_axis)}"
        f'<line x1="{layout.left:.1f}" x2="{layout.left:.1f}" y1="{layout.top}" y2="{layout.axis}" '
        f'stroke="#4a4a4a"/></svg>'
    )


def has_values(series: list[Series]) -> bool:
    """Whether there is anything to draw: a chart of withheld figures only says so instead."""
    return any(v is not None for one in series for v in one.values)


Point = tuple[float, float, float, str]


def _segments(values: list[float | None], points: list[Point]) -> list[list[Point]]:
    segments: list[list[Point]] = [[]]
    remaining = iter(points)
    for value in values:
        if value is None:
            segments.append([])
        else:
            segments[-1].append(next(remaining))
    return [segment for segment in segments if len(segment) > 1]


def _tip(label: str, name: str, value: float, unit: str) -> str:
    return f"<title>{escape(label)} · {escape(name)}: {_number(value)}{escape(unit)}</title>"


def _ticks(largest: float, scale: float | None, counts: bool) -> list[float]:
    """The values of the axis's lines, from 0: quarters of a fixed `scale`; otherwise a round
    step (a whole number for `counts`) taken as often as it takes to reach `largest`, at most
    five times."""
    if scale is not None:
        return [scale * quarter / 4 for quarter in range(5)]
    step = _round_step(largest / 4, smallest=1.0 if counts else 0.0)
    return [step * n for n in range(max(1, math.ceil(largest / step)) + 1)]


def _largest(series: list[Series]) -> float:
    return max((v for one in series for v in one.values if v is not None), default=0.0)


def _round_step(value: float, smallest: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten at or above both ``value`` and ``smallest``
    (1 when both are 0)."""
    value = max(value, smallest)
    if value <= 0:
        return 1.0
    power: float = 10.0 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"
