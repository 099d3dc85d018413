"""Forgotten passwords: ask for a link by email, then choose a new password through it."""

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import limiter
from ..services.accounts import password_reset
from ..web.access import public
from ..web.account_forms import ForgotPasswordForm, ResetPasswordForm
from ..web.forms import attempt, keeps_form_on_csrf_error
from ..web.landing import landing_url
from ..web.mail_links import mail_link
from . import bp


@bp.route("/password/forgot", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_RATE_LIMIT"], methods=["POST"])
@keeps_form_on_csrf_error
def forgot_password():
    if current_user.is_authenticated:
        return redirect(landing_url(current_user))
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        saved, _result = attempt(
            lambda: password_reset.request_reset(
                form.email.data,
                lambda token: mail_link("auth.reset_password", token=token),
            ),
            form,
        )
        if saved:  # the same answer whether or not the address has an account
            return render_template(
                "auth/check_email.html",
                message=_(
                    "If %(email)s belongs to an account, a link to choose a new password is "
                    "on its way. It works once, for one hour. Check your spam folder too.",
                    email=form.email.data.strip(),
                ),
            )
    status = 400 if form.errors else 200
    return render_template("auth/forgot.html", form=form), status


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_RATE_LIMIT"], methods=["POST"])
@keeps_form_on_csrf_error
def reset_password(token: str):
    if password_reset.usable_link(token) is None:
        # GET only reads: the link is used up by the POST that sets the password.
        message = str(password_reset.invalid_link_error())
        return render_template("auth/reset.html", form=None, invalid=message), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        saved, _user = attempt(
            lambda: password_reset.reset_password(token, form.password.data), form
        )
        if saved:
            flash(_("Your password has been changed. Log in with the new one."), "success")
            return redirect(url_for("auth.login"))
    status = 400 if form.errors else 200
    return render_template("auth/reset.html", form=form, invalid=None), status
