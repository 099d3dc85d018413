"""The printable one-page PDF summary for the mayor's office."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _

from ..pdf import pdf_response
from ..services.complaints.performance import service_report
from ..services.coverage.periods import window
from ..services.coverage.pipeline import pipeline_report
from ..services.coverage.summary_pdf import BatchSummary, summary_pdf
from ..services.funded_batches.report import batch_totals, renewals_due_count
from ..web.access import require
from . import bp
from .filters import DASHBOARD_ROLES, coverage_for, lang, read_filters
from .tables import projection_text


@bp.route("/summary.pdf")
@require(DASHBOARD_ROLES)
def summary():
    form = read_filters()
    if not form.validate():
        return render_template("dashboard/filter_error.html", form=form, invalid=True), 400
    kecamatan = form.kecamatan.data or None
    coverage = coverage_for(form)
    months = window(form.end, form.month_count)
    n, members, budget, used = batch_totals()
    area = coverage.area_label or _("Whole city")
    pdf = summary_pdf(
        _("Social security coverage — Kota Singkawang"),
        _(
            "%(area)s · %(first)s to %(last)s",
            area=area,
            first=str(months[0]),
            last=str(months[-1]),
        ),
        coverage,
        pipeline_report(months, kecamatan),
        service_report(months, lang()),
        BatchSummary(n, members, budget, used, renewals_due_count()),
        " ".join(projection_text(p) for p in coverage.projections),
    )
    return pdf_response(pdf, f"ringkasan-jamsostek-{form.end}.pdf", inline=True)
