"""Dashboard report pages: coverage, enrolment pipeline, service performance, funded batches,
and the download of any of their tables.

Every page reads its filters through `FilterForm`: an unknown period or kecamatan answers
400 with the message next to the filter, never a 500.
"""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user
from markupsafe import Markup

from ..exports import export_response
from ..services.complaints.performance import service_report
from ..services.coverage.figures_cache import cached
from ..services.coverage.periods import Month, window
from ..services.coverage.pipeline import pipeline_report
from ..services.funded_batches.batches import RENEWAL_WINDOW_DAYS
from ..services.funded_batches.report import BatchFilter, batch_page, batch_rows, renewals_due_count
from ..services.informal.reports import all_agent_reports, bpu_channels, report_month
from ..services.pages import page_number
from ..web.access import BPJS, LABOUR, require
from ..web.page_cache import cached_page
from . import bp, charts
from .filters import (
    DASHBOARD_ROLES,
    EXPORT_FORMATS,
    cache_key,
    coverage_for,
    filter_args,
    lang,
    read_filters,
)
from .forms import FilterForm
from .tables import (
    batch_table,
    coverage_tables,
    informal_tables,
    pipeline_tables,
    service_tables,
)


def _filter_error(template: str, form: FilterForm, **context):
    return render_template(template, form=form, invalid=True, **context), 400


def _coverage_page(form: FilterForm) -> dict:
    """The coverage page's figures with its charts and tables rendered to HTML: computed once
    per filter combination and language until a figure changes or `FIGURES_CACHE_SECONDS`
    pass (the page says when they were computed)."""
    report = coverage_for(form)
    category_chart, category_series = charts.category_lines(report)
    sections = render_template(
        "dashboard/_coverage_sections.html",
        report=report,
        tables=coverage_tables(report),
        coverage_chart=charts.coverage_line(report),
        kecamatan_chart=charts.kecamatan_bars(report),
        category_chart=category_chart,
        category_series=category_series,
    )
    return {"report": report, "sections": Markup(sections)}


@bp.route("/")
@cached_page
@require(DASHBOARD_ROLES)
def index():
    form = read_filters()
    if not form.validate():
        return _filter_error("dashboard/coverage.html", form)
    return render_template(
        "dashboard/coverage.html",
        form=form,
        **cached(cache_key("coverage-page", form), lambda: _coverage_page(form)),
        can_edit=current_user.role in LABOUR,
        can_record_counts=current_user.role in BPJS,
    )


@bp.route("/pipeline")
@require(DASHBOARD_ROLES)
def pipeline():
    return _chart_page(
        "dashboard/pipeline.html",
        lambda form: pipeline_report(
            window(form.end, form.month_count), form.kecamatan.data or None
        ),
        pipeline_tables,
        charts.pipeline_bars,
    )


@bp.route("/service")
@require(DASHBOARD_ROLES)
def service():
    return _chart_page(
        "dashboard/service.html",
        lambda form: service_report(window(form.end, form.month_count), lang()),
        service_tables,
        charts.complaint_bars,
    )


def _chart_page(template: str, build, tables, chart):
    """A report page of one chart and its tables, for the filters in the query string."""
    form = read_filters()
    if not form.validate():
        return _filter_error(template, form)
    report = build(form)
    svg, series = chart(report)
    return render_template(
        template, form=form, report=report, tables=tables(report), chart=svg, series=series
    )


def _due_only() -> bool:
    """`?due=1`: only batches due for renewal."""
    return request.args.get("due") == "1"


def batch_filter(form: FilterForm) -> BatchFilter:
    """The batch filters from a validated FilterForm: without a period, every batch."""
    return BatchFilter(
        month=Month.parse(form.period.data) if form.period.data else None,
        kecamatan=form.kecamatan.data or None,
        due_only=_due_only(),
    )


@bp.route("/batches")
@require(DASHBOARD_ROLES)
def batches():
    form = read_filters()
    if not form.validate():
        return _filter_error("dashboard/batches.html", form, due_only=_due_only())
    flt = batch_filter(form)
    pagination, rows = batch_page(page_number(request.args.get("page")), flt=flt)
    kept = {k: v for k, v in filter_args().items() if k != "months"}
    return render_template(
        "dashboard/batches.html",
        form=form,
        pagination=pagination,
        table=batch_table(rows, area=dict(form.areas).get(flt.kecamatan)),
        rows=rows,
        due_only=flt.due_only,
        filter_args=kept,
        export_args={**kept, **({"due": "1"} if flt.due_only else {})},
        renewals_due=renewals_due_count(),
        renewal_window_days=RENEWAL_WINDOW_DAYS,
    )


def _informal_tables(form: FilterForm) -> dict:
    return informal_tables(bpu_channels(), all_agent_reports(report_month(str(form.end))))


@bp.route("/informal")
@require(DASHBOARD_ROLES)
def informal():
    """Informal workers on their own account: self- and agent-registered BPU, retention,
    field agents' results (in the filter's last month)."""
    form = read_filters()
    if not form.validate():
        return _filter_error("dashboard/informal.html", form)
    return render_template(
        "dashboard/informal.html", form=form, tables=_informal_tables(form), month=str(form.end)
    )


def _export_table(name: str, form: FilterForm):
    """The named table under the filters, or None for an unknown name."""
    if name.startswith("coverage-"):
        return coverage_tables(coverage_for(form)).get(name)
    months = window(form.end, form.month_count)
    if name in ("pipeline-monthly", "trade-funnel", "trade-funnel-detail"):
        return pipeline_tables(pipeline_report(months, form.kecamatan.data or None))[name]
    if name in ("complaints", "reprimands"):
        return service_tables(service_report(months, lang()))[name]
    if name.startswith("informal-"):
        return _informal_tables(form).get(name)
    if name == "funded-batches":
        flt = batch_filter(form)
        return batch_table(batch_rows(flt), area=dict(form.areas).get(flt.kecamatan))
    return None


@bp.route("/export/<name>.<fmt>")
@require(DASHBOARD_ROLES)
def export(name: str, fmt: str):
    if fmt not in EXPORT_FORMATS:
        abort(404)
    form = read_filters()
    if not form.validate():
        return _filter_error("dashboard/filter_error.html", form)
    table = _export_table(name, form)
    if table is None:
        abort(404)
    suffix = form.kecamatan.data.replace(".", "") if form.kecamatan.data else "kota"
    return export_response(table.export(), f"{name}-{form.end}-{suffix}", fmt)
