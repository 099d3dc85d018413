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
    assert svg.count('<rect class="bar"') == 4
    empty = bar_chart("c5", "t", "d", [], [Series("x", [])])
    assert empty.startswith("<svg")


def test_higher_value_is_drawn_higher():
    svg = bar_chart("c6", "t", "d", ["A", "B"], [Series("x", [10, 20])])
    ys = [float(part.split('"')[0]) for part in svg.split('<rect class="bar" x="')[1:]]
    heights = [
        float(p.split('height="')[1].split('"')[0]) for p in svg.split('<rect class="bar"')[1:]
    ]
    assert heights[1] > heights[0] and len(ys) == 2


def test_every_series_is_named_in_a_legend_and_labels_are_readable_on_a_phone():
    svg = line_chart(
        "c7", "t", "d", ["a", "b"], [Series("Cakupan %", [1, 2]), Series("Target %", [3, 4])]
    )
    assert svg.count('class="legend-item"') == 2
    assert "Cakupan %" in svg and "Target %" in svg
    width = float(svg.split('viewBox="0 0 ')[1].split(" ")[0])
    sizes = {float(s.split('"')[0]) for s in svg.split('font-size="')[1:]}
    assert min(sizes) * 310 / width >= 12  # px on a 360 px phone (310 px of chart or more)


def test_counts_are_ticked_in_whole_numbers():
    svg = bar_chart("c8", "t", "d", ["A", "B"], [Series("x", [1, 3])])
    ticks = [t.split("<")[0] for t in svg.split('text-anchor="end" fill="#495057">')[1:]]
    assert ticks and all(t.isdigit() for t in ticks), ticks
