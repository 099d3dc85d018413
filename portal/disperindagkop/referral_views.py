"""Referrals from the trade office's side: refer a business, follow the outcome."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..models import ReferralState
from ..services.access import owned_business_or_404
from ..services.outreach.referrals import (
    check_referral,
    linked_requests,
    load_referral,
    refer_business,
    referral_page,
    withdraw_referral,
    withdraw_until,
)
from ..services.undo import undo_window_words
from ..web.access import TRADE, me, require
from ..web.confirmation import Confirmation, confirm_then_run, take_back
from ..web.forms import VersionedForm, form_status
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
    step = confirm_then_run(
        form,
        check=lambda: check_referral(business),
        ask=lambda _checked: Confirmation(
            question=_("Send the referral of %(name)s to BPJS?", name=business.name),
            facts=[
                (_("Business"), f"{business.name} (NIB {business.nib or '-'})"),
                (_("Why refer this business"), form.reason.data),
                (_("Contact person"), form.contact_person.data),
                (_("Contact phone"), form.contact_phone.data or "-"),
            ],
            consequence=_(
                "The referral letter goes to BPJS, which contacts the business to register "
                "its workers."
            ),
            undo=_(
                "You can withdraw the letter within %(window)s, while BPJS has not acted on it.",
                window=undo_window_words(),
            ),
            confirm_label=_("Yes, send the referral"),
            cancel_url=url_for(".business", business_id=business.id),
        ),
        command=lambda: refer_business(
            business,
            me(),
            reason=form.reason.data,
            contact_person=form.contact_person.data,
            contact_phone=form.contact_phone.data,
        ),
    )
    answer = step.answer(
        _("%(name)s is referred to BPJS.", name=business.name),
        lambda referral: url_for(".referral", referral_id=referral.id),
    )
    if answer:
        return answer
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
        undo_form=VersionedForm(formdata=None, version=referral.version),
        undo_until=withdraw_until(referral, current_user),
    )


@bp.route("/referrals/<int:referral_id>/withdraw", methods=["POST"])
@require(TRADE)
def withdraw(referral_id: int):
    """Take the referral letter back within a day, while BPJS has not acted on it."""
    referral = load_referral(referral_id)
    return take_back(
        lambda version: withdraw_referral(referral, me(), version=version),
        _("The referral is withdrawn."),
        url_for(".referral", referral_id=referral_id),
    )
