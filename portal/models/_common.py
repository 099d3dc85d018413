"""Small helpers shared by the model modules."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import CheckConstraint, DateTime, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column
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


def state_is(*states: str, column: str = "state") -> property:
    """A read-only `is_…` flag: the record's `column` holds one of `states`."""

    def flag(self) -> bool:
        return getattr(self, column) in states

    return property(flag)


def unique_where(name: str, *columns: str, where: str) -> Index:
    """A unique index over the rows that match `where` only (a partial index, the same on
    PostgreSQL and SQLite): e.g. at most one open record per business."""
    return Index(
        name, *columns, unique=True, sqlite_where=text(where), postgresql_where=text(where)
    )


class ReferenceList:
    """A list of options an admin edits (sectors, occupations, complaint categories): a
    short code, its name in Indonesian and in English, the place it is offered in and
    whether it is offered at all."""

    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    name_id: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    sort_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    def __str__(self) -> str:
        return self.name_id
