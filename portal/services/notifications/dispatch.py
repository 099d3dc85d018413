"""In-app notifications for staff (assignment, reminder, overdue, reprimand) plus email.

`notify()` adds a Notification row and queues an email (sent after commit). A `dedupe_key`
makes repeated sweeps idempotent: a key already stored is skipped, and the unique index
stops two concurrent sweeps from sending the same notice twice.
"""

from __future__ import annotations

from sqlalchemy import func, select, update

from ...extensions import db
from ...models import Agency, Notification, Role, User
from ...models._common import utcnow
from ..audit.trail import record_event
from ..saving import inserted
from .mailer import queue_mail

KINDS = ("assignment", "reminder", "overdue", "escalated", "reprimand", "reprimand_response")


def notify(
    user: User, kind: str, message: str, link: str | None = None, dedupe_key: str | None = None
) -> Notification | None:
    """Add one notification for `user` (and queue its email). The caller commits.

    Returns None when `dedupe_key` was already used (nothing is added). Raises nothing.
    """
    if dedupe_key is not None:
        exists = db.session.scalar(
            select(Notification.id).where(Notification.dedupe_key == dedupe_key)
        )
        if exists is not None:
            return None
    note = Notification(
        user_id=user.id, kind=kind, message=message[:300], link=link, dedupe_key=dedupe_key
    )
    if not inserted(note):  # a concurrent sweep stored the same key first
        return None
    queue_mail(user.email, message[:120], f"{message}\n\n{link or ''}".strip())
    return note


def agency_heads(agency_id: int) -> list[User]:
    head_roles = [Role.BPJS_HEAD.value, Role.TRADE_HEAD.value, Role.LABOUR_HEAD.value]
    return list(
        db.session.scalars(
            select(User).where(
                User.agency_id == agency_id, User.role.in_(head_roles), User.active.is_(True)
            )
        )
    )


def labour_heads() -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(Agency, User.agency_id == Agency.id)
            .where(User.role == Role.LABOUR_HEAD.value, User.active.is_(True))
        )
    )


def unread_count(user: User) -> int:
    return db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == user.id, Notification.read_at.is_(None)
        )
    )


def mark_read(user: User, notification_id: int | None = None) -> int:
    """Mark one (or all) of `user`'s notifications read; returns how many changed.

    Only the owner's rows are touched (someone else's id changes nothing). The caller commits.
    """
    stmt = update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        stmt = stmt.where(Notification.id == notification_id)
    count = db.session.execute(stmt.values(read_at=utcnow())).rowcount
    if count:
        record_event("notification.read", None, {"count": count, "id": notification_id})
    return count
