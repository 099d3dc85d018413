"""What the admin's pages (portal.admin, Flask-Admin) do beyond Flask-Admin's own create and
edit: the audit of every change made there, the checks and derived fields of an account the
admin saves, and the bulk account actions. Nothing here commits: the admin view does.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..models import ROLE_AGENCY, Agency, Role, User
from .accounts import throttle
from .accounts.passwords import hash_password, password_problem
from .accounts.sessions import revoke_other_sessions
from .accounts.users import AccountError, check_nip, normalise_email
from .audit.trail import record_event


def record_admin_change(record: object, verb: str, summary: dict | None = None) -> None:
    """Audit a record the admin created, updated or deleted: `admin.<model>.<verb>`."""
    record_event(f"admin.{type(record).__name__.lower()}.{verb}", record, summary)


def save_account(
    user: User, admin: User, *, new_password: str | None, is_created: bool, summary: dict
) -> None:
    """Check and complete an account the admin creates or edits, then audit it.

    Flask-Admin has copied the form onto `user` (a new one is already in the session, half
    filled: nothing is flushed until it is whole). The email is normalised and must be
    unused; the admin cannot deactivate their own account; the agency follows the role; a new
    account needs a password, and any new password must pass the portal's rule (it resets the
    login delays). A reset password or a deactivation logs the account out everywhere. Raises
    AccountError with a message for the admin.
    """
    with db.session.no_autoflush:
        _check_and_fill(user, admin, new_password=new_password, is_created=is_created)
    if new_password:
        summary = {**summary, "password_reset": True}
    record_admin_change(user, "created" if is_created else "updated", summary)


def _check_and_fill(user: User, admin: User, *, new_password: str | None, is_created: bool) -> None:
    user.email = normalise_email(user.email or "")
    clash = select(User.id).where(User.email == user.email)
    if user.id is not None:
        clash = clash.where(User.id != user.id)
    if db.session.scalar(clash) is not None:
        raise AccountError("email", _("An account with this email already exists."))
    if user.id is not None and user.id == admin.id and not user.active:
        raise AccountError("active", _("You cannot deactivate your own account."))
    agency_code = ROLE_AGENCY.get(Role(user.role))
    user.agency = (
        db.session.scalar(select(Agency).where(Agency.code == agency_code)) if agency_code else None
    )
    check_nip(user, user.nip)
    if is_created and not new_password:
        raise AccountError("new_password", _("A new account needs a password."))
    if new_password:
        problem = password_problem(new_password, email=user.email, name=user.name or "")
        if problem:
            raise AccountError("new_password", problem)
        user.password_hash = hash_password(new_password)
        throttle.clear(user.email)
    if not is_created and (new_password or not user.active):
        revoke_other_sessions(user, keep_token=None)  # reset or deactivated: log out


def _users(ids: Iterable[int | str]) -> list[User]:
    return list(db.session.scalars(select(User).where(User.id.in_([int(i) for i in ids]))))


def deactivate_accounts(ids: Iterable[int | str], admin: User) -> int:
    """Deactivate the chosen accounts (never the admin's own) and log them out everywhere.
    Returns how many changed."""
    changed = 0
    for user in _users(ids):
        if user.id == admin.id or not user.active:
            continue
        user.active = False
        revoke_other_sessions(user, keep_token=None)
        record_event("admin.user.deactivated", user)
        changed += 1
    return changed


def activate_accounts(ids: Iterable[int | str]) -> int:
    """Activate the chosen accounts. Returns how many changed."""
    changed = 0
    for user in _users(ids):
        if user.active:
            continue
        user.active = True
        record_event("admin.user.activated", user)
        changed += 1
    return changed


def unlock_accounts(ids: Iterable[int | str]) -> int:
    """Forget the failed logins of the chosen accounts, so no attempt waits. Returns how many
    had any."""
    changed = 0
    for user in _users(ids):
        if not throttle.clear(user.email):
            continue
        record_event("admin.user.unlocked", user)
        changed += 1
    return changed
