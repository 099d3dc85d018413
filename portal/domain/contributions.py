"""Monthly contributions (iuran) to BPJS Ketenagakerjaan — the one place they are computed.

Rates come from dated reference data (`RateTable`), never from constants here, so an admin
can correct a rate or add next March's JP wage ceiling without a release.

Rounding rule: every (programme, payer) share is computed as base × rate and rounded to the
nearest whole rupiah, halves up; a programme's amount is the sum of its shares and the total
is the sum of the programmes. This reproduces every worked example in DOMAIN.md exactly.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

# Keys of dated values. Rates are basis points (1 bp = 0.01 %); amounts are rupiah.
RATE_KEYS = {
    "pu_jkk_sangat_rendah": "bp",
    "pu_jkk_rendah": "bp",
    "pu_jkk_sedang": "bp",
    "pu_jkk_tinggi": "bp",
    "pu_jkk_sangat_tinggi": "bp",
    "pu_jkm": "bp",
    "pu_jht_employer": "bp",
    "pu_jht_worker": "bp",
    "pu_jp_employer": "bp",
    "pu_jp_worker": "bp",
    "jp_wage_ceiling": "rupiah",
    "bpu_jkk": "bp",
    "bpu_jkm_flat": "rupiah",
    "bpu_jht": "bp",
    "bpu_income_min": "rupiah",
    "bpu_income_max": "rupiah",
    "employer_late_fine": "bp",  # per month late, on the amount due
    "jp_pension_age": "years",  # no new JP membership at or past it (domain.programmes)
}

PROGRAMMES = ("JKK", "JKM", "JHT", "JP")


class RateMissing(LookupError):
    """No value for a key is in force on the requested date."""


@dataclass
class RateTable:
    """Dated values: for each key, a sorted list of (effective_from, value)."""

    values: dict[str, list[tuple[date, int]]] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, date, int]]) -> RateTable:
        table: dict[str, list[tuple[date, int]]] = {}
        for key, effective_from, value in rows:
            table.setdefault(key, []).append((effective_from, int(value)))
        for entries in table.values():
            entries.sort()
        return cls(table)

    def value(self, key: str, on: date) -> int:
        entries = self.values.get(key, [])
        i = bisect.bisect_right(entries, (on, float("inf"))) - 1
        if i < 0:
            raise RateMissing(f"{key} on {on.isoformat()}")
        return entries[i][1]


def _share(base: int, bp: int) -> int:
    return int((Decimal(base) * Decimal(bp) / Decimal(10_000)).quantize(0, ROUND_HALF_UP))


def basis_points_of(base: int, bp: int) -> int:
    """`bp` basis points of `base` in whole rupiah, half up (the contributions' rounding)."""
    return _share(base, bp)


@dataclass(frozen=True)
class Line:
    programme: str
    base: int
    employer: int
    worker: int

    @property
    def amount(self) -> int:
        return self.employer + self.worker


@dataclass(frozen=True)
class Contribution:
    lines: tuple[Line, ...]

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def employer(self) -> int:
        return sum(line.employer for line in self.lines)

    @property
    def worker(self) -> int:
        return sum(line.worker for line in self.lines)

    def by_programme(self) -> Mapping[str, Line]:
        return {line.programme: line for line in self.lines}


def first_of_month(period: date) -> date:
    return period.replace(day=1)


def wage_earner(
    rates: RateTable,
    wage: int,
    month: date,
    *,
    risk_class: str = "sangat_rendah",
    with_jht: bool = True,
    with_jp: bool = True,
) -> Contribution:
    """A wage earner's (PU) monthly contribution for `month` (any day in it).

    JKK and JKM are always included and paid by the employer; JHT and JP are split between
    employer and worker; JP is computed on the wage capped at the ceiling in force that month.
    """
    if wage <= 0:
        raise ValueError("wage must be positive")
    on = first_of_month(month)
    lines = [
        Line("JKK", wage, _share(wage, rates.value(f"pu_jkk_{risk_class}", on)), 0),
        Line("JKM", wage, _share(wage, rates.value("pu_jkm", on)), 0),
    ]

    def split(programme: str, base: int, rate: str) -> Line:
        """`programme` on `base`, split by the `{rate}_employer` and `{rate}_worker` rates."""
        employer = _share(base, rates.value(f"{rate}_employer", on))
        return Line(programme, base, employer, _share(base, rates.value(f"{rate}_worker", on)))

    if with_jht:
        lines.append(split("JHT", wage, "pu_jht"))
    if with_jp:
        lines.append(split("JP", min(wage, rates.value("jp_wage_ceiling", on)), "pu_jp"))
    return Contribution(tuple(lines))


class IncomeOutOfRange(ValueError):
    def __init__(self, minimum: int, maximum: int):
        super().__init__(f"declared income must be between {minimum} and {maximum}")
        self.minimum = minimum
        self.maximum = maximum


def informal_income_range(rates: RateTable, month: date) -> tuple[int, int]:
    on = first_of_month(month)
    return rates.value("bpu_income_min", on), rates.value("bpu_income_max", on)


def informal_worker(
    rates: RateTable, declared_income: int, month: date, *, with_jht: bool = False
) -> Contribution:
    """An informal worker's (BPU) monthly contribution, all paid by the worker.

    JKK is 1% of declared income, JKM a flat amount, JHT (optional) 2% of declared income.
    """
    on = first_of_month(month)
    minimum, maximum = informal_income_range(rates, on)
    if not minimum <= declared_income <= maximum:
        raise IncomeOutOfRange(minimum, maximum)
    lines = [
        Line("JKK", declared_income, 0, _share(declared_income, rates.value("bpu_jkk", on))),
        Line("JKM", declared_income, 0, rates.value("bpu_jkm_flat", on)),
    ]
    if with_jht:
        lines.append(
            Line("JHT", declared_income, 0, _share(declared_income, rates.value("bpu_jht", on)))
        )
    return Contribution(tuple(lines))


def monthly_contribution(
    rates: RateTable,
    *,
    category: str,
    monthly_amount: int,
    month: date,
    risk_class: str = "sangat_rendah",
    with_jht: bool = False,
    with_jp: bool = False,
) -> Contribution:
    """Dispatch on category: PU is a wage earner; BPU, rentan and sawit are informal."""
    if category == "PU":
        return wage_earner(
            rates, monthly_amount, month, risk_class=risk_class, with_jht=with_jht, with_jp=with_jp
        )
    return informal_worker(rates, monthly_amount, month, with_jht=with_jht)


def employer_late_fine(rates: RateTable, amount_due: int, months_late: int, on: date) -> int:
    """Employer late-payment fine: a rate per month late on the amount due (2% by default)."""
    if months_late <= 0:
        return 0
    return _share(amount_due, rates.value("employer_late_fine", first_of_month(on))) * months_late
