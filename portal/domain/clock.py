"""The one clock: the current instant in UTC and today's date in Singkawang (WIB).

Everything that asks "when is it?" asks here: models' timestamps, deadlines, due dates,
reports. Tests move time with `frozen(at)` instead of patching `utcnow` module by module.
Singkawang is in Western Indonesia Time (Asia/Pontianak, UTC+7, no daylight saving).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Pontianak")


def _system_now() -> datetime:
    return datetime.now(UTC)


_source: Callable[[], datetime] = _system_now


def now() -> datetime:
    """The current instant, timezone-aware, in UTC."""
    return _source()


def today_wib() -> date:
    """Today's date in Singkawang: deadlines, due dates and months are counted in WIB days."""
    return now().astimezone(WIB).date()


def wib_day(instant: datetime) -> date:
    """The WIB calendar day of an aware instant (a stored UTC timestamp)."""
    return instant.astimezone(WIB).date()


@contextmanager
def frozen(at: datetime | Callable[[], datetime]) -> Iterator[None]:
    """Within the block, `now()` answers `at` (an aware datetime, or a callable for a clock
    that moves). For tests and for the scale seed, which generates history."""
    global _source
    if isinstance(at, datetime):
        if at.tzinfo is None:
            raise ValueError("frozen() needs an aware datetime")
        instant = at.astimezone(UTC)
        source: Callable[[], datetime] = lambda: instant  # noqa: E731
    else:
        source = at
    previous, _source = _source, source
    try:
        yield
    finally:
        _source = previous
