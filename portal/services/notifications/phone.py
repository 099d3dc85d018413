"""SMS / WhatsApp text messages through one provider configured by URL and token.

`queue_text(phone, body)` waits for the transaction to commit (like mail). With
`MESSAGE_GATEWAY_URL` and `MESSAGE_GATEWAY_TOKEN` set, each message is POSTed as JSON
`{"to": "0812…", "text": "…"}` with `Authorization: Bearer <token>`; with none configured it
only logs that it would have sent, with the number masked (never the text).
"""

from __future__ import annotations

import json
import logging
import urllib.request
from dataclasses import dataclass

from flask import current_app, has_app_context

from .outbox import Outbox

log = logging.getLogger("portal.text")


@dataclass(frozen=True)
class OutgoingText:
    to: str
    body: str


def mask_phone(phone: str) -> str:
    """`081234567890` → `0812****7890`."""
    return phone[:4] + "*" * max(len(phone) - 8, 0) + phone[-4:] if len(phone) > 8 else "****"


def queue_text(phone: str | None, body: str) -> bool:
    """Send `body` to `phone` after commit; False when there is no number."""
    if not phone:
        return False
    _outbox.put(OutgoingText(phone, body[:480]))
    return True


def deliver_text(message: OutgoingText) -> None:
    if not has_app_context():
        return
    url = current_app.config.get("MESSAGE_GATEWAY_URL")
    token = current_app.config.get("MESSAGE_GATEWAY_TOKEN")
    if not url or not token:
        log.info("text not sent (no SMS/WhatsApp gateway configured) to=%s", mask_phone(message.to))
        return
    request = urllib.request.Request(
        url,
        data=json.dumps({"to": message.to, "text": message.body}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (configured URL)
            response.read(1024)
    except Exception:  # a provider outage must not break what already committed
        log.exception("text to %s failed", mask_phone(message.to))


_outbox = Outbox("portal_text_outbox", lambda message: deliver_text(message))
