"""Taking back a one-click action that ends cover or sends a letter (issue 12).

The one rule: whoever took the action may take it back within `UNDO_WINDOW` of taking it
(the time it was recorded, not the date typed on the letter). Each capability decides what
taking back means for its records (a letter is marked withdrawn, a case returns to its step
before, a rejected request goes back into the queue) and writes its own audit event; the
events of the action itself are never removed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from babel.units import format_unit
from flask_babel import get_locale
from flask_babel import gettext as _

from ..domain.clock import now
from .errors import NotAllowed, ServiceError

#: How long after an action its author may take it back (the one place this is defined).
UNDO_WINDOW = timedelta(days=1)


def undo_window_words() -> str:
    """`UNDO_WINDOW` in the reader's language for the sentences that promise it, exact in the
    largest unit that divides it: "1 hari" / "1 day", "36 jam", "90 menit"."""
    minutes = int(UNDO_WINDOW.total_seconds() // 60)
    locale = get_locale() or "id"
    for unit, size in (("duration-day", 24 * 60), ("duration-hour", 60)):
        if minutes and minutes % size == 0:
            return format_unit(minutes // size, unit, locale=locale)
    return format_unit(minutes, "duration-minute", locale=locale)


def undo_deadline(taken_at: datetime | None) -> datetime | None:
    """Until when an action taken at `taken_at` can be taken back; None when there is no
    time to count from (nothing to take back, or recorded before the time was kept)."""
    return None if taken_at is None else taken_at + UNDO_WINDOW


def within_undo_window(taken_at: datetime | None) -> bool:
    deadline = undo_deadline(taken_at)
    return deadline is not None and now() <= deadline


def undo_open_until(taken_at: datetime | None, author_id: int | None, user) -> datetime | None:
    """The deadline a page shows next to an undo button for `user`: only the author, and
    only while the window is open; None hides the button."""
    if author_id is None or user is None or getattr(user, "id", None) != author_id:
        return None
    return undo_deadline(taken_at) if within_undo_window(taken_at) else None


def check_undo(taken_at: datetime | None, author_id: int | None, user, field: str | None = None):
    """Refuse taking back an action `user` did not take (NotAllowed) or took more than
    `UNDO_WINDOW` ago (ServiceError)."""
    if author_id is None or getattr(user, "id", None) != author_id:
        raise NotAllowed()
    if not within_undo_window(taken_at):
        raise ServiceError(
            field,
            _(
                "More than %(window)s has passed: this can no longer be taken back.",
                window=undo_window_words(),
            ),
        )
