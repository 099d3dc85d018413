"""What the trade-office services share: the refusal they raise and the office's today."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

from ...models._common import utcnow

_DEFAULT_ZONE = "Asia/Pontianak"


class TradeError(Exception):
    """A user-facing refusal. `message` is translated; `field` names the form field it belongs
    to (None: a message for the whole page)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def local_today(now: datetime | None = None) -> date:
    """Today's date in Singkawang (WIB): deadlines are counted in local days."""
    zone = _DEFAULT_ZONE
    if has_app_context():
        zone = current_app.config.get("BABEL_DEFAULT_TIMEZONE", _DEFAULT_ZONE)
    return (now or utcnow()).astimezone(ZoneInfo(zone)).date()
