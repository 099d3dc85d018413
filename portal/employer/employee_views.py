"""Employees: add by form, look at one with its contribution, correct, end, export."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ..domain.clock import today_wib
from ..exports import ExportTable, export_response
from ..extensions import db
from ..models import Employment
from ..services.access import owned_business_or_404, scope_employments
from ..services.audit.trail import record_event
from ..services.employees.leaving import cancel_scheduled_end, end_employment
from ..services.employees.records import EmployeeInvalid, add_employee, update_employee
from ..services.employees.rules import employment_contribution, problem_message
from ..services.reference.lookups import rate_table
from ..templating import format_day
from ..web.access import OWNER, require
from . import bp
from .business_views import _employee_filters, _version, employee_query
from .forms import (
    CancelEndForm,
    EditEmployeeForm,
    EmployeeForm,
    EndEmploymentForm,
    ResubmitForm,
)
from .helpers import apply_problems, employee_input, kelurahan_choices


def _owned_employment(employment_id: int) -> Employment:
    stmt = scope_employments(
        select(Employment)
        .where(Employment.id == employment_id)
        .options(
            joinedload(Employment.worker),
            joinedload(Employment.business),
            joinedload(Employment.kelurahan),
            selectinload(Employment.enrolment_requests),
        ),
        current_user,
    )
    employment = db.session.scalar(stmt)
    if employment is None:
        abort(404)
    return employment


def _status(form) -> int:
    return 400 if form.errors or getattr(form, "form_errors", None) else 200


@bp.route("/businesses/<int:business_id>/employees/new", methods=["GET", "POST"])
@require(OWNER)
def new_employee(business_id: int):
    business = owned_business_or_404(business_id, current_user)
    form = EmployeeForm()
    form.kelurahan_code.choices = kelurahan_choices()
    if request.method == "GET":
        form.category.data = "PU"
        form.start_date.data = today_wib()
    if form.validate_on_submit():
        try:
            employment = add_employee(business, employee_input(form))
        except EmployeeInvalid as exc:
            db.session.rollback()
            apply_problems(form, exc.problems)
        else:
            db.session.commit()
            flash(_("Employee saved."), "success")
            return redirect(url_for("employer.employee", employment_id=employment.id))
    return render_template(
        "employer/employee_form.html", form=form, business=business, employment=None
    ), _status(form)


@bp.route("/employees/<int:employment_id>")
@require(OWNER)
def employee(employment_id: int):
    employment = _owned_employment(employment_id)
    today = today_wib()
    end_form = EndEmploymentForm(formdata=None, version=employment.version, end_date=today)
    return render_template(
        "employer/employee.html",
        employment=employment,
        contribution=employment_contribution(employment, rate_table(), today),
        month=today,
        end_form=end_form,
        cancel_end_form=CancelEndForm(formdata=None),
        resubmit_form=ResubmitForm(formdata=None),
    )


@bp.route("/employees/<int:employment_id>/cancel-end", methods=["POST"])
@require(OWNER)
def cancel_end(employment_id: int):
    """Take back a last day still to come; the job and its BPJS membership run on."""
    employment = _owned_employment(employment_id)
    form = CancelEndForm()
    if not form.validate_on_submit():
        flash(
            _("Someone else changed this record meanwhile. Reload the page and try again."),
            "danger",
        )
    else:
        try:
            cancel_scheduled_end(employment, form.version.data)
        except EmployeeInvalid as exc:
            db.session.rollback()
            for problem in exc.problems:
                flash(problem_message(problem.code, problem.params), "danger")
        else:
            db.session.commit()
            flash(_("The last day is cancelled: the employment continues."), "success")
    return redirect(url_for("employer.employee", employment_id=employment_id))


@bp.route("/employees/<int:employment_id>/edit", methods=["GET", "POST"])
@require(OWNER)
def edit_employee(employment_id: int):
    employment = _owned_employment(employment_id)
    if not employment.is_current:
        flash(_("This employment has ended and can no longer be changed."), "warning")
        return redirect(url_for("employer.employee", employment_id=employment.id))
    form = EditEmployeeForm(obj=employment)
    form.kelurahan_code.choices = kelurahan_choices()
    if request.method == "GET":
        form.version.data = employment.version
    if form.validate_on_submit():
        try:
            carried = update_employee(employment, employee_input(form), _version(form.version.data))
        except EmployeeInvalid as exc:
            db.session.rollback()
            employment = _owned_employment(employment_id)
            apply_problems(form, exc.problems)
        else:
            db.session.commit()
            flash(_("Employee details saved."), "success")
            if carried.memberships:
                flash(_("Their BPJS membership dues follow the new figures from now on."), "info")
            if carried.requests:
                flash(
                    _("The enrolment request waiting at BPJS now carries the new figures."), "info"
                )
            return redirect(url_for("employer.employee", employment_id=employment.id))
    return render_template(
        "employer/employee_form.html",
        form=form,
        business=employment.business,
        employment=employment,
    ), _status(form)


@bp.route("/employees/<int:employment_id>/end", methods=["POST"])
@require(OWNER)
def end_employee(employment_id: int):
    employment = _owned_employment(employment_id)
    form = EndEmploymentForm()
    if form.validate_on_submit():
        try:
            outcome = end_employment(
                employment, form.end_date.data, form.reason.data or "", form.version.data
            )
        except EmployeeInvalid as exc:
            db.session.rollback()
            employment = _owned_employment(employment_id)
            apply_problems(form, exc.problems)
        else:
            db.session.commit()
            message = _("Employment ended.")
            if outcome.ended:
                message += " " + _("Their BPJS membership through this job has ended too.")
            if outcome.ending:
                message += " " + _(
                    "Their BPJS membership through this job runs until %(day)s and ends then.",
                    day=format_day(form.end_date.data),
                )
            flash(message, "success")
            return redirect(url_for("employer.employee", employment_id=employment.id))
    today = today_wib()
    return render_template(
        "employer/employee.html",
        employment=employment,
        contribution=employment_contribution(employment, rate_table(), today),
        month=today,
        end_form=form,
        cancel_end_form=CancelEndForm(formdata=None),
        resubmit_form=ResubmitForm(formdata=None),
    ), 400


@bp.route("/businesses/<int:business_id>/employees.<fmt>")
@require(OWNER)
def export_employees(business_id: int, fmt: str):
    if fmt not in ("csv", "xlsx"):
        abort(404)
    business = owned_business_or_404(business_id, current_user)
    filters = _employee_filters()
    rates, today = rate_table(), today_wib()
    employments = db.session.scalars(
        employee_query(business.id, filters, today)
        .options(joinedload(Employment.worker), selectinload(Employment.enrolment_requests))
        .order_by(Employment.full_name, Employment.id)
    ).all()
    rows = []
    for e in employments:
        contribution = employment_contribution(e, rates, today)
        latest = e.latest_request
        rows.append(
            [
                e.worker.nik,
                e.full_name,
                e.worker.birth_date,
                e.worker.sex,
                e.occupation,
                e.category,
                e.monthly_amount,
                e.start_date,
                e.end_date,
                latest.state if latest else "",
                latest.kpj if latest and latest.kpj else "",
                contribution.total if contribution else "",
            ]
        )
    table = ExportTable(
        headers=[
            "NIK",
            _("Full name"),
            _("Birth date"),
            _("Sex"),
            _("Occupation"),
            _("Category"),
            _("Monthly wage or income"),
            _("Start"),
            _("End"),
            _("Enrolment state"),
            "KPJ",
            _("Monthly contribution"),
        ],
        rows=rows,
        sheet_title=_("Employees"),
    )
    # Exports carry full NIKs: who downloaded them is part of the audit trail (UU 27/2022).
    record_event("employees.exported", business, {"rows": len(rows), "format": fmt})
    db.session.commit()
    return export_response(table, f"karyawan-{business.nib}", fmt)
