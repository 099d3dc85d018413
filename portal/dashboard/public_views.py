"""The public coverage page: city-wide figures only, no personal data, no login."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _

from ..exports import export_response
from ..services.complaints.performance import service_report
from ..services.coverage.figures_cache import cached
from ..services.coverage.periods import window
from ..web.access import public
from ..web.page_cache import cached_page
from . import bp, charts
from .filters import EXPORT_FORMATS, cache_key, coverage_for, lang, read_filters
from .tables import Table, coverage_tables, pct


def _public_figures(form):
    """The coverage and service reports for the filters with their tables and chart, cached
    until a figure changes or for at most `FIGURES_CACHE_SECONDS` (a traffic spike runs the
    aggregates and builds the tables once)."""
    return cached(cache_key("public", form), lambda: _public_tables(form))


def _public_tables(form):
    report = coverage_for(form)
    service = service_report(window(form.end, form.month_count), lang())
    totals = service.totals
    service_table = Table(
        "public-service",
        _("Complaint handling"),
        [_("Figure"), _("Value")],
        [
            [_("Complaints received"), totals.received],
            [_("Complaints resolved"), totals.resolved],
            [_("Resolved on time"), totals.on_time],
            [_("On-time rate %"), pct(totals.on_time_pct)],
            [_("Open and overdue today"), totals.open_overdue],
        ],
    )
    tables = coverage_tables(report)
    return (
        report,
        service,
        {
            "coverage-monthly": tables["coverage-monthly"],
            "coverage-kecamatan": tables["coverage-kecamatan"],
            "coverage-category": tables["coverage-category"],
            "coverage-portal": tables["coverage-portal"],
            "public-service": service_table,
        },
        charts.coverage_line(report),
    )


@bp.route("/public", endpoint="public")
@cached_page
@public
def public_page():
    """The published figures; `?download=<table>.<csv|xlsx>` downloads one of its tables.

    Downloads share this endpoint on purpose: the public surface stays one reviewed endpoint.
    """
    form = read_filters()
    download = request.args.get("download")
    if not form.validate():
        template = "dashboard/filter_error.html" if download else "dashboard/public.html"
        return render_template(template, form=form, invalid=True), 400
    report, service, tables, coverage_chart = _public_figures(form)
    if download:
        name, _dot, fmt = download.rpartition(".")
        if fmt not in EXPORT_FORMATS or name not in tables:
            abort(404)
        return export_response(tables[name].export(), f"{name}-{form.end}", fmt)
    return render_template(
        "dashboard/public.html",
        form=form,
        report=report,
        service=service,
        tables=tables,
        coverage_chart=coverage_chart,
    )
