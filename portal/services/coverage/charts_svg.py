"""Charts drawn on the server as inline SVG: no JavaScript, no external service.

Each chart scales to its container (viewBox) and carries a title and description for
assistive technology; the page shows a table of the same numbers next to it. Text is
escaped here, so the returned Markup is safe to insert.

Phone first: the drawing is 360 units wide, about the width it gets on a 360 px phone, so
its 14-unit labels stay at 12 px or more there (static/css/dashboard.css caps the width on
larger screens); axes count in whole steps; a legend names every series.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT = 360, 260
LEFT, RIGHT, TOP, BOTTOM = 46, 8, 16, 30
FONT = 14  # units; at least 12 px wherever the chart is 310 px wide or more
LEGEND_ROW = 20
MAX_X_LABELS = 5
PALETTE = ("#0d6efd", "#198754", "#fd7e14", "#dc3545", "#6f42c1", "#20c997")


@dataclass
class Series:
    name: str
    values: Sequence[float | None]
    color: str = PALETTE[0]


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _open(chart_id: str, title: str, desc: str, height: int = HEIGHT) -> list[str]:
    return [
        f'<svg class="portal-chart" id="{escape(chart_id)}" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="{escape(chart_id)}-t {escape(chart_id)}-d" '
        'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet">',
        f'<title id="{escape(chart_id)}-t">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-d">{escape(desc)}</desc>',
    ]


def _steps():
    magnitude = 1
    while True:
        for step in (1, 2, 5) if magnitude == 1 else (1, 2, 2.5, 5):
            yield int(step * magnitude)
        magnitude *= 10


def _nice_max(value: float) -> float:
    """The top of the axis: at most five whole steps of 1, 2, 2.5 or 5 × 10ⁿ."""
    step, count = _step_count(value)
    return step * count


def _step_count(value: float) -> tuple[int, int]:
    for step in _steps():
        count = max(1, -(-int(value * 1000) // (step * 1000)))
        if count <= 5:
            return step, count
    raise AssertionError("unreachable")  # pragma: no cover


def _ticks(y_max: float) -> list[float]:
    step, count = _step_count(y_max)
    return [float(step * i) for i in range(count + 1)]


def _legend(series: Sequence[Series]) -> tuple[list[str], int]:
    """The series' names with their colours, wrapped into rows above the plot."""
    parts: list[str] = []
    x, row = LEFT, 0
    for s in series:
        width = 18 + int(len(s.name) * FONT * 0.55) + 12
        if x + width > WIDTH - RIGHT and x > LEFT:
            x, row = LEFT, row + 1
        y = 4 + row * LEGEND_ROW
        parts.append(
            f'<g class="legend-item"><rect x="{x}" y="{y + 2}" width="12" height="12" rx="2" '
            f'fill="{s.color}"/><text x="{x + 17}" y="{y + 13}" font-size="{FONT}" '
            f'fill="#212529">{escape(s.name)}</text></g>'
        )
        x += width
    return parts, (row + 1) * LEGEND_ROW if series else 0


