"""Messages that leave the portal only once the transaction that caused them commits.

A service puts a message in an `Outbox`; it waits in the session and is delivered in the
session's `after_commit` hook. A rolled-back transaction drops it (a rolled-back savepoint
does not: the outer transaction may still commit).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from ...extensions import db


class Outbox:
    """One kind of message (`name` keeps it apart in the session) and how to deliver it."""

    def __init__(self, name: str, deliver: Callable[[Any], None]):
        self.name = name
        self.deliver = deliver
        event.listen(Session, "after_commit", self._send)
        event.listen(Session, "after_soft_rollback", self._drop)

    def put(self, message: Any) -> None:
        db.session.info.setdefault(self.name, []).append(message)

    def _send(self, session: Session) -> None:
        for message in session.info.pop(self.name, None) or ():
            self.deliver(message)

    def _drop(self, session: Session, previous_transaction) -> None:
        if previous_transaction.parent is None:  # the outer transaction, not a savepoint
            session.info.pop(self.name, None)
