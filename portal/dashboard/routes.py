"""Dashboard pages: coverage, enrolment pipeline, service performance, funded batches.

Every page reads its filters through `FilterForm`: an unknown period or kecamatan answers
400 with the message next to the filter, never a 500.
"""

from __future__ import annotations

from datetime import date

from flask import abort, render_template, request
from flask_babel import format_decimal, get_locale
from flask_login import current_user

from ..domain.money import format_rupiah
from ..exports import export_response
from ..models import Role
from ..services.complaints.performance import service_report
from ..services.coverage.periods import Month, window
from ..services.coverage.pipeline import pipeline_report
from ..services.coverage.stats import Scope, coverage_report, kecamatan_choices, sector_names
from ..services.funded_batches.report import BatchFilter, batch_page, batch_rows, renewals_due_count
from ..templating import format_day
from ..web.access import LABOUR, STAFF, require
from . import bp, charts
from .forms import FilterForm
from .tables import (
    Money,
    Pct,
    batch_table,
    coverage_tables,
    pipeline_tables,
    projection_text,
    service_tables,
)

DASHBOARD_ROLES = STAFF | {Role.ADMIN.value}
EXPORT_FORMATS = ("csv", "xlsx")


@bp.app_template_filter("dashboard_cell")
def dashboard_cell(value) -> str:
    """A table cell as text: numbers grouped the local way, money in rupiah, gaps as "–"."""
    if value is None:
        return "–"
    if isinstance(value, Money):
        return format_rupiah(value)
    if isinstance(value, Pct):
        return format_decimal(value, "#,##0.0") + "%"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return format_decimal(value, "#,##0")
    if isinstance(value, float):
        return format_decimal(value, "#,##0.#")
    if isinstance(value, date):
        return format_day(value)
    return str(value)


def filter_args() -> dict[str, str]:
    """The current filters, for links that must keep them (exports, PDF, other tabs)."""
    return {k: v for k, v in request.args.items() if k in ("period", "months", "kecamatan") and v}


@bp.app_template_filter("dashboard_pct")
def dashboard_pct(value: float | None) -> str:
    return dashboard_cell(None if value is None else Pct(value))


@bp.app_context_processor
def dashboard_helpers():
    return {"dashboard_filter_args": filter_args, "projection_text": projection_text}


def lang() -> str:
    return str(get_locale() or "id")


def read_filters(areas=None) -> FilterForm:
    areas = areas if areas is not None else kecamatan_choices()
    form = FilterForm(request.args, kecamatans=areas)
    form.areas = areas
    return form


def coverage_for(form: FilterForm):
    scope = Scope(form.end, form.month_count, form.kecamatan.data or None)
    return coverage_report(scope, sector_names(lang()), form.areas)


def _filter_error(template: str, form: FilterForm, **context):
    return render_template(template, form=form, invalid=True, **context), 400


@bp.route("/")
@require(DASHBOARD_ROLES)
def index():
    form = read_filters()
    if not form.validate():
        return _filter_error("dashboard/coverage.html", form)
    report = coverage_for(form)
    category_chart, category_series = charts.category_lines(report)
    return render_template(
        "dashboard/coverage.html",
        form=form,
        report=report,
        tables=coverage_tables(report),
        coverage_chart=charts.coverage_line(report),
        kecamatan_chart=charts.kecamatan_bars(report),
        category_chart=category_chart,
        category_series=category_series,
        can_edit=current_user.role in LABOUR,
    )


@bp.route("/pipeline")
@require(DASHBOARD_ROLES)
def pipeline():
    form = read_filters()
    if not form.validate():
        return _filter_error("dashboard/pipeline.html", form)
    report = pipeline_report(window(form.end, form.month_count), form.kecamatan.data or None)
    chart, series = charts.pipeline_bars(report)
    return render_template(
        "dashboard/pipeline.html",
        form=form,
        report=report,
        tables=pipeline_tables(report),
        chart=chart,
        series=series,
    )


@bp.route("/service")
@require(DASHBOARD_ROLES)
def service():
    form = read_filters()
    if not form.validate():
        return _filter_error("dashboard/service.html", form)
    report = service_report(window(form.end, form.month_count), lang())
    chart, series = charts.complaint_bars(report)
    return render_template(
        "dashboard/service.html",
        form=form,
        report=report,
        tables=service_tables(report),
        chart=chart,
        series=series,
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
    page = request.args.get("page", 1, type=int)
    pagination, rows = batch_page(max(page, 1), flt=flt)
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


from . import public_routes, summary_routes, target_routes  # noqa: E402,F401
