"""Verification queue and the business page: verify, or reject with a reason."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..models import Business
from ..services.access import owned_business_or_404
from ..services.businesses.overview import open_matters
from ..services.businesses.verification import (
    pending_page,
    registered_by,
    reject_business,
    verify_business,
)
from ..web.access import TRADE, me, require
from ..web.forms import EmptyForm, attempt
from . import bp
from .forms import InvitationForm, RejectForm

INVITATION_SESSION_KEY = "trade_invitation_link"


@bp.route("/businesses/pending")
@require(TRADE)
def queue():
    page = pending_page(request.args.get("page"))
    return render_template("disperindagkop/queue.html", page=page)


def _load_business(business_id: int) -> Business:
    business = owned_business_or_404(business_id, current_user)
    return business


def render_business(business: Business, status: int = 200, **forms):
    """The business page with its decision forms (shared by GET and failed POSTs)."""
    matters = open_matters(business.id)
    link = session.get(INVITATION_SESSION_KEY)
    invitation_link = None
    if link and link.get("business_id") == business.id:
        invitation_link = session.pop(INVITATION_SESSION_KEY)["url"]
    return (
        render_template(
            "disperindagkop/business.html",
            business=business,
            referral_id=matters.referral_id,
            case_id=matters.case_id,
            invitation_link=invitation_link,
            verify_form=forms.get("verify_form") or EmptyForm(),
            reject_form=forms.get("reject_form") or RejectForm(formdata=None),
            invitation_form=forms.get("invitation_form") or InvitationForm(formdata=None),
            maker_is_me=registered_by(business, current_user),
        ),
        status,
    )


@bp.route("/businesses/<int:business_id>")
@require(TRADE)
def business(business_id: int):
    return render_business(_load_business(business_id))


def _decide(business_id: int, form_name: str, form, decide, done, category: str):
    """A decision posted from the business page: `decide(business, actor, form)` through
    `attempt()`; once saved, flash `done(business)` and back to the queue; otherwise the
    business page again (400) as stored now, with `form` as `form_name` and its messages."""
    business = _load_business(business_id)
    if form.validate_on_submit():
        saved, _result = attempt(lambda: decide(business, me(), form), form)
        if saved:
            flash(done(business), category)
            return redirect(url_for(".queue"))
    return render_business(_load_business(business_id), 400, **{form_name: form})


@bp.route("/businesses/<int:business_id>/verify", methods=["POST"])
@require(TRADE)
def verify(business_id: int):
    return _decide(
        business_id,
        "verify_form",
        EmptyForm(),
        lambda business, actor, _form: verify_business(business, actor),
        lambda business: _("%(name)s is verified.", name=business.name),
        "success",
    )


@bp.route("/businesses/<int:business_id>/reject", methods=["POST"])
@require(TRADE)
def reject(business_id: int):
    return _decide(
        business_id,
        "reject_form",
        RejectForm(),
        lambda business, actor, form: reject_business(business, actor, form.reason.data),
        lambda business: _("%(name)s is rejected; the owner sees the reason.", name=business.name),
        "info",
    )


def remember_invitation_link(business_id: int, token: str) -> None:
    url = url_for(".accept_invitation", token=token, _external=True)
    session[INVITATION_SESSION_KEY] = {"business_id": business_id, "url": url}
