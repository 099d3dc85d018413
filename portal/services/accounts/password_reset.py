"""Password reset by email: single-use links that expire, and an answer that names no account.

`request_reset` mails a link to an active account's address; for any other address nothing
is sent, and the caller shows the same "if the address has an account, a link is on its way"
either way. The link carries a random token; only its SHA-256 is stored (`PasswordReset`),
so a copy of the database opens nothing. A link works once (`used_at`, set by a conditional
UPDATE so two tabs cannot both use it), for `PASSWORD_RESET_VALID` (one hour), and a
successful reset voids the account's other links, logs it out everywhere and forgets its
failed logins. At most `_MAX_OPEN_LINKS` links per hour are mailed to one address, so the form
cannot be used to flood someone's inbox.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from ...extensions import db
from ...models import PasswordReset, User
from ...models._common import utcnow
from ..audit.trail import record_event
from ..notifications.mailer import queue_mail
from ..saving import update_rows, update_usable_links
from ..tokens import token_digest
from . import throttle
from .passwords import hash_password, password_problem
from .sessions import revoke_other_sessions
from .users import AccountError, normalise_email

_MAX_OPEN_LINKS = 3


def request_reset(email: str, link_for: Callable[[str], str]) -> None:
    """Mail a reset link to `email` if it is an active account's address. The caller commits
    and answers the same whatever happened; the audit trail records which it was."""
    address = normalise_email(email)
    user = db.session.scalar(select(User).where(User.email == address))
    if user is None or not user.active:
        record_event("password.reset_refused", user, {"email": address, "known": user is not None})
        return
    now = utcnow()
    valid = current_app.config["PASSWORD_RESET_VALID"]
    recent = db.session.scalar(
        select(func.count(PasswordReset.id)).where(
            PasswordReset.user_id == user.id, PasswordReset.created_at > now - valid
        )
    )
    if recent >= _MAX_OPEN_LINKS:
        record_event("password.reset_suppressed", user, {"recent": recent})
        return
    token = secrets.token_urlsafe(32)
    db.session.add(
        PasswordReset(
            token_hash=token_digest(token),
            user_id=user.id,
            created_at=now,
            expires_at=now + valid,
            ip=throttle.client_address(),
        )
    )
    record_event("password.reset_requested", user)
    minutes = int(valid.total_seconds() // 60)
    queue_mail(
        user.email,
        _("Reset your Singkawang portal password"),
        _(
            "Someone (hopefully you) asked to reset the password of your Singkawang portal "
            "account. Choose a new password here within %(minutes)d minutes; the link works "
            "once:\n\n%(link)s\n\nIf you did not ask, ignore this message: your password stays "
            "as it is.",
            minutes=minutes,
            link=link_for(token),
        ),
    )


def usable_link(token: str) -> PasswordReset | None:
    """The reset behind `token` if it can still be used (unused, not expired, account active)."""
    if not token or len(token) > 100:
        return None
    reset = db.session.scalar(
        select(PasswordReset).where(PasswordReset.token_hash == token_digest(token))
    )
    if reset is None or not reset.is_usable(utcnow()) or not reset.user.active:
        return None
    return reset


def invalid_link_error() -> AccountError:
    return AccountError(
        None,
        "reset_link",
        _("This link is not valid: it was used already, it expired, or it was copied wrongly."),
    )


def reset_password(token: str, new_password: str) -> User:
    """Set a new password through a reset link, once. Raises AccountError: `reset_link`
    (form-wide) if the link cannot be used, `weak_password` (field `password`)."""
    reset = usable_link(token)
    if reset is None:
        raise invalid_link_error()
    user = reset.user
    problem = password_problem(new_password, email=user.email, name=user.name)
    if problem:
        raise AccountError("password", "weak_password", problem)
    now = utcnow()
    claimed = update_usable_links(PasswordReset, PasswordReset.id == reset.id, now=now, used_at=now)
    if claimed != 1:  # another request used it a moment ago
        raise invalid_link_error()
    # Every other link of the account stops working too.
    update_rows(
        PasswordReset,
        PasswordReset.user_id == user.id,
        PasswordReset.used_at.is_(None),
        used_at=now,
    )
    user.password_hash = hash_password(new_password)
    revoke_other_sessions(user, keep_token=None)
    throttle.clear(user.email)
    record_event("user.password_reset", user, actor=user)
    queue_mail(
        user.email,
        _("Your Singkawang portal password was changed"),
        _(
            "The password of your Singkawang portal account was just changed through a reset "
            "link. If this was not you, contact the portal administrator right away."
        ),
    )
    return user
