"""Forgotten passwords: ask for a link by email, then choose a new password through it."""

from flask import current_app, render_template, url_for
from flask_babel import gettext as _

from ..extensions import limiter
from ..services.accounts import password_reset
from ..web.access import public
from ..web.account_forms import ForgotPasswordForm, ResetPasswordForm
from ..web.forms import keeps_form_on_csrf_error, show_form, submit
from ..web.landing import visitors_only
from ..web.mail_links import mail_link
from ..web.signup import mail_sent
from . import bp


@bp.route("/password/forgot", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_RATE_LIMIT"], methods=["POST"])
@keeps_form_on_csrf_error
@visitors_only
def forgot_password():
    form = ForgotPasswordForm()
    return mail_sent(
        form,
        lambda: password_reset.request_reset(
            form.email.data,
            lambda token: mail_link("auth.reset_password", token=token),
        ),
        lambda email: _(
            "If %(email)s belongs to an account, a link to choose a new password is "
            "on its way. It works once, for one hour. Check your spam folder too.",
            email=email,
        ),
    ) or show_form("auth/forgot.html", form)


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
    return submit(
        form,
        lambda: password_reset.reset_password(token, form.password.data),
        _("Your password has been changed. Log in with the new one."),
        url_for("auth.login"),
    ) or show_form("auth/reset.html", form, invalid=None)
