"""Referrals from the trade office's side: refer a business, follow the outcome."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Business, Referral, ReferralState
from ..services.outreach.referrals import linked_requests, refer_business
from ..web.access import TRADE, owned_business_or_404, require
from . import bp
from .forms import ReferralForm, save_or_show


def referrals_statement(state: str | None):
    stmt = select(Referral).options(
        joinedload(Referral.business).joinedload(Business.kelurahan),
        joinedload(Referral.referred_by),
    )
    if state in {s.value for s in ReferralState}:
        stmt = stmt.where(Referral.state == state)
    return stmt.order_by(Referral.created_at.desc(), Referral.id.desc())


def load_referral_or_404(referral_id: int) -> Referral:
    referral = db.session.scalar(
        select(Referral)
        .options(
            joinedload(Referral.business).joinedload(Business.kelurahan),
            joinedload(Referral.referred_by),
            joinedload(Referral.outcome_by),
        )
        .where(Referral.id == referral_id)
    )
    if referral is None:
        abort(404)
    return referral


@bp.route("/referrals")
@require(TRADE)
def referrals():
    state = request.args.get("state") or None
    page = db.paginate(
        referrals_statement(state), per_page=current_app.config["PAGE_SIZE"], error_out=False
    )
    return render_template(
        "disperindagkop/referrals.html", page=page, state=state, states=list(ReferralState)
    )


@bp.route("/businesses/<int:business_id>/refer", methods=["GET", "POST"])
@require(TRADE)
def refer(business_id: int):
    business = owned_business_or_404(business_id, current_user)
    form = ReferralForm()
    if form.validate_on_submit():
        saved, referral = save_or_show(
            form,
            lambda: refer_business(
                business,
                current_user._get_current_object(),
                reason=form.reason.data,
                contact_person=form.contact_person.data,
                contact_phone=form.contact_phone.data,
            ),
        )
        if saved:
            flash(_("%(name)s is referred to BPJS.", name=business.name), "success")
            return redirect(url_for(".referral", referral_id=referral.id))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("disperindagkop/refer.html", form=form, business=business), status


@bp.route("/referrals/<int:referral_id>")
@require(TRADE)
def referral(referral_id: int):
    referral = load_referral_or_404(referral_id)
    return render_template(
        "disperindagkop/referral.html",
        referral=referral,
        requests=linked_requests(referral.id),
    )
