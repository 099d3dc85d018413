"""Businesses: register, correct, and the business page with its employee list."""

from __future__ import annotations

from datetime import date

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from ..domain.clock import today_wib
from ..extensions import db
from ..models import Employment, EnrolmentRequest, VerificationState, Worker
from ..services.access import owned_business_or_404
from ..services.businesses.registration import (
    BusinessInput,
    BusinessInvalid,
    register_business,
    update_business,
)
from ..services.employees.rules import employment_contribution, problem_message
from ..services.enrolment.submission import not_enrolled_clause
from ..services.reference.lookups import rate_table
from ..web.access import OWNER, require
from . import bp
from .forms import BusinessForm, SubmitEnrolmentForm
from .helpers import kelurahan_choices, sector_choices

EMPLOYEE_STATUSES = ("current", "ended", "all")
ENROLMENT_FILTERS = ("not_enrolled", "submitted", "in_review", "returned", "enrolled", "rejected")


def _business_form(**kwargs) -> BusinessForm:
    form = BusinessForm(**kwargs)
    form.sector_code.choices = [("", "—"), *sector_choices()]
    form.kelurahan_code.choices = kelurahan_choices()
    return form


def _business_input(form: BusinessForm) -> BusinessInput:
    return BusinessInput(
        nib=form.nib.data,
        name=form.name.data,
        sector_code=form.sector_code.data,
        scale=form.scale.data,
        kelurahan_code=form.kelurahan_code.data,
        address=form.address.data,
        phone=form.phone.data or None,
    )


def _version(value) -> int:
    """The version a form was built from; garbage counts as stale, never as a 500."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _show_business_problems(form: BusinessForm, exc: BusinessInvalid) -> None:
    form.form_errors = []
    for name, code in exc.problems.items():
        target = getattr(form, name, None)
        if name == "form" or target is None:
            form.form_errors.append(problem_message(code))
        else:
            target.errors = [*target.errors, problem_message(code)]


@bp.route("/businesses/new", methods=["GET", "POST"])
@require(OWNER)
def new_business():
    form = _business_form()
    if form.validate_on_submit():
        try:
            business = register_business(current_user, _business_input(form))
        except BusinessInvalid as exc:
            db.session.rollback()
            _show_business_problems(form, exc)
        else:
            db.session.commit()
            flash(
                _("Business registered. The trade office will verify it before enrolment."),
                "success",
            )
            return redirect(url_for("employer.business", business_id=business.id))
    return render_template(
        "employer/business_form.html", form=form, business=None
    ), 400 if form.errors or getattr(form, "form_errors", None) else 200


@bp.route("/businesses/<int:business_id>/edit", methods=["GET", "POST"])
@require(OWNER)
def edit_business(business_id: int):
    business = owned_business_or_404(business_id, current_user)
    if business.verification_state == VerificationState.REJECTED:
        # The trade office's resubmission answers the rejection and re-queues the business.
        return redirect(url_for("employer.resubmit_business_page", business_id=business.id))
    form = _business_form(obj=business)
    if request.method == "GET":
        form.version.data = business.version
    if form.validate_on_submit():
        try:
            update_business(business, _business_input(form), _version(form.version.data))
        except BusinessInvalid as exc:
            db.session.rollback()
            business = owned_business_or_404(business_id, current_user)
            _show_business_problems(form, exc)
        else:
            db.session.commit()
            flash(_("Business details saved."), "success")
            return redirect(url_for("employer.business", business_id=business.id))
    if business.is_verified:
        form.nib.render_kw = {"readonly": True}
    status = 400 if form.errors or getattr(form, "form_errors", None) else 200
    return render_template("employer/business_form.html", form=form, business=business), status


def _employee_filters():
    args = request.args
    status = args.get("status", "current")
    enrolment = args.get("enrolment", "")
    category = args.get("category", "")
    return {
        "q": args.get("q", "").strip()[:120],
        "status": status if status in EMPLOYEE_STATUSES else "current",
        "enrolment": enrolment if enrolment in ENROLMENT_FILTERS else "",
        "category": category if category in ("PU", "BPU") else "",
    }


def employee_query(business_id: int, filters: dict, today: date):
    """Employees of one business by the filters. "Current" includes a last day still ahead
    (as the home page figures do); "ended" means the last day has passed."""
    stmt = (
        select(Employment)
        .join(Worker, Employment.worker_id == Worker.id)
        .where(Employment.business_id == business_id)
    )
    if filters["status"] == "current":
        stmt = stmt.where(Employment.working_after(today))
    elif filters["status"] == "ended":
        stmt = stmt.where(~Employment.working_after(today))
    if filters["category"]:
        stmt = stmt.where(Employment.category == filters["category"])
    if filters["q"]:
        q = filters["q"]
        if q.isdigit():
            stmt = stmt.where(Worker.nik.startswith(q))
        else:
            stmt = stmt.where(or_(Employment.full_name.ilike(f"%{q}%")))
    enrolment = filters["enrolment"]
    if enrolment == "not_enrolled":
        stmt = stmt.where(not_enrolled_clause())
    elif enrolment:
        latest_state = (
            select(EnrolmentRequest.state)
            .where(EnrolmentRequest.employment_id == Employment.id)
            .order_by(EnrolmentRequest.id.desc())
            .limit(1)
            .scalar_subquery()
        )
        stmt = stmt.where(latest_state == enrolment)
    return stmt


@bp.route("/businesses/<int:business_id>")
@require(OWNER)
def business(business_id: int):
    business = owned_business_or_404(business_id, current_user)
    filters = _employee_filters()
    today = today_wib()
    stmt = (
        employee_query(business.id, filters, today)
        .options(
            joinedload(Employment.worker),
            selectinload(Employment.enrolment_requests),
        )
        .order_by(Employment.full_name, Employment.id)
    )
    page = db.paginate(stmt, per_page=current_app.config["PAGE_SIZE"], error_out=False)
    rates = rate_table()
    contributions = {e.id: employment_contribution(e, rates, today) for e in page.items}
    return render_template(
        "employer/business.html",
        today=today,
        business=business,
        page=page,
        filters=filters,
        contributions=contributions,
        submit_form=SubmitEnrolmentForm(),
        enrolment_filters=ENROLMENT_FILTERS,
    )
