"""The owner's side of trade-office matters: compliance cases against their businesses, and
correcting and resubmitting a business the trade office rejected."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Business, ComplianceCase, VerificationState
from ..services.access import owned_business_or_404
from ..services.businesses.verification import resubmit_business
from ..services.compliance.rules import next_step_for_owner, service_labels
from ..web.access import OWNER, require
from ..web.business_forms import ResubmitForm
from ..web.forms import attempt
from . import bp


@bp.route("/compliance")
@require(OWNER)
def trade_compliance():
    cases = db.paginate(
        select(ComplianceCase)
        .options(joinedload(ComplianceCase.business))
        .join(Business, Business.id == ComplianceCase.business_id)
        .where(Business.owner_id == current_user.id)
        .order_by(ComplianceCase.created_at.desc(), ComplianceCase.id.desc()),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    rejected = db.session.scalars(
        select(Business)
        .where(
            Business.owner_id == current_user.id,
            Business.verification_state == VerificationState.REJECTED,
        )
        .order_by(Business.name)
    ).all()
    return render_template(
        "employer/compliance/index.html",
        cases=cases,
        rejected=rejected,
        next_step=next_step_for_owner,
        service_labels=service_labels,
    )


@bp.route("/businesses/<int:business_id>/resubmit", methods=["GET", "POST"])
@require(OWNER)
def resubmit_business_page(business_id: int):
    business = owned_business_or_404(business_id, current_user)
    if business.verification_state != VerificationState.REJECTED:
        flash(_("Only a rejected business can be corrected and resubmitted."), "warning")
        return redirect(url_for(".trade_compliance"))
    # The form starts from the stored details; a POST is judged on what was posted only.
    if request.method == "GET":
        form = ResubmitForm(obj=business)
        form.version.data = str(business.version)
    else:
        form = ResubmitForm()
    if form.validate_on_submit():
        saved, _result = attempt(
            lambda: resubmit_business(
                business,
                current_user._get_current_object(),
                form.business_values(),
                int(form.version.data),
            ),
            form,
        )
        if saved:
            flash(_("%(name)s is sent back for verification.", name=business.name), "success")
            return redirect(url_for(".trade_compliance"))
        business = owned_business_or_404(business_id, current_user)
    status = 400 if form.errors or form.form_errors else 200
    return (
        render_template("employer/compliance/resubmit.html", form=form, business=business),
        status,
    )
