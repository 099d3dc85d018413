"""Referrals from the trade office's side: refer a business, follow the outcome."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..models import ReferralState
from ..services.access import owned_business_or_404
from ..services.outreach.referrals import (
    linked_requests,
    load_referral,
    refer_business,
    referral_page,
)
from ..web.access import TRADE, require
from ..web.forms import form_status, submit
from . import bp
from .forms import ReferralForm


@bp.route("/referrals")
@require(TRADE)
def referrals():
    chosen = request.args.get("state") or None
    page = referral_page(chosen, request.args.get("page"))
    return render_template(
        "disperindagkop/referrals.html", page=page, chosen=chosen, states=list(ReferralState)
    )


@bp.route("/businesses/<int:business_id>/refer", methods=["GET", "POST"])
@require(TRADE)
def refer(business_id: int):
    business = owned_business_or_404(business_id, current_user)
    form = ReferralForm()
    done = submit(
        form,
        lambda: refer_business(
            business,
            current_user._get_current_object(),
            reason=form.reason.data,
            contact_person=form.contact_person.data,
            contact_phone=form.contact_phone.data,
        ),
        _("%(name)s is referred to BPJS.", name=business.name),
        lambda referral: url_for(".referral", referral_id=referral.id),
    )
    if done:
        return done
    status = form_status(form)
    return render_template("disperindagkop/refer.html", form=form, business=business), status


@bp.route("/referrals/<int:referral_id>")
@require(TRADE)
def referral(referral_id: int):
    referral = load_referral(referral_id)
    return render_template(
        "disperindagkop/referral.html",
        referral=referral,
        requests=linked_requests(referral.id),
    )
