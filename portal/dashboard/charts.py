"""The dashboard's charts, built from the same reports as its tables."""

from __future__ import annotations

from flask_babel import gettext as _
from markupsafe import Markup

from ..services.complaints.performance import ServiceReport
from ..services.coverage.charts_svg import PALETTE, Series, bar_chart, line_chart
from ..services.coverage.pipeline import Pipeline
from ..services.coverage.stats import CoverageReport
from .tables import category_label


def coverage_line(report: CoverageReport, chart_id: str = "chart-coverage") -> Markup:
    labels = [p.key for p in report.series]
    series = [Series(_("Coverage %"), [p.pct for p in report.series], PALETTE[0])]
    if any(p.target_pct for p in report.series):
        series.append(Series(_("Target %"), [p.target_pct for p in report.series], PALETTE[3]))
    low, high = report.band_low_pct, report.band_high_pct
    return line_chart(
        chart_id,
        _("Coverage month by month"),
        _(
            "Share of the estimated workforce with active membership, per month, against the "
            "%(base)s%% baseline and the %(low)s–%(high)s%% target band.",
            base=report.baseline_pct,
            low=low,
            high=high,
        ),
        labels,
        series,
        band=(low, high),
        band_label=_("Target %(low)s–%(high)s%%", low=low, high=high),
        baseline=report.baseline_pct,
        baseline_label=_("Baseline %(base)s%%", base=report.baseline_pct),
    )


def kecamatan_bars(report: CoverageReport) -> Markup:
    rows = [r for r in report.by_kecamatan if r.key != "-"]
    return bar_chart(
        "chart-kecamatan",
        _("Coverage by kecamatan"),
        _(
            "Coverage per kecamatan in the report month; the dashed line is the target band's "
            "lower end."
        ),
        [r.label for r in rows],
        [Series(_("Coverage %"), [r.pct for r in rows], PALETTE[0])],
        unit="%",
        marker=report.band_low_pct,
    )


def category_lines(report: CoverageReport) -> tuple[Markup, list[Series]]:
    labels = [p.key for p in report.series]
    series = [
        Series(category_label(code), values, PALETTE[i % len(PALETTE)])
        for i, (code, values) in enumerate(report.category_series.items())
    ]
    return line_chart(
        "chart-category",
        _("Portal members by category"),
        _("Members enrolled through the portal per category, month by month."),
        labels,
        series,
        unit="",
    ), series


def pipeline_bars(report: Pipeline) -> tuple[Markup, list[Series]]:
    labels = [str(m.month) for m in report.months]
    series = [
        Series(_("Submitted"), [m.submitted for m in report.months], PALETTE[0]),
        Series(_("Enrolled"), [m.enrolled for m in report.months], PALETTE[1]),
        Series(_("Returned"), [m.returned for m in report.months], PALETTE[2]),
        Series(_("Rejected"), [m.rejected for m in report.months], PALETTE[3]),
    ]
    chart = bar_chart(
        "chart-pipeline",
        _("Enrolment pipeline month by month"),
        _("Enrolment requests submitted, enrolled, returned and rejected per month."),
        labels,
        series,
    )
    return chart, series


def complaint_bars(report: ServiceReport) -> tuple[Markup, list[Series]]:
    by_agency: dict[str, list[int]] = {}
    for r in report.complaints:
        received, overdue = by_agency.setdefault(r.agency, [0, 0])
        by_agency[r.agency] = [received + r.received, overdue + r.open_overdue]
    labels = list(by_agency)
    series = [
        Series(_("Received"), [v[0] for v in by_agency.values()], PALETTE[0]),
        Series(_("Open and overdue"), [v[1] for v in by_agency.values()], PALETTE[3]),
    ]
    chart = bar_chart(
        "chart-complaints",
        _("Complaints by agency"),
        _("Complaints received in the period and complaints open past their deadline today."),
        labels,
        series,
    )
    return chart, series
