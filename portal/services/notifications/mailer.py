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

from ...extensions import mail
from .outbox import Outbox

log = logging.getLogger("portal.mail")


@dataclass(frozen=True)
class OutgoingMail:
    to: str
    subject: str
    body: str


def queue_mail(to: str | None, subject: str, body: str) -> None:
    """Send `body` to `to` once the current transaction commits (nothing if `to` is empty)."""
    if not to:
        return
    _outbox.put(OutgoingMail(to, subject, body))


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


# `deliver` is looked up when a message goes out (tests replace it to read the mail).
_outbox = Outbox("portal_mail_outbox", lambda message: deliver(message))
