"""The outreach funnel page (per kecamatan and sector, for a chosen period)."""

from __future__ import annotations

from datetime import date

from flask import abort, render_template, request

from ..domain.clock import today_wib
from ..exports import export_response
from ..services.outreach.funnel import funnel_export, funnel_totals, outreach_funnel
from ..web.access import TRADE, require
from ..web.forms import query_args
from . import bp
from .forms import FunnelForm


def _period(form: FunnelForm) -> tuple[date, date, str | None]:
    today = today_wib()
    valid = form.validate()
    start = form.start.data if valid and form.start.data else date(today.year, 1, 1)
    end = form.end.data if valid and form.end.data else today
    if end < start:
        start, end = end, start
        form.start.data, form.end.data = start, end
    kecamatan = form.kecamatan.data if valid and form.kecamatan.data else None
    form.start.data, form.end.data = start, end
    return start, end, kecamatan


@bp.route("/funnel")
@require(TRADE)
def funnel():
    form = FunnelForm(request.args)
    start, end, kecamatan = _period(form)
    rows = outreach_funnel(start, end, kecamatan)
    return render_template(
        "disperindagkop/funnel.html",
        form=form,
        rows=rows,
        totals=funnel_totals(rows),
        start=start,
        end=end,
        export_args=query_args(form),
    )


@bp.route("/funnel/export.<fmt>")
@require(TRADE)
def funnel_download(fmt: str):
    if fmt not in ("csv", "xlsx"):
        abort(404)
    start, end, kecamatan = _period(FunnelForm(request.args))
    table = funnel_export(start, end, kecamatan)
    return export_response(table, f"corong-{start.isoformat()}-{end.isoformat()}", fmt)
