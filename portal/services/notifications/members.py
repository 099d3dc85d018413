"""Notices to members (self-registered, agent-registered or funded): one interface, three
channels — in-app (and email, where the person has an account with an address), SMS/WhatsApp
(`phone.queue_text`) and the agent who registered the person (in-app).

`notify_member()` sends a notice once per `dedupe_key` (the `member_notices` row), so the
daily sweep can run any number of times.
"""

from __future__ import annotations

from sqlalchemy import select

from ...extensions import db
from ...models import EnrolmentRequest, MemberNotice, Membership, Notification, User, Worker
from ..saving import inserted
from .dispatch import notify
from .phone import queue_text

MEMBER_KINDS = ("dues_due", "dues_missed", "lapse_warning", "batch_ending")


def notify_member(
    worker: Worker,
    membership: Membership | None,
    kind: str,
    message: str,
    *,
    dedupe_key: str,
    link: str | None = None,
    account: User | None = None,
    agent: User | None = None,
) -> MemberNotice | None:
    """Tell a member (and his agent) once. Returns None when already told. The caller commits."""
    if db.session.scalar(select(MemberNotice.id).where(MemberNotice.dedupe_key == dedupe_key)):
        return None
    channels = []
    if account is not None:
        notify(account, kind, message, link, dedupe_key=f"{dedupe_key}:account")
        channels.append("in_app")
        if account.email:
            channels.append("email")
    if queue_text(worker.phone, message):
        channels.append("text")
    if agent is not None:
        notify(
            agent, kind, f"{worker.full_name}: {message}", None, dedupe_key=f"{dedupe_key}:agent"
        )
        channels.append("agent")
    notice = MemberNotice(
        worker_id=worker.id,
        membership_id=membership.id if membership else None,
        kind=kind,
        dedupe_key=dedupe_key,
        channels=",".join(channels) or "none",
    )
    if not inserted(notice):  # a concurrent sweep told him first
        return None
    return notice


def recipients_of(memberships: list[Membership]) -> tuple[dict[int, User], dict[int, User]]:
    """The person's account and registering agent of each membership (two queries)."""
    worker_ids = {m.worker_id for m in memberships}
    accounts = _users_by_worker(Worker.id, Worker.account_id, worker_ids)
    agents = _users_by_worker(
        EnrolmentRequest.worker_id, EnrolmentRequest.registered_by_id, worker_ids
    )
    return accounts, agents


def _users_by_worker(worker_id, user_id, worker_ids: set[int]) -> dict[int, User]:
    """Worker id → the user `user_id` names, for the rows of `worker_ids` (one query)."""
    rows = (
        select(worker_id, User)
        .join(User, User.id == user_id)
        .where(worker_id.in_(worker_ids or [-1]))
    )
    return dict(db.session.execute(rows).all())


def recent_notifications(user_id: int, limit: int = 5) -> list[Notification]:
    """A member's or agent's latest in-app notices, newest first (their pages show them)."""
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user_id)
            .order_by(Notification.id.desc())
            .limit(limit)
        )
    )
