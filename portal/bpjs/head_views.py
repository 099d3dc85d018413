"""The head's view: queue load per officer, decision times, overdue count, reassignment."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..domain.clock import today_wib
from ..extensions import db
from ..models import EnrolmentRequest, Role
from ..services.enrolment.reports import OPEN, head_figures
from ..web.access import require
from . import bp


@bp.route("/head")
@require(Role.BPJS_HEAD.value)
def head():
    today = today_wib()
    overdue = db.session.scalars(
        select(EnrolmentRequest)
        .where(EnrolmentRequest.state.in_(OPEN), EnrolmentRequest.sla_due < today)
        .options(
            joinedload(EnrolmentRequest.worker),
            joinedload(EnrolmentRequest.business),
            joinedload(EnrolmentRequest.assignee),
        )
        .order_by(EnrolmentRequest.sla_due, EnrolmentRequest.id)
        .limit(50)
    ).all()
    figures = head_figures(today)
    officers = [(load.officer.id, load.officer.name) for load in figures.officers]
    return render_template(
        "bpjs/head.html", figures=figures, overdue=overdue, today=today, officers=officers
    )
