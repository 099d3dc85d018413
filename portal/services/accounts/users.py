"""Accounts: sign-up, login with throttling, password change, staff creation."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ...domain import normalise
from ...domain.normalise import Unreadable
from ...extensions import db
from ...models import ROLE_AGENCY, Agency, Role, User
from ...models._common import utcnow
from ..audit.trail import add_recorded, record_event
from ..errors import ServiceError
from ..input_messages import unreadable_message
from ..notifications.mailer import queue_mail
from . import throttle
from .passwords import hash_password, needs_rehash, password_problem, verify_password
from .sessions import open_session, revoke_other_sessions, revoke_session

# Verified against when the email is unknown, so both paths cost the same time.
_DUMMY_HASH: dict[str, str] = {}


_MESSAGES = {
    "email_taken": _l("An account with this email already exists."),
    "wrong_current": _l("The current password is wrong."),
    "agency_missing": _l("The agency of this role is missing."),
    "nip_not_staff": _l("Only government staff have a NIP."),
}


def check_nip(user: User, nip: str | None) -> None:
    """Only government staff (CIVIL_SERVANT_ROLES) have a NIP: raises AccountError at `nip`
    when `nip` is given for anyone else (the profile page and the admin both ask this)."""
    if nip and not user.is_civil_servant:
        raise AccountError("nip", "nip_not_staff")


class AccountError(ServiceError):
    """A user-facing refusal; `field` names the form field the message belongs to, `code`
    says which refusal it is (email_taken, wrong_current, agency_missing, weak_password).
    The message is the code's sentence unless one is given (a password's weakness)."""

    def __init__(self, field: str | None, code: str, message: str | None = None):
        known = _MESSAGES.get(code)
        super().__init__(field, message or (str(known) if known is not None else code))
        self.code = code


def _check_strength(field: str, password: str, *, email: str, name: str) -> None:
    problem = password_problem(password, email=email, name=name)
    if problem:
        raise AccountError(field, "weak_password", problem)


def normalise_email(email: str) -> str:
    return email.strip().lower()


@dataclass
class LoginOutcome:
    user: User | None
    #: The attempt was refused unchecked: too many failures for this email from here.
    throttled: bool = False


def _spend_a_hash(password: str) -> None:
    profile = current_app.config.get("PASSWORD_HASH_PROFILE", "owasp")
    if profile not in _DUMMY_HASH:
        _DUMMY_HASH[profile] = hash_password("dummy-password-0")
    verify_password(_DUMMY_HASH[profile], password)


def authenticate(email: str, password: str) -> LoginOutcome:
    """Check credentials; failures are counted and make later attempts wait (throttle.py).

    Returns the user on success (a server-side session is opened; caller logs them in and
    commits). Unknown email, wrong password, inactive account and a throttled attempt are
    indistinguishable to an attacker: the same checks run for an unknown email.
    """
    email = normalise_email(email)
    user = db.session.scalar(select(User).where(User.email == email))
    if throttle.waiting_until(email, user) is not None:
        record_event(
            "login.throttled",
            user,
            {"email": email} if user is None else None,
            actor_label=email,
        )
        return LoginOutcome(None, throttled=True)
    if user is None:
        _spend_a_hash(password)
        throttle.count_failure(email)
        record_event("login.failed", summary={"email": email, "reason": "unknown"})
        return LoginOutcome(None)
    if not verify_password(user.password_hash, password) or not user.active:
        throttle.count_failure(email)
        reason = "inactive" if user.active is False else "password"
        record_event("login.failed", user, {"reason": reason}, actor_label=email)
        return LoginOutcome(None)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    throttle.clear(email)
    user.last_login_at = utcnow()
    open_session(user)
    record_event("login.success", user, actor=user)
    return LoginOutcome(user)


def sign_up_owner(
    name: str, email: str, phone: str, password: str, role: str = Role.BUSINESS_OWNER
) -> User:
    """Create a business-owner account (or a worker's: `role`). Raises
    AccountError(field='email') if taken."""
    email = normalise_email(email)
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise AccountError("email", "email_taken")
    user = User(
        name=name,
        email=email,
        phone=phone or None,
        role=role,
        password_hash=hash_password(password),
    )
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError as exc:  # a concurrent sign-up with the same address won
        db.session.rollback()
        raise AccountError("email", "email_taken") from exc
    record_event("user.signup", user, {"role": user.role}, actor=user)
    return user


def sign_up(
    name: str,
    email: str,
    phone: str,
    password: str,
    role: str = Role.BUSINESS_OWNER,
    *,
    login_link: str,
    reset_link: str,
) -> User | None:
    """An owner signs up on the public form; the answer never tells whether the address
    already has an account. The password must be strong enough (refused the same way in
    both cases). A new address gets its account and a welcome mail (they log in next); an
    address that has an account gets a mail to its owner instead ("someone tried to sign up
    with your address: log in or reset your password"), and nothing changes. Returns the new
    user, or None when the address was taken. The caller shows "check your email" either way.

    Raises AccountError: `weak_password` (field `password`).
    """
    _check_strength("password", password, email=email, name=name)
    address = normalise_email(email)
    existing = db.session.scalar(select(User).where(User.email == address))
    if existing is None:
        try:
            user = sign_up_owner(name, email, phone, password, role)
        except AccountError:  # a concurrent sign-up with the same address won (rolled back)
            existing = db.session.scalar(select(User).where(User.email == address))
        else:
            queue_mail(
                user.email,
                _("Your Singkawang portal account"),
                _(
                    "Welcome, %(name)s. Your account is ready: log in with your email and "
                    "the password you chose.\n\n%(link)s",
                    name=user.name,
                    link=login_link,
                ),
            )
            return user
    hash_password(password)  # the same work as creating an account, so timing says nothing
    if existing is not None:
        record_event("user.signup_existing", existing, actor_label=address)
        queue_mail(
            existing.email,
            _("Someone tried to sign up with your address"),
            _(
                "Someone (perhaps you) tried to create a new account on the Singkawang portal "
                "with this email address, which already has an account. Nothing was changed.\n\n"
                "If it was you, log in: %(login)s\nForgot your password? Reset it: %(reset)s\n\n"
                "If it was not you, you can ignore this message.",
                login=login_link,
                reset=reset_link,
            ),
        )
    return None


def change_password(user: User, current: str, new: str) -> None:
    """Change `user`'s password; other sessions of the user are logged out.

    Raises AccountError: `weak_password` (field `new_password`), `wrong_current` (field
    `current_password`).
    """
    _check_strength("new_password", new, email=user.email, name=user.name)
    if not verify_password(user.password_hash, current):
        raise AccountError("current_password", "wrong_current")
    user.password_hash = hash_password(new)
    revoke_other_sessions(user, user.login_session_token)
    record_event("user.password_changed", user)


def set_nip(user: User, nip: str | None) -> None:
    """A government officer's own NIP (optional; printed under the letters they sign).

    Read through `domain.normalise.nip` (18 digits, spaces allowed); empty clears it. Raises
    AccountError at `nip` for anything else, or for an account that is not government staff
    (BPJS staff and the public have no NIP).
    """
    try:
        value = normalise.nip(nip)
    except Unreadable as problem:
        raise AccountError("nip", problem.code, unreadable_message(problem.code)) from None
    check_nip(user, value)  # before anything changes: a refusal leaves the user as it was
    if value == user.nip:
        return
    before, user.nip = user.nip, value
    record_event("user.nip_changed", user, {"nip": [before, value]})


def log_out(user: User) -> None:
    """End the user's server-side session, so a copied cookie stops working too."""
    record_event("logout", user)
    revoke_session(user.login_session_token)


def create_user(
    *,
    email: str,
    name: str,
    role: str,
    password: str,
    phone: str | None = None,
    agency_code: str | None = None,
    actor: User | None = None,
) -> User:
    """Create any account (admin and CLI). Staff get the agency their role belongs to."""
    role = Role(role)
    email = normalise_email(email)
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise AccountError("email", "email_taken")
    code = agency_code or ROLE_AGENCY.get(role)
    agency = db.session.scalar(select(Agency).where(Agency.code == code)) if code else None
    if role in ROLE_AGENCY and agency is None:
        raise AccountError("agency", "agency_missing")
    user = User(
        email=email,
        name=name,
        role=role,
        phone=phone,
        agency_id=agency.id if agency else None,
        password_hash=hash_password(password),
    )
    return add_recorded(user, "user.created", {"role": role.value, "email": email}, actor=actor)
