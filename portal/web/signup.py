"""The one public sign-up page, for owners and for informal workers alike.

The answer never tells whether the address already has an account: a new address gets its
account and a welcome mail, a taken one a mail to its owner, and both see "check your email"
(`services.accounts.users.sign_up`)."""

from __future__ import annotations

from flask import redirect, render_template
from flask_login import current_user

from ..services.accounts import users as accounts
from .account_forms import SignUpForm
from .forms import attempt, form_status
from .landing import landing_url
from .mail_links import mail_link


def sign_up_page(role: str, template: str, sent_message):
    """GET shows `template` with the sign-up form; a valid POST creates (or not) the
    account of `role` and answers with `sent_message(email)` on the check-email page."""
    if current_user.is_authenticated:
        return redirect(landing_url(current_user))
    form = SignUpForm()
    if form.validate_on_submit():
        saved, _user = attempt(
            lambda: accounts.sign_up(
                form.name.data,
                form.email.data,
                form.phone.data,
                form.password.data,
                role,
                login_link=mail_link("auth.login"),
                reset_link=mail_link("auth.forgot_password"),
            ),
            form,
        )
        if saved:  # the same answer for a new address and one that has an account
            return render_template(
                "auth/check_email.html", message=sent_message(form.email.data.strip())
            )
    return render_template(template, form=form), form_status(form)
