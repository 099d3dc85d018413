"""Employees: add by form, look at one with its contribution, correct, end, export."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..domain.clock import today_wib
from ..exports import export_response
from ..services.access import owned_business_or_404
from ..services.employees.cover import employment_cover, jp_pension_age, required_programmes
from ..services.employees.leaving import (
    can_undo_end,
    cancel_scheduled_end,
    check_end,
    end_employment,
    undo_deadline,
    undo_end,
)
from ..services.employees.lists import EmployeeFilters, employee_export, load_employment
from ..services.employees.records import add_employee, update_employee
from ..services.employees.rules import employment_contribution
from ..services.reference.lookups import rate_table
from ..templating import format_day
from ..web.access import OWNER, require
from ..web.confirmation import Confirmation, confirm_then_run
from ..web.forms import attempt, form_status
from . import bp
from .forms import (
    CancelEndForm,
    EditEmployeeForm,
    EmployeeForm,
    EndEmploymentForm,
    ResubmitForm,
    UndoEndForm,
    version_of,
)


def _form_page(form, business, employment):
    """The employee form, with the law it applies: the business's required programmes
    (Perpres 109/2013 art. 6) and this year's JP pension age (PP 45/2015 art. 15)."""
    today = today_wib()
    return render_template(
        "employer/employee_form.html",
        form=form,
        business=business,
        employment=employment,
        required=required_programmes(business.scale, today),
        pension_age=jp_pension_age(today),
    ), form_status(form)


@bp.route("/businesses/<int:business_id>/employees/new", methods=["GET", "POST"])
@require(OWNER)
def new_employee(business_id: int):
    business = owned_business_or_404(business_id, current_user)
    form = EmployeeForm()
    if request.method == "GET":
        form.category.data = "PU"
        form.start_date.data = today_wib()
    if form.validate_on_submit():
        saved, employment = attempt(lambda: add_employee(business, form.employee_input()), form)
        if saved:
            flash(_("Employee saved."), "success")
            return redirect(url_for("employer.employee", employment_id=employment.id))
    return _form_page(form, business, None)


def _employee_page(employment, end_form: EndEmploymentForm):
    today = today_wib()
    return render_template(
        "employer/employee.html",
        employment=employment,
        contribution=employment_contribution(employment, rate_table(), today),
        cover=employment_cover(employment, today),
        month=today,
        end_form=end_form,
        cancel_end_form=CancelEndForm(formdata=None),
        undo_end_form=UndoEndForm(formdata=None),
        undo_until=undo_deadline(employment) if can_undo_end(employment) else None,
        resubmit_form=ResubmitForm(formdata=None),
    )


@bp.route("/employees/<int:employment_id>")
@require(OWNER)
def employee(employment_id: int):
    employment = load_employment(employment_id, current_user)
    # The last day is never pre-filled: the owner types it, then confirms it.
    end_form = EndEmploymentForm(formdata=None, version=employment.version)
    return _employee_page(employment, end_form)


def _take_back(employment_id: int, form, command, done: str):
    """A one-button POST on the employee page that takes an end back (versioned form)."""
    employment = load_employment(employment_id, current_user)
    if not form.validate_on_submit():
        flash(
            _("Someone else changed this record meanwhile. Reload the page and try again."),
            "danger",
        )
    elif attempt(lambda: command(employment, form.version.data)):
        flash(done, "success")
    return redirect(url_for("employer.employee", employment_id=employment_id))


@bp.route("/employees/<int:employment_id>/cancel-end", methods=["POST"])
@require(OWNER)
def cancel_end(employment_id: int):
    """Take back a last day still to come; the job and its BPJS membership run on."""
    return _take_back(
        employment_id,
        CancelEndForm(),
        cancel_scheduled_end,
        _("The last day is cancelled: the employment continues."),
    )


@bp.route("/employees/<int:employment_id>/undo-end", methods=["POST"])
@require(OWNER)
def undo_end_employee(employment_id: int):
    """Take back an end entered less than a day ago: the job and its BPJS membership are
    restored exactly as they were."""
    return _take_back(
        employment_id,
        UndoEndForm(),
        undo_end,
        _("The end is taken back: the employment and its BPJS membership continue."),
    )


@bp.route("/employees/<int:employment_id>/edit", methods=["GET", "POST"])
@require(OWNER)
def edit_employee(employment_id: int):
    employment = load_employment(employment_id, current_user)
    if not employment.is_current:
        flash(_("This employment has ended and can no longer be changed."), "warning")
        return redirect(url_for("employer.employee", employment_id=employment.id))
    form = EditEmployeeForm(obj=employment)
    if request.method == "GET":
        form.version.data = employment.version
    if form.validate_on_submit():
        saved, carried = attempt(
            lambda: update_employee(employment, form.employee_input(), version_of(form.version)),
            form,
        )
        if saved:
            flash(_("Employee details saved."), "success")
            if carried.memberships:
                flash(_("Their BPJS membership dues follow the new figures from now on."), "info")
            if carried.requests:
                flash(
                    _("The enrolment request waiting at BPJS now carries the new figures."), "info"
                )
            return redirect(url_for("employer.employee", employment_id=employment.id))
        employment = load_employment(employment_id, current_user)
    return _form_page(form, employment.business, employment)


@bp.route("/employees/<int:employment_id>/end", methods=["POST"])
@require(OWNER)
def end_employee(employment_id: int):
    employment = load_employment(employment_id, current_user)
    form = EndEmploymentForm()
    # Ask only about an end that would be accepted; a refusal shows next to the date.
    step = confirm_then_run(
        form,
        check=lambda: check_end(employment, form.end_date.data, form.version.data),
        ask=lambda _checked: Confirmation(
            question=_("End the employment of %(name)s?", name=employment.full_name),
            facts=[
                (_("Last day of employment"), format_day(form.end_date.data)),
                *([(_("Reason"), form.reason.data)] if form.reason.data else []),
            ],
            consequence=_(
                "The BPJS membership that came with this job ends with it: at once for a last "
                "day today or earlier, otherwise on that day."
            ),
            undo=Confirmation.undo_in_window(),
            confirm_label=_("Yes, end the employment"),
            cancel_url=url_for("employer.employee", employment_id=employment.id),
        ),
        command=lambda: end_employment(
            employment, form.end_date.data, form.reason.data or "", form.version.data
        ),
    )
    answer = step.answer(
        lambda outcome: _ended_message(outcome, form.end_date.data),
        url_for("employer.employee", employment_id=employment.id),
    )
    if answer:
        return answer
    if step.error is not None:  # refused: the record as stored now
        employment = load_employment(employment_id, current_user)
    return _employee_page(employment, form), form_status(form)


def _ended_message(outcome, end_date) -> str:
    message = _("Employment ended.")
    if outcome.ended:
        message += " " + _("Their BPJS membership through this job has ended too.")
    if outcome.ending:
        message += " " + _(
            "Their BPJS membership through this job runs until %(day)s and ends then.",
            day=format_day(end_date),
        )
    return message


@bp.route("/businesses/<int:business_id>/employees.<fmt>")
@require(OWNER)
def export_employees(business_id: int, fmt: str):
    if fmt not in ("csv", "xlsx"):
        abort(404)
    business = owned_business_or_404(business_id, current_user)
    filters = EmployeeFilters.from_args(request.args)
    _saved, table = attempt(lambda: employee_export(business, filters, today_wib(), fmt))
    return export_response(table, f"karyawan-{business.nib}", fmt)
