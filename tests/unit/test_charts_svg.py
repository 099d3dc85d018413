"""Server-side SVG charts: accessible, escaped, and drawn from the numbers given."""

from __future__ import annotations

from portal.services.coverage.charts_svg import Series, bar_chart, line_chart


def test_line_chart_has_title_description_band_and_baseline():
    svg = line_chart(
        "c1",
        "Coverage",
        "Coverage per month",
        ["2026-01", "2026-02"],
        [Series("Coverage %", [27.0, 29.5])],
        band=(40, 50),
        band_label="Target 40–50%",
        baseline=27,
        baseline_label="Baseline 27%",
    )
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert '<title id="c1-t">Coverage</title>' in svg
    assert 'class="target-band"' in svg and 'class="baseline"' in svg
    assert svg.count("<circle") == 2


def test_chart_text_is_escaped():
    svg = line_chart("c2", "<script>", "a & b", ["<b>"], [Series("x", [1])])
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "a &amp; b" in svg


def test_missing_values_leave_gaps_instead_of_failing():
    svg = line_chart("c3", "t", "d", ["a", "b", "c"], [Series("x", [None, 5, None])])
    assert svg.count("<circle") == 1 and "<polyline" not in svg


def test_bar_chart_draws_one_bar_per_value_and_handles_all_zero():
    svg = bar_chart("c4", "t", "d", ["A", "B"], [Series("x", [3, 0]), Series("y", [1, 2])])
    assert svg.count("<rect") == 4
    empty = bar_chart("c5", "t", "d", [], [Series("x", [])])
    assert empty.startswith("<svg")


def test_higher_value_is_drawn_higher():
    svg = bar_chart("c6", "t", "d", ["A", "B"], [Series("x", [10, 20])])
    ys = [float(part.split('"')[0]) for part in svg.split('<rect x="')[1:]]
    heights = [float(p.split('height="')[1].split('"')[0]) for p in svg.split("<rect")[1:]]
    assert heights[1] > heights[0] and len(ys) == 2
