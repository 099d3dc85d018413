"""Server-side login sessions: the cookie carries a random token whose hash is a row here.

Logout revokes the row, so a copied session cookie stops working (Flask-Login alone only
clears the cookie in the browser that logged out).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app, request
from sqlalchemy import select, update

from ...extensions import db, login_manager
from ...models import LoginSession, User
from ...models._common import utcnow
from ..tokens import token_digest

_TOUCH_EVERY = timedelta(minutes=5)


def open_session(user: User) -> str:
    """Create a session row for `user` and return the token for the cookie."""
    token = secrets.token_urlsafe(32)
    db.session.add(
        LoginSession(
            token_hash=token_digest(token),
            user_id=user.id,
            ip=request.remote_addr,
            user_agent=(request.user_agent.string or "")[:200],
        )
    )
    user.login_session_token = token
    return token


def revoke_session(token: str | None) -> None:
    if token:
        db.session.execute(
            update(LoginSession)
            .where(
                LoginSession.token_hash == token_digest(token), LoginSession.revoked_at.is_(None)
            )
            .values(revoked_at=utcnow())
        )


def revoke_other_sessions(user: User, keep_token: str | None) -> None:
    """After a password change: every other browser must log in again."""
    stmt = update(LoginSession).where(
        LoginSession.user_id == user.id, LoginSession.revoked_at.is_(None)
    )
    if keep_token:
        stmt = stmt.where(LoginSession.token_hash != token_digest(keep_token))
    db.session.execute(stmt.values(revoked_at=utcnow()))


@login_manager.user_loader
def load_user(token: str) -> User | None:
    row = db.session.execute(
        select(LoginSession, User)
        .join(User, LoginSession.user_id == User.id)
        .where(LoginSession.token_hash == token_digest(token), LoginSession.revoked_at.is_(None))
    ).first()
    if row is None:
        return None
    login_session, user = row
    if not user.active:  # deactivated by an admin: every open session ends at once
        return None
    now = utcnow()
    ends = login_session.created_at + current_app.permanent_session_lifetime
    if now > ends:
        return None
    if now - login_session.last_seen_at > _TOUCH_EVERY:
        # Cheap activity stamp, written at most every few minutes.
        login_session.last_seen_at = now
        db.session.commit()
    user.login_session_token = token
    user.login_session_ends = ends  # a page kept for this session is not served past it
    return user
