"""Email through Flask-Mail, sent only after the transaction that caused it commits.

Services call `queue_mail(...)`; the message waits in the session's outbox and goes out in
the session's `after_commit` hook (a rolled-back request sends nothing). Without a mail
server (`MAIL_SUPPRESS_SEND`, development and tests) the message is written to the log
instead, so a developer sees it on the console; outside development and tests only a masked
recipient is logged (never the body: a reporter's mail carries their tracking code).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import current_app, has_app_context
from flask_mail import Message
from sqlalchemy import event
from sqlalchemy.orm import Session

from ...extensions import db, mail

log = logging.getLogger("portal.mail")
_OUTBOX = "portal_mail_outbox"


@dataclass(frozen=True)
class OutgoingMail:
    to: str
    subject: str
    body: str


def queue_mail(to: str | None, subject: str, body: str) -> None:
    """Send `body` to `to` once the current transaction commits (nothing if `to` is empty)."""
    if not to:
        return
    db.session.info.setdefault(_OUTBOX, []).append(OutgoingMail(to, subject, body))


def deliver(message: OutgoingMail) -> None:
    if not has_app_context():
        return
    if current_app.config.get("MAIL_SUPPRESS_SEND") or not current_app.config.get("MAIL_SERVER"):
        if current_app.debug or current_app.testing:  # development: the console is the outbox
            log.info("mail (not sent, no mail server) to=%s subject=%s\n%s", *_fields(message))
        else:
            # A deployed portal without a mail server: the log must not become a copy of the
            # mail — a reporter's address with their tracking code opens their complaint.
            log.warning("mail not sent (no mail server) to=%s", mask_address(message.to))
        return
    try:
        mail.send(Message(subject=message.subject, recipients=[message.to], body=message.body))
    except Exception:  # a mail outage must not break the request that already committed
        log.exception("mail to %s failed", mask_address(message.to))


def mask_address(address: str) -> str:
    """`ani@example.id` → `a***@example.id`: enough to trace a delivery, not to reuse it."""
    local, _at, domain = address.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def _fields(message: OutgoingMail) -> tuple[str, str, str]:
    return message.to, message.subject, message.body


@event.listens_for(Session, "after_commit")
def _send_outbox(session: Session) -> None:
    outbox = session.info.pop(_OUTBOX, None)
    for message in outbox or ():
        deliver(message)


@event.listens_for(Session, "after_soft_rollback")
def _drop_outbox(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the outer transaction, not a savepoint
        session.info.pop(_OUTBOX, None)
