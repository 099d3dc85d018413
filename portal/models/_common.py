"""Small helpers shared by the model modules."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import CheckConstraint, DateTime
from sqlalchemy.types import TypeDecorator

from ..domain import clock


def utcnow() -> datetime:
    """The clock's current instant (`portal.domain.clock.now`), for column defaults."""
    return clock.now()


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on SQLite and PostgreSQL alike.

    SQLite has no time zones: values come back naive, so we re-attach UTC on the way out.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def one_of(column: str, values: Iterable[str], name: str) -> CheckConstraint:
    """A named CHECK constraint that keeps `column` inside an allowed set of states."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({quoted})", name=name)
