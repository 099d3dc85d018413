"""What the trade-office services share: the refusal they raise."""

from __future__ import annotations

from ..errors import ServiceError


class TradeError(ServiceError):
    """A user-facing refusal. `message` is translated; `field` names the form field it belongs
    to (None: a message for the whole page)."""
