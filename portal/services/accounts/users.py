"""Accounts: sign-up, login with lockout, password change, staff creation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import ROLE_AGENCY, Agency, Role, User
from ...models._common import utcnow
from ..audit.trail import record_event
from ..errors import ServiceError
from .passwords import hash_password, needs_rehash, password_problem, verify_password
from .sessions import open_session, revoke_other_sessions, revoke_session

# Verified against when the email is unknown, so both paths cost the same time.
_DUMMY_HASH: dict[str, str] = {}


_MESSAGES = {
    "email_taken": _l("An account with this email already exists."),
    "wrong_current": _l("The current password is wrong."),
    "agency_missing": _l("The agency of this role is missing."),
}


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
    locked_until: datetime | None = None


def authenticate(email: str, password: str) -> LoginOutcome:
    """Check credentials, counting failures and locking the account after too many.

    Returns the user on success (a server-side session is opened; caller logs them in and
    commits). Unknown email and wrong password are indistinguishable to the caller.
    """
    email = normalise_email(email)
    user = db.session.scalar(select(User).where(User.email == email))
    now = utcnow()
    if user is None:
        profile = current_app.config.get("PASSWORD_HASH_PROFILE", "owasp")
        if profile not in _DUMMY_HASH:
            _DUMMY_HASH[profile] = hash_password("dummy-password-0")
        verify_password(_DUMMY_HASH[profile], password)
        record_event("login.failed", summary={"email": email, "reason": "unknown"})
        return LoginOutcome(None)
    if user.locked_until and user.locked_until > now:
        record_event("login.refused_locked", user, actor_label=email)
        return LoginOutcome(None, locked_until=user.locked_until)
    if not verify_password(user.password_hash, password) or not user.active:
        user.failed_logins += 1
        reason = "inactive" if user.active is False else "password"
        record_event("login.failed", user, {"reason": reason}, actor_label=email)
        if user.failed_logins >= current_app.config["LOGIN_MAX_FAILURES"]:
            user.locked_until = now + current_app.config["LOGIN_LOCKOUT"]
            user.failed_logins = 0
            record_event("login.lockout", user, {"until": user.locked_until}, actor_label=email)
            return LoginOutcome(None, locked_until=user.locked_until)
        return LoginOutcome(None)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
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
    name: str, email: str, phone: str, password: str, role: str = Role.BUSINESS_OWNER
) -> User:
    """An owner signs up on the public form: the password must be strong enough, the account
    is created and a server-side session opened (the caller logs them in after commit).

    Raises AccountError: `weak_password` (field `password`), `email_taken` (field `email`).
    """
    _check_strength("password", password, email=email, name=name)
    user = sign_up_owner(name, email, phone, password, role)
    open_session(user)
    return user


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
    db.session.add(user)
    db.session.flush()
    record_event("user.created", user, {"role": role.value, "email": email}, actor=actor)
    return user
