"""Accounts: log in and out, sign up as a business owner, change one's password."""

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from ..extensions import limiter
from ..models import Role
from ..services.accounts import users as accounts
from ..web.access import ALL_ROLES, LABOUR, TRADE, me, public, require
from ..web.account_forms import ChangePasswordForm, LoginForm, ProfileForm
from ..web.forms import EmptyForm, attempt, keeps_form_on_csrf_error, show_form, submit
from ..web.landing import landing_url, visitors_only
from ..web.redirects import safe_next
from ..web.signup import sign_up_page, sign_up_view
from . import bp


def _pair_key() -> str:
    email = request.form.get("email", "").strip().lower()[:254]
    return f"login-pair:{request.remote_addr}:{email}"


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT_IP"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_RATE_LIMIT_PAIR"],
    key_func=_pair_key,
    methods=["POST"],
    scope="login-pair",
)
@keeps_form_on_csrf_error
@visitors_only
def login():
    form = LoginForm()
    if form.validate_on_submit():
        # Failed attempts are counted (and saved) too: they make later attempts wait.
        _saved, outcome = attempt(
            lambda: accounts.authenticate(form.email.data, form.password.data)
        )
        outcome = outcome or accounts.LoginOutcome(None)
        if outcome.user is not None:
            session.clear()
            login_user(outcome.user)
            session.permanent = True
            return redirect(safe_next(request.args.get("next"), landing_url(outcome.user)))
        # One message for every refusal, whether or not the account exists.
        form.password.errors.append(
            _("Email or password is wrong, or too many attempts: try again in a moment.")
        )
    return show_form("auth/login.html", form)


@bp.route("/logout", methods=["POST"])
@require(ALL_ROLES)
def logout():
    EmptyForm().validate_on_submit()  # CSRF is checked globally; nothing else to read
    attempt(lambda: accounts.log_out(me()))
    logout_user()
    session.clear()
    flash(_("You have logged out."), "info")
    return redirect(url_for("main.home"))


@bp.route("/signup", methods=["GET", "POST"])
@sign_up_view
def signup():
    return sign_up_page(
        Role.BUSINESS_OWNER,
        "auth/signup.html",
        lambda email: _(
            "We have sent a message to %(email)s. Follow it to log in and register your business.",
            email=email,
        ),
    )


@bp.route("/password", methods=["GET", "POST"])
@require(ALL_ROLES)
@keeps_form_on_csrf_error
def change_password():
    form = ChangePasswordForm()
    done = submit(
        form,
        lambda: accounts.change_password(
            me(),
            form.current_password.data,
            form.new_password.data,
        ),
        _("Your password has been changed."),
        landing_url(current_user),
    )
    return done or show_form("auth/password.html", form)


@bp.route("/profile", methods=["GET", "POST"])
@require(TRADE | LABOUR)
@keeps_form_on_csrf_error
def profile():
    """A government officer's own details: the NIP printed under the letters they sign."""
    user = me()
    form = ProfileForm(data={"nip": user.nip})
    done = submit(
        form,
        lambda: accounts.set_nip(user, form.nip.data),
        _("Your profile has been saved."),
        url_for(".profile"),
    )
    return done or show_form("auth/profile.html", form)
