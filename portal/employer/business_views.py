"""Businesses: register, correct, and the business page with its employee list."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..domain.clock import today_wib
from ..services.access import owned_business_or_404
from ..services.businesses.registration import register_business, update_business
from ..services.employees.cover import required_programmes
from ..services.employees.lists import (
    ENROLMENT_FILTERS,
    EmployeeFilters,
    employee_page,
    monthly_contributions,
)
from ..web.access import OWNER, require
from ..web.forms import attempt, show_form, submit
from . import bp
from .forms import BusinessForm, SubmitEnrolmentForm, version_of


@bp.route("/businesses/new", methods=["GET", "POST"])
@require(OWNER)
def new_business():
    form = BusinessForm()
    if form.validate_on_submit():
        saved, business = attempt(
            lambda: register_business(current_user, form.business_input()), form
        )
        if saved:
            flash(
                _("Business registered. The trade office will verify it before enrolment."),
                "success",
            )
            return redirect(url_for("employer.business", business_id=business.id))
    return show_form("employer/business_form.html", form, business=None)


@bp.route("/businesses/<int:business_id>/edit", methods=["GET", "POST"])
@require(OWNER)
def edit_business(business_id: int):
    business = owned_business_or_404(business_id, current_user)
    if business.is_rejected:
        # The trade office's resubmission answers the rejection and re-queues the business.
        return redirect(url_for("employer.resubmit_business_page", business_id=business.id))
    form = BusinessForm(obj=business)
    if request.method == "GET":
        form.version.data = business.version
    done = submit(
        form,
        lambda: update_business(business, form.business_input(), version_of(form.version)),
        _("Business details saved."),
        url_for("employer.business", business_id=business.id),
    )
    if done:
        return done
    if form.is_submitted():  # refused: show the record as stored now
        business = owned_business_or_404(business_id, current_user)
    if business.is_verified:
        form.nib.render_kw = {"readonly": True}
    return show_form("employer/business_form.html", form, business=business)


@bp.route("/businesses/<int:business_id>")
@require(OWNER)
def business(business_id: int):
    business = owned_business_or_404(business_id, current_user)
    filters = EmployeeFilters.from_args(request.args)
    today = today_wib()
    page = employee_page(business, filters, today, request.args.get("page"))
    return render_template(
        "employer/business.html",
        today=today,
        business=business,
        page=page,
        filters=filters,
        contributions=monthly_contributions(page.items, today),
        required=required_programmes(business.scale, today),
        submit_form=SubmitEnrolmentForm(),
        enrolment_filters=ENROLMENT_FILTERS,
    )
