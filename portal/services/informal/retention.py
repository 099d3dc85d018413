"""Retention of BPU members: did they keep paying after enrolling?

Definition (the dashboard and the agents' report use this one): a member is *retained* when
he paid each of his first three contribution months — the month he enrolled in and the two
after it (BPU dues fall in the same month). A member counts (is *eligible*) once the third
month's due date (the 15th, moved past days off) is behind us; funded members are not counted
(the funder pays). Retention = retained / eligible.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ..membership.common import add_months, period_key
from ..membership.dues import due_date_for

WINDOW = 3


def first_months(start: date) -> list[str]:
    return [period_key(add_months(start, i)) for i in range(WINDOW)]


def is_eligible(start: date, today: date) -> bool:
    """The last of the first three months is past its due date."""
    return due_date_for(False, add_months(start, WINDOW - 1)) < today


def is_retained(start: date, paid_periods: Iterable[str]) -> bool:
    paid = set(paid_periods)
    return all(p in paid for p in first_months(start))


@dataclass(frozen=True)
class Retention:
    eligible: int
    retained: int

    @property
    def share(self) -> float | None:
        return self.retained / self.eligible if self.eligible else None

    @property
    def percent(self) -> str:
        return "–" if self.share is None else f"{self.share * 100:.0f}%"


def retention_of(members: Iterable[tuple[date, Iterable[str]]], today: date) -> Retention:
    """`members`: (start date, periods paid) of each self-paid member."""
    eligible = retained = 0
    for start, paid in members:
        if is_eligible(start, today):
            eligible += 1
            retained += is_retained(start, paid)
    return Retention(eligible, retained)
