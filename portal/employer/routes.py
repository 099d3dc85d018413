"""The owner's home: businesses, employees, enrolled vs not, contributions due, to-dos."""

from __future__ import annotations

from flask import current_app, render_template
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from ..auth.access import OWNER, require
from ..extensions import db
from ..models import Business, Employment, EnrollmentRequest, EnrollmentState
from . import bp
from .enrolment_views import owned_requests


def business_figures(business_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per business: current employees, enrolled, monthly contributions of the enrolled."""
    enrolled = (
        select(EnrollmentRequest.employment_id, EnrollmentRequest.monthly_contribution)
        .where(EnrollmentRequest.state == EnrollmentState.ENROLLED)
        .subquery()
    )
    rows = db.session.execute(
        select(
            Employment.business_id,
            func.count(Employment.id),
            func.count(enrolled.c.employment_id),
            func.coalesce(func.sum(enrolled.c.monthly_contribution), 0),
        )
        .outerjoin(enrolled, enrolled.c.employment_id == Employment.id)
        .where(Employment.business_id.in_(business_ids), Employment.end_date.is_(None))
        .group_by(Employment.business_id)
    )
    figures = {bid: {"employees": 0, "enrolled": 0, "due": 0} for bid in business_ids}
    for business_id, employees, enrolled_count, due in rows:
        figures[business_id] = {"employees": employees, "enrolled": enrolled_count, "due": due}
    return figures


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
    figures = business_figures([b.id for b in page.items])
    totals = {"employees": 0, "enrolled": 0, "due": 0}
    for f in figures.values():
        for key in totals:
            totals[key] += f[key]
    returned_count, pending_count = db.session.execute(
        select(
            select(func.count())
            .select_from(owned_requests().where(EnrollmentRequest.state == "returned").subquery())
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
        .where(EnrollmentRequest.state == EnrollmentState.RETURNED)
        .options(joinedload(EnrollmentRequest.employment), joinedload(EnrollmentRequest.business))
        .order_by(EnrollmentRequest.decided_at.desc(), EnrollmentRequest.id.desc())
        .limit(10)
    ).all()
    return render_template(
        "employer/index.html",
        page=page,
        figures=figures,
        totals=totals,
        returned=returned,
        returned_count=returned_count,
        pending_count=pending_count,
    )
