"""Months for the dashboard: parsing `YYYY-MM`, windows of months and SQL month buckets.

Reports count by month in Western Indonesia Time (WIB, UTC+7), the city's clock. Month
buckets are computed in SQL with a CASE over the month boundaries, which works the same on
SQLite and PostgreSQL (no dialect date functions) and keeps each report to one query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, case, cast, extract, func, literal, null

from ...domain.clock import today_wib
from ...extensions import db
from ..errors import ServiceError

WIB_OFFSET = timedelta(hours=7)
EARLIEST_PERIOD = "2015-01"  # BPJS Ketenagakerjaan started operating in July 2015


class PeriodError(ServiceError, ValueError):
    """A period that is not a real month (`YYYY-MM`); `text` is what was given."""

    def __init__(self, text: str, field: str | None = "period"):
        super().__init__(field, _l("Unknown period: write it as YYYY-MM, e.g. 2026-03."))
        self.text = text


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        """`YYYY-MM` → Month; raises PeriodError for anything else."""
        text = (text or "").strip()
        if len(text) != 7 or text[4] != "-" or not (text[:4] + text[5:]).isdigit():
            raise PeriodError(text)
        year, month = int(text[:4]), int(text[5:])
        if not 1 <= month <= 12:
            raise PeriodError(text)
        return cls(year, month)

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @property
    def index(self) -> int:
        return self.year * 12 + self.month - 1

    @classmethod
    def from_index(cls, index: int) -> Month:
        return cls(index // 12, index % 12 + 1)

    def shift(self, months: int) -> Month:
        return Month.from_index(self.index + months)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return self.shift(1).first_day - timedelta(days=1)

    @property
    def start_utc(self) -> datetime:
        """The instant this month starts in WIB, as a UTC datetime."""
        return datetime(self.year, self.month, 1, tzinfo=UTC) - WIB_OFFSET

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def current_month() -> Month:
    return Month.of(today_wib())


def window(end: Month, months: int) -> list[Month]:
    """`months` consecutive months ending with `end`, oldest first."""
    return [end.shift(offset) for offset in range(-(months - 1), 1)]


def _search(column, bounds: list, below, above):
    """SQL CASE giving k for bounds[k] <= column < bounds[k+1] (below / above outside).

    A balanced tree of comparisons: each row is compared about log2(len(bounds)) times
    instead of once per month, which matters on SQLite with a city's worth of rows.
    """

    def node(lo: int, hi: int):
        if lo == hi:
            value = below if lo < 0 else above if lo == len(bounds) - 1 else lo
            return literal(value) if value is not None else null()
        mid = (lo + hi + 1) // 2
        return case((column < bounds[mid], node(lo, mid - 1)), else_=node(mid, hi))

    return node(-1, len(bounds) - 1)


def date_bucket(column, months: list[Month], before: int = 0):
    """SQL: the position (0…n-1) of a DATE column's month in `months`; after the window → n.

    Dates before the window fall in bucket `before` (0: "started before the window" shares
    the first month; -1: "ended before the window"). Group by this expression through a
    subquery column (PostgreSQL would see the bound parameters in SELECT and GROUP BY as
    different expressions).
    """
    bounds = [m.first_day for m in months] + [months[-1].shift(1).first_day]
    return _search(column, bounds, before, len(months))


def instant_bucket(column, months: list[Month]):
    """SQL: the position (0…n-1) of a UTC timestamp's WIB month in `months`, else null."""
    bounds = [m.start_utc for m in months] + [months[-1].shift(1).start_utc]
    return _search(column, bounds, None, None)


def wib_date(column):
    """SQL: the WIB calendar date of a UTC timestamp column (SQLite returns ISO text)."""
    if db.engine.dialect.name == "postgresql":
        return cast(func.timezone("Asia/Pontianak", column), Date)
    return func.date(column, "+7 hours")


def as_date(value) -> date | None:
    """A date from what `wib_date` returned (date on PostgreSQL, ISO text on SQLite)."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def weighted_median(pairs: list[tuple[int, int]]) -> float | None:
    """Median of values given as (value, count) pairs; None when there are none."""
    pairs = sorted(p for p in pairs if p[1] > 0)
    total = sum(n for _, n in pairs)
    if not total:
        return None
    lower_rank, upper_rank = (total - 1) // 2, total // 2
    lower = upper = None
    seen = 0
    for value, n in pairs:
        if lower is None and lower_rank < seen + n:
            lower = value
        if upper_rank < seen + n:
            upper = value
            break
        seen += n
    return (lower + upper) / 2


def sql_month_index(column):
    """SQL for `Month.of(column).index` of a date column (SQLite and PostgreSQL)."""
    return extract("year", column) * 12 + extract("month", column) - 1
