"""The owner's side of trade-office matters: compliance cases against their businesses, and
correcting and resubmitting a business the trade office rejected."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..services.access import owned_business_or_404
from ..services.businesses.owned import owner_case_page, rejected_businesses
from ..services.businesses.verification import resubmit_business
from ..services.compliance.rules import next_step_for_owner, service_labels
from ..web.access import OWNER, me, require
from ..web.business_forms import ResubmitForm
from ..web.forms import show_form, submit
from . import bp


@bp.route("/compliance")
@require(OWNER)
def trade_compliance():
    return render_template(
        "employer/compliance/index.html",
        cases=owner_case_page(current_user.id, request.args.get("page")),
        rejected=rejected_businesses(current_user.id),
        next_step=next_step_for_owner,
        service_labels=service_labels,
    )


@bp.route("/businesses/<int:business_id>/resubmit", methods=["GET", "POST"])
@require(OWNER)
def resubmit_business_page(business_id: int):
    business = owned_business_or_404(business_id, current_user)
    if not business.is_rejected:
        flash(_("Only a rejected business can be corrected and resubmitted."), "warning")
        return redirect(url_for(".trade_compliance"))
    # The form starts from the stored details; a POST is judged on what was posted only.
    if request.method == "GET":
        form = ResubmitForm(obj=business)
        form.version.data = str(business.version)
    else:
        form = ResubmitForm()
    done = submit(
        form,
        lambda: resubmit_business(
            business,
            me(),
            form.business_values(),
            int(form.version.data),
        ),
        _("%(name)s is sent back for verification.", name=business.name),
        url_for(".trade_compliance"),
    )
    if done:
        return done
    if form.is_submitted():  # refused: show the record as stored now
        business = owned_business_or_404(business_id, current_user)
    return show_form("employer/compliance/resubmit.html", form, business=business)
