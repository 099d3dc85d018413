"""The head's view: queue load per officer, decision times, overdue count, reassignment."""

from __future__ import annotations

from flask import render_template

from ..domain.clock import today_wib
from ..models import Role
from ..services.enrolment.reports import head_figures, overdue_requests
from ..web.access import require
from . import bp


@bp.route("/head")
@require(Role.BPJS_HEAD.value)
def head():
    today = today_wib()
    overdue = overdue_requests(today)
    figures = head_figures(today)
    return render_template(
        "bpjs/head.html", figures=figures, overdue=overdue, officers=figures.officer_choices
    )
