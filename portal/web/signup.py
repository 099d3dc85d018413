"""The one public sign-up page, for owners and for informal workers alike.

The answer never tells whether the address already has an account: a new address gets its
account and a welcome mail, a taken one a mail to its owner, and both see "check your email"
(`services.accounts.users.sign_up`)."""

from __future__ import annotations

from collections.abc import Callable

from flask import render_template
from flask_wtf import FlaskForm

from ..extensions import limiter
from ..services.accounts import users as accounts
from .access import public
from .account_forms import SignUpForm
from .forms import attempt, keeps_form_on_csrf_error, show_form
from .landing import visitors_only
from .mail_links import mail_link


def sign_up_view(view):
    """A sign-up page: public, ten sign-ups an hour, the form kept on a CSRF failure, and a
    logged-in user sent to their own start page."""
    view = keeps_form_on_csrf_error(visitors_only(view))
    return public(limiter.limit("10 per hour", methods=["POST"])(view))


def mail_sent(form: FlaskForm, command: Callable[[], object], message: Callable[[str], str]):
    """The POST half of a page that answers by mail (sign up, forgotten password): validate
    `form`, run `command` through `attempt()` and, once it ran, show the check-email page
    with `message(email)`, the same whether or not the address has an account. None when
    the page should show the form again."""
    if not form.validate_on_submit():
        return None
    saved, _value = attempt(command, form)
    if not saved:
        return None
    return render_template("auth/check_email.html", message=message(form.email.data.strip()))


def sign_up_page(role: str, template: str, sent_message: Callable[[str], str]):
    """GET shows `template` with the sign-up form; a valid POST creates (or not) the
    account of `role` and answers with `sent_message(email)` on the check-email page."""
    form = SignUpForm()
    return mail_sent(
        form,
        lambda: accounts.sign_up(
            form.name.data,
            form.email.data,
            form.phone.data,
            form.password.data,
            role,
            login_link=mail_link("auth.login"),
            reset_link=mail_link("auth.forgot_password"),
        ),
        sent_message,
    ) or show_form(template, form)
