"""Indonesian working days: the one calendar every deadline in the portal uses.

Non-working days are Saturdays, Sundays, Indonesia's national holidays (the `holidays`
package) and the extra days an admin enters (collective leave *cuti bersama*, local days off).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import holidays


class WorkingCalendar:
    def __init__(self, extra_days_off: Iterable[date] = ()):
        self._extra = frozenset(extra_days_off)
        self._national = holidays.country_holidays("ID")

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self._national and day not in self._extra

    def holiday_name(self, day: date) -> str | None:
        return self._national.get(day)

    def next_working_day(self, day: date) -> date:
        """`day` itself if it is a working day, otherwise the next one."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, start: date, days: int) -> date:
        """The date `days` working days after `start` (the deadline for a `days`-day rule).

        `start` itself never counts: something received on Friday with a 1-day rule is due
        on Monday (if Monday is a working day).
        """
        if days < 0:
            raise ValueError("days must not be negative")
        current = start
        remaining = days
        while remaining:
            current += timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 if end <= start)."""
        if end <= start:
            return 0
        count = 0
        current = start
        while current < end:
            current += timedelta(days=1)
            if self.is_working_day(current):
                count += 1
        return count