def _axes(
    parts: list[str], labels: Sequence[str], y_max: float, unit: str, height: int, top: int
) -> None:
    plot_h = height - top - BOTTOM
    for value in _ticks(y_max):
        y = top + plot_h - plot_h * value / y_max
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#dee2e6"/>'
        )
        parts.append(
            f'<text x="{LEFT - 4}" y="{y + 5:.1f}" font-size="{FONT}" text-anchor="end" '
            f'fill="#495057">{_fmt(value)}{escape(unit)}</text>'
        )
    step = max(1, -(-len(labels) // MAX_X_LABELS))  # few labels: readable on phones
    for i, label in enumerate(labels):
        if i % step:
            continue
        x = _x(i, len(labels))
        parts.append(
            f'<text x="{x:.1f}" y="{height - BOTTOM + 20}" font-size="{FONT}" '
            f'text-anchor="middle" fill="#495057">{escape(label)}</text>'
        )


def _x(i: int, n: int) -> float:
    plot_w = WIDTH - LEFT - RIGHT
    return LEFT + (plot_w * (i + 0.5) / n)


def _y(value: float, y_max: float, height: int, top: int = TOP) -> float:
    plot_h = height - top - BOTTOM
    return top + plot_h - plot_h * min(value, y_max) / y_max


def _start(
    chart_id: str, title: str, desc: str, series: Sequence[Series]
) -> tuple[list[str], int, int]:
    """The opening tags and legend; returns (parts, height, top of the plot)."""
    legend_parts, legend_h = _legend(series)
    height = HEIGHT + legend_h
    return [*_open(chart_id, title, desc, height), *legend_parts], height, TOP + legend_h


def line_chart(
    chart_id: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    unit: str = "%",
    band: tuple[float, float] | None = None,
    band_label: str = "",
    baseline: float | None = None,
    baseline_label: str = "",
) -> Markup:
    """Lines over months, with an optional shaded target band and a dashed baseline."""
    values = [v for s in series for v in s.values if v is not None]
    top_value = max([*values, band[1] if band else 0, baseline or 0, 1])
    y_max = _nice_max(top_value * 1.1)
    parts, height, top = _start(chart_id, title, desc, series)
    if band:
        y_hi, y_lo = _y(band[1], y_max, height, top), _y(band[0], y_max, height, top)
        parts.append(
            f'<rect class="target-band" x="{LEFT}" y="{y_hi:.1f}" width="{WIDTH - LEFT - RIGHT}" '
            f'height="{y_lo - y_hi:.1f}" fill="#198754" fill-opacity="0.12"/>'
        )
        parts.append(
            f'<text x="{WIDTH - RIGHT - 4}" y="{y_hi + FONT + 1:.1f}" font-size="{FONT}" '
            f'text-anchor="end" fill="#146c43">{escape(band_label)}</text>'
        )
    _axes(parts, labels, y_max, unit, height, top)
    if baseline is not None:
        y = _y(baseline, y_max, height, top)
        parts.append(
            f'<line class="baseline" x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            'stroke="#6c757d" stroke-dasharray="6 4" stroke-width="1.5"/>'
        )
        parts.append(
            f'<text x="{LEFT + 4}" y="{y - 4:.1f}" font-size="{FONT}" fill="#495057">'
            f"{escape(baseline_label)}</text>"
        )
    for s in series:
        parts.append(f'<g class="series" data-name="{escape(s.name)}">')
        points = [
            (_x(i, len(labels)), _y(v, y_max, height, top))
            for i, v in enumerate(s.values)
            if v is not None
        ]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{s.color}" stroke-width="2.5"/>'
            )
        for x, y in points:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{s.color}"/>')
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))


def bar_chart(
    chart_id: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    unit: str = "",
    marker: float | None = None,
) -> Markup:
    """Grouped vertical bars (one group per label, one bar per series)."""
    values = [v for s in series for v in s.values if v is not None]
    y_max = _nice_max(max([*values, marker or 0, 1]) * 1.1)
    parts, height, top = _start(chart_id, title, desc, series)
    _axes(parts, labels, y_max, unit, height, top)
    n = max(len(labels), 1)
    group_w = (WIDTH - LEFT - RIGHT) / n * 0.8
    bar_w = group_w / max(len(series), 1)
    base = _y(0, y_max, height, top)
    for k, s in enumerate(series):
        for i, value in enumerate(s.values):
            if value is None:
                continue
            x = _x(i, n) - group_w / 2 + k * bar_w
            y = _y(value, y_max, height, top)
            parts.append(
                f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{max(bar_w - 1, 1):.1f}" '
                f'height="{base - y:.1f}" fill="{s.color}"/>'
            )
    if marker is not None:
        y = _y(marker, y_max, height, top)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            'stroke="#146c43" stroke-dasharray="4 3" stroke-width="1.5"/>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def legend(series: Sequence[Series]) -> Markup:
    """A small HTML legend for a chart's series."""
    items = "".join(
        f'<li class="list-inline-item"><svg class="legend-swatch" viewBox="0 0 10 10" '
        f'focusable="false"><rect width="10" height="10" rx="2" fill="{s.color}"/></svg> '
        f"{escape(s.name)}</li>"
        for s in series
    )
    return Markup(f'<ul class="list-inline small mb-2" aria-hidden="true">{items}</ul>')
