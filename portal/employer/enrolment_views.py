"""Enrolment: submit employees to BPJS, follow the requests, resubmit returned ones."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Business, EnrolmentRequest, EnrolmentState
from ..services.access import owned_business_or_404
from ..services.employees.rules import problem_message
from ..services.enrolment.submission import EnrolmentError, resubmit_enrolment, submit_enrolments
from ..web.access import OWNER, require
from . import bp
from .forms import ResubmitForm, SubmitEnrolmentForm

STATES = tuple(s.value for s in EnrolmentState if s != EnrolmentState.DRAFT)


def owned_requests():
    """Enrolment requests of the current owner's businesses only."""
    return (
        select(EnrolmentRequest)
        .join(Business, EnrolmentRequest.business_id == Business.id)
        .where(Business.owner_id == current_user.id)
    )


@bp.route("/businesses/<int:business_id>/enrolments", methods=["POST"])
@require(OWNER)
def submit_enrolment(business_id: int):
    business = owned_business_or_404(business_id, current_user)
    form = SubmitEnrolmentForm()
    back = url_for("employer.business", business_id=business.id)
    if not form.validate_on_submit():
        flash(_("The form has expired. Please try again."), "danger")
        return redirect(back)
    if form.submit_all.data:
        ids = None
    else:
        ids = form.employment_id.data or []
        if not ids:
            flash(_("Choose at least one employee to submit."), "warning")
            return redirect(back)
    try:
        outcome = submit_enrolments(business, ids)
    except EnrolmentError as exc:
        db.session.rollback()
        flash(problem_message(exc.code), "danger")
        return redirect(back)
    db.session.commit()
    if outcome.created:
        flash(
            ngettext(
                "%(num)d employee submitted to BPJS.",
                "%(num)d employees submitted to BPJS.",
                len(outcome.created),
            ),
            "success",
        )
    if outcome.already:
        flash(
            ngettext(
                "%(num)d employee was already submitted or enrolled: nothing changed for them.",
                "%(num)d employees were already submitted or enrolled: nothing changed for them.",
                outcome.already,
            ),
            "info",
        )
    if outcome.out_of_range:
        flash(
            _("Not submitted, because their income is outside the allowed range: %(names)s.")
            % {"names": ", ".join(e.full_name for e in outcome.out_of_range[:10])},
            "warning",
        )
    if not (outcome.created or outcome.already or outcome.out_of_range):
        flash(_("No current employee was chosen."), "warning")
    return redirect(back)


@bp.route("/enrolments/<int:request_id>/resubmit", methods=["POST"])
@require(OWNER)
def resubmit(request_id: int):
    enrolment = db.session.scalar(owned_requests().where(EnrolmentRequest.id == request_id))
    if enrolment is None:
        abort(404)
    form = ResubmitForm()
    target = url_for("employer.employee", employment_id=enrolment.employment_id)
    if not form.validate_on_submit():
        flash(_("The form has expired. Please try again."), "danger")
        return redirect(target)
    try:
        resubmit_enrolment(enrolment, form.version.data)
    except EnrolmentError as exc:
        db.session.rollback()
        flash(problem_message(exc.code), "danger")
        return redirect(target)
    db.session.commit()
    flash(_("The corrected request was sent back to BPJS."), "success")
    return redirect(target)


@bp.route("/enrolments")
@require(OWNER)
def enrolments():
    state = request.args.get("state", "")
    state = state if state in STATES else ""
    stmt = owned_requests().options(
        joinedload(EnrolmentRequest.employment), joinedload(EnrolmentRequest.business)
    )
    if state:
        stmt = stmt.where(EnrolmentRequest.state == state)
    page = db.paginate(
        stmt.order_by(EnrolmentRequest.submitted_at.desc(), EnrolmentRequest.id.desc()),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    return render_template("employer/enrolments.html", page=page, state=state, states=STATES)
