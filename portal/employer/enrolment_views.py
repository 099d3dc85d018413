"""Enrolment: submit employees to BPJS, follow the requests, resubmit returned ones."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..services.access import owned_business_or_404
from ..services.enrolment.submission import (
    REQUEST_STATES,
    load_owner_request,
    owner_request_page,
    request_state_filter,
    resubmit_enrolment,
    submit_enrolments,
)
from ..web.access import OWNER, require
from ..web.forms import attempt
from . import bp
from .forms import ResubmitForm, SubmitEnrolmentForm


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
    saved, outcome = attempt(lambda: submit_enrolments(business, ids))
    if not saved:
        return redirect(back)
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
    enrolment = load_owner_request(request_id, current_user.id)
    form = ResubmitForm()
    target = url_for("employer.employee", employment_id=enrolment.employment_id)
    if not form.validate_on_submit():
        flash(_("The form has expired. Please try again."), "danger")
        return redirect(target)
    if attempt(lambda: resubmit_enrolment(enrolment, form.version.data)):
        flash(_("The corrected request was sent back to BPJS."), "success")
    return redirect(target)


@bp.route("/enrolments")
@require(OWNER)
def enrolments():
    state = request_state_filter(request.args.get("state"))
    page = owner_request_page(current_user.id, state, request.args.get("page"))
    return render_template(
        "employer/enrolments.html", page=page, state=state, states=REQUEST_STATES
    )
