from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from ..extensions import db, limiter
from ..services.accounts import users as accounts
from ..services.accounts.passwords import password_problem
from ..services.accounts.sessions import open_session, revoke_session
from ..services.audit.trail import record_event
from ..web.access import ALL_ROLES, public, require
from ..web.account_forms import ChangePasswordForm, EmptyForm, LoginForm, SignUpForm
from ..web.forms import keeps_form_on_csrf_error
from ..web.landing import landing_url
from ..web.redirects import safe_next
from . import bp


def _account_key() -> str:
    return "login-account:" + request.form.get("email", "").strip().lower()[:254]


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT_IP"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_RATE_LIMIT_ACCOUNT"],
    key_func=_account_key,
    methods=["POST"],
    scope="login-account",
)
@keeps_form_on_csrf_error
def login():
    if current_user.is_authenticated:
        return redirect(landing_url(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        outcome = accounts.authenticate(form.email.data, form.password.data)
        db.session.commit()
        if outcome.user is not None:
            session.clear()
            login_user(outcome.user)
            session.permanent = True
            return redirect(safe_next(request.args.get("next"), landing_url(outcome.user)))
        if outcome.locked_until is not None:
            form.password.errors.append(
                _(
                    "Too many failed attempts. The account is locked until %(time)s.",
                    time=format_datetime(outcome.locked_until, "HH:mm"),
                )
            )
        else:
            form.password.errors.append(_("Email or password is wrong."))
    return render_template("auth/login.html", form=form), 200 if not form.errors else 400


@bp.route("/logout", methods=["POST"])
@require(ALL_ROLES)
def logout():
    EmptyForm().validate_on_submit()  # CSRF is checked globally; nothing else to read
    record_event("logout", current_user._get_current_object())
    revoke_session(current_user.login_session_token)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have logged out."), "info")
    return redirect(url_for("main.home"))


@bp.route("/signup", methods=["GET", "POST"])
@public
@limiter.limit("10 per hour", methods=["POST"])
@keeps_form_on_csrf_error
def signup():
    if current_user.is_authenticated:
        return redirect(landing_url(current_user))
    form = SignUpForm()
    if form.validate_on_submit():
        problem = password_problem(form.password.data, email=form.email.data, name=form.name.data)
        if problem:
            form.password.errors.append(problem)
        else:
            try:
                user = accounts.sign_up_owner(
                    form.name.data, form.email.data, form.phone.data, form.password.data
                )
            except accounts.AccountError:
                form.email.errors.append(_("An account with this email already exists."))
            else:
                open_session(user)
                db.session.commit()
                session.clear()
                login_user(user)
                flash(_("Welcome! Register your business to get started."), "success")
                return redirect(landing_url(user))
    status = 400 if form.errors else 200
    return render_template("auth/signup.html", form=form), status


@bp.route("/password", methods=["GET", "POST"])
@require(ALL_ROLES)
@keeps_form_on_csrf_error
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        problem = password_problem(
            form.new_password.data, email=current_user.email, name=current_user.name
        )
        if problem:
            form.new_password.errors.append(problem)
        else:
            try:
                accounts.change_password(
                    current_user._get_current_object(),
                    form.current_password.data,
                    form.new_password.data,
                )
            except accounts.AccountError:
                form.current_password.errors.append(_("The current password is wrong."))
            else:
                db.session.commit()
                flash(_("Your password has been changed."), "success")
                return redirect(landing_url(current_user))
    status = 400 if form.errors else 200
    return render_template("auth/password.html", form=form), status
