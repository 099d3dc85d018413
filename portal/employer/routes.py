"""The owner's home: businesses, employees, enrolled vs not, contributions due, to-dos.

Figures and to-dos cover all the owner's businesses; the business list is paginated."""

from __future__ import annotations

from flask import current_app, render_template
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from ..domain.clock import today_wib
from ..extensions import db
from ..models import Business, EnrolmentRequest, EnrolmentState
from ..services.membership.employer_dues import BusinessFigures, owner_figures, totals_of
from ..web.access import OWNER, require
from . import bp
from .enrolment_views import owned_requests


@bp.route("/")
@require(OWNER)
def index():
    page = db.paginate(
        select(Business)
        .where(Business.owner_id == current_user.id)
        .options(selectinload(Business.sector), selectinload(Business.kelurahan))
        .order_by(Business.name, Business.id),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    # Totals cover every business of the owner, not just this page of them.
    figures = owner_figures(current_user.id, today_wib())
    returned_count, pending_count = db.session.execute(
        select(
            select(func.count())
            .select_from(owned_requests().where(EnrolmentRequest.state == "returned").subquery())
            .scalar_subquery(),
            select(func.count(Business.id))
            .where(
                Business.owner_id == current_user.id,
                Business.verification_state.in_(["pending", "rejected"]),
            )
            .scalar_subquery(),
        )
    ).one()
    returned = db.session.scalars(
        owned_requests()
        .where(EnrolmentRequest.state == EnrolmentState.RETURNED)
        .options(joinedload(EnrolmentRequest.employment), joinedload(EnrolmentRequest.business))
        .order_by(EnrolmentRequest.decided_at.desc(), EnrolmentRequest.id.desc())
        .limit(10)
    ).all()
    return render_template(
        "employer/index.html",
        page=page,
        figures={b.id: figures.get(b.id, BusinessFigures()) for b in page.items},
        totals=totals_of(figures),
        returned=returned,
        returned_count=returned_count,
        pending_count=pending_count,
    )
