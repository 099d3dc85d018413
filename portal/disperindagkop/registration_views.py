"""Field registration by an officer and the owner's one-time sign-up link."""

from __future__ import annotations

from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from ..extensions import limiter
from ..services.access import owned_business_or_404
from ..services.accounts.sessions import open_session
from ..services.businesses.common import TradeError
from ..services.businesses.field_registration import accept_invitation as accept_invitation_service
from ..services.businesses.field_registration import (
    create_invitation,
    register_business_in_field,
    usable_invitation,
)
from ..web.access import TRADE, me, public, require
from ..web.account_forms import SignUpForm
from ..web.business_forms import BusinessForm
from ..web.forms import attempt, form_status
from ..web.landing import landing_url
from . import bp
from .forms import InvitationForm
from .verification_views import remember_invitation_link, render_business


@bp.route("/businesses/new", methods=["GET", "POST"])
@require(TRADE)
def register_business():
    form = BusinessForm()
    if form.validate_on_submit():
        saved, business = attempt(
            lambda: register_business_in_field(me(), **form.business_values()),
            form,
        )
        if saved:
            flash(
                _("%(name)s is registered. Give the owner an invitation link.", name=business.name),
                "success",
            )
            return redirect(url_for(".business", business_id=business.id))
    status = form_status(form)
    return render_template("disperindagkop/register.html", form=form), status


@bp.route("/businesses/<int:business_id>/invitation", methods=["POST"])
@require(TRADE)
def invite_owner(business_id: int):
    business = owned_business_or_404(business_id, current_user)
    form = InvitationForm()
    if form.validate_on_submit():
        saved, token = attempt(
            lambda: create_invitation(business, me(), form.email.data),
            form,
        )
        if saved:
            remember_invitation_link(business.id, token)
            if form.email.data:
                flash(_("The link is also sent to %(email)s.", email=form.email.data), "info")
            return redirect(url_for(".business", business_id=business.id))
    return render_business(business, 400, invitation_form=form)


def _link_unusable(error: TradeError):
    return render_template("disperindagkop/invitation_invalid.html", message=error.message), 410


def _sign_up(token: str, form: SignUpForm):
    """The owner's account, attached to the business, logged in once the caller commits."""
    user = accept_invitation_service(
        token,
        name=form.name.data,
        email=form.email.data,
        phone=form.phone.data,
        password=form.password.data,
    )
    open_session(user)
    return user


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@public
@limiter.limit("30 per hour", methods=["POST"])
@limiter.limit("120 per hour", methods=["GET"])
def accept_invitation(token: str):
    if current_user.is_authenticated:
        flash(_("Log out first: this link creates a new owner account."), "warning")
        return redirect(landing_url(current_user))
    try:
        invitation = usable_invitation(token)
    except TradeError as error:
        return _link_unusable(error)
    business_name = invitation.business.name
    form = SignUpForm()
    if form.validate_on_submit():
        saved, user = attempt(lambda: _sign_up(token, form), form)
        if saved:
            session.clear()
            login_user(user)
            flash(
                _("Welcome! %(name)s is now attached to your account.", name=business_name),
                "success",
            )
            return redirect(landing_url(user))
        # A double-click: the first click may have used the link (and taken this email) while
        # this one was on its way; say so rather than "email taken".
        try:
            usable_invitation(token)
        except TradeError as error:
            return _link_unusable(error)
    status = form_status(form)
    return (
        render_template("disperindagkop/invitation.html", form=form, business_name=business_name),
        status,
    )
