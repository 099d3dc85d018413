"""The head's view: queue load per officer, decision times, overdue count, reassignment."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..domain.clock import today_wib
from ..extensions import db
from ..models import EnrollmentRequest, Role
from ..services.enrolment.reports import OPEN, head_figures
from ..web.access import require
from . import bp


@bp.route("/head")
@require(Role.BPJS_HEAD.value)
def head():
    today = today_wib()
    overdue = db.session.scalars(
        select(EnrollmentRequest)
        .where(EnrollmentRequest.state.in_(OPEN), EnrollmentRequest.sla_due < today)
        .options(
            joinedload(EnrollmentRequest.worker),
            joinedload(EnrollmentRequest.business),
            joinedload(EnrollmentRequest.assignee),
        )
        .order_by(EnrollmentRequest.sla_due, EnrollmentRequest.id)
        .limit(50)
    ).all()
    figures = head_figures(today)
    officers = [(load.officer.id, load.officer.name) for load in figures.officers]
    return render_template(
        "bpjs/head.html", figures=figures, overdue=overdue, today=today, officers=officers
    )
