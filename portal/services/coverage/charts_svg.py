"""Charts drawn on the server as inline SVG: no JavaScript, no external service.

Each chart scales to its container (viewBox) and carries a title and description for
assistive technology; the page shows a table of the same numbers next to it. Text is
escaped here, so the returned Markup is safe to insert.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40
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


def _nice_max(value: float) -> float:
    for step in (5, 10, 20, 25, 40, 50, 60, 75, 100, 200, 500, 1000):
        if value <= step:
            return float(step)
    magnitude = 10 ** (len(str(int(value))) - 1)
    return float((int(value / magnitude) + 1) * magnitude)


def _axes(parts: list[str], labels: Sequence[str], y_max: float, unit: str, height: int) -> None:
    plot_h = height - TOP - BOTTOM
    for i in range(5):
        value = y_max * i / 4
        y = TOP + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#dee2e6"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="#495057">{_fmt(value)}{escape(unit)}</text>'
        )
    step = max(1, len(labels) // 8)  # at most ~8 labels so they stay readable on phones
    for i, label in enumerate(labels):
        if i % step and i != len(labels) - 1:
            continue
        x = _x(i, len(labels))
        parts.append(
            f'<text x="{x:.1f}" y="{height - BOTTOM + 16}" font-size="11" text-anchor="middle" '
            f'fill="#495057">{escape(label)}</text>'
        )


def _x(i: int, n: int) -> float:
    plot_w = WIDTH - LEFT - RIGHT
    return LEFT + (plot_w * (i + 0.5) / n)


def _y(value: float, y_max: float, height: int) -> float:
    plot_h = height - TOP - BOTTOM
    return TOP + plot_h - plot_h * min(value, y_max) / y_max


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
    top = max([*values, band[1] if band else 0, baseline or 0, 1])
    y_max = _nice_max(top * 1.1)
    parts = _open(chart_id, title, desc)
    if band:
        y_hi, y_lo = _y(band[1], y_max, HEIGHT), _y(band[0], y_max, HEIGHT)
        parts.append(
            f'<rect class="target-band" x="{LEFT}" y="{y_hi:.1f}" width="{WIDTH - LEFT - RIGHT}" '
            f'height="{y_lo - y_hi:.1f}" fill="#198754" fill-opacity="0.12"/>'
        )
        parts.append(
            f'<text x="{WIDTH - RIGHT - 4}" y="{y_hi + 13:.1f}" font-size="11" text-anchor="end" '
            f'fill="#146c43">{escape(band_label)}</text>'
        )
    _axes(parts, labels, y_max, unit, HEIGHT)
    if baseline is not None:
        y = _y(baseline, y_max, HEIGHT)
        parts.append(
            f'<line class="baseline" x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            'stroke="#6c757d" stroke-dasharray="6 4" stroke-width="1.5"/>'
        )
        parts.append(
            f'<text x="{LEFT + 4}" y="{y - 4:.1f}" font-size="11" fill="#495057">'
            f"{escape(baseline_label)}</text>"
        )
    for s in series:
        parts.append(f'<g class="series" data-name="{escape(s.name)}">')
        points = [
            (_x(i, len(labels)), _y(v, y_max, HEIGHT))
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
    parts = _open(chart_id, title, desc)
    _axes(parts, labels, y_max, unit, HEIGHT)
    n = max(len(labels), 1)
    group_w = (WIDTH - LEFT - RIGHT) / n * 0.8
    bar_w = group_w / max(len(series), 1)
    base = _y(0, y_max, HEIGHT)
    for k, s in enumerate(series):
        for i, value in enumerate(s.values):
            if value is None:
                continue
            x = _x(i, n) - group_w / 2 + k * bar_w
            y = _y(value, y_max, HEIGHT)
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(bar_w - 1, 1):.1f}" '
                f'height="{base - y:.1f}" fill="{s.color}"/>'
            )
    if marker is not None:
        y = _y(marker, y_max, HEIGHT)
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
