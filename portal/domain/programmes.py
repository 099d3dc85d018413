"""Which BPJS programmes a wage earner is covered by: a pure rule over dated reference data.

- Required programmes follow the business's scale (Perpres 109/2013 art. 6), read from dated
  rows (`ProgrammeRules`, from the `programme_requirements` table): micro JKK + JKM; small
  + JHT; medium and large + JP.
- An owner may add JHT or JP voluntarily: such a programme is marked voluntary.
- JP: no new JP membership at or past the pension age (PP 45/2015 art. 15), a dated value
  `jp_pension_age` in the rate table (59 in 2025–2027, one more year every three years).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from .contributions import PROGRAMMES, RateMissing, RateTable

#: Every wage earner has these whatever the scale; JHT and JP may be added voluntarily.
OPTIONAL = ("JHT", "JP")


def parse_programmes(text: str) -> frozenset[str]:
    """ "JKK JKM JHT" (spaces or commas) → {"JKK", "JKM", "JHT"}; unknown codes raise."""
    codes = frozenset(text.replace(",", " ").upper().split())
    unknown = codes - set(PROGRAMMES)
    if unknown:
        raise ValueError(f"unknown programme codes: {', '.join(sorted(unknown))}")
    return codes


@dataclass
class ProgrammeRules:
    """Dated required programmes per business scale: {scale: sorted [(from, programmes)]}."""

    rows: dict[str, list[tuple[date, frozenset[str]]]] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, date, str]]) -> ProgrammeRules:
        table: dict[str, list[tuple[date, frozenset[str]]]] = {}
        for scale, effective_from, programmes in rows:
            table.setdefault(scale, []).append((effective_from, parse_programmes(programmes)))
        for entries in table.values():
            entries.sort(key=lambda entry: entry[0])
        return cls(table)

    def required(self, scale: str, on: date) -> frozenset[str]:
        entries = self.rows.get(scale, [])
        i = bisect.bisect_right([start for start, _ in entries], on) - 1
        if i < 0:
            raise RateMissing(f"required programmes of scale {scale} on {on.isoformat()}")
        return entries[i][1]


def age_on(birth: date, day: date) -> int:
    """Completed years on `day` (a birthday counts from the day itself)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def pension_age(rates: RateTable, on: date) -> int:
    """The JP pension age in force on `on` (PP 45/2015 art. 15, dated `jp_pension_age`)."""
    return rates.value("jp_pension_age", on)


def jp_allowed(rates: RateTable, birth: date, on: date) -> bool:
    """A new JP membership is possible only below the pension age on `on`."""
    return age_on(birth, on) < pension_age(rates, on)


@dataclass(frozen=True)
class Cover:
    """A wage earner's programmes: required by the scale, added voluntarily, JP barred."""

    required: frozenset[str]
    voluntary: frozenset[str]
    jp_barred: bool = False  # JP would apply but the worker is at or past the pension age

    @property
    def programmes(self) -> tuple[str, ...]:
        chosen = self.required | self.voluntary
        return tuple(p for p in PROGRAMMES if p in chosen and not (p == "JP" and self.jp_barred))

    @property
    def with_jht(self) -> bool:
        return "JHT" in self.programmes

    @property
    def with_jp(self) -> bool:
        return "JP" in self.programmes

    def is_voluntary(self, programme: str) -> bool:
        return programme in self.voluntary and programme not in self.required


def cover_for(required: frozenset[str], *, add_jht: bool, add_jp: bool, jp_possible: bool) -> Cover:
    """The cover of a wage earner: `required` plus what the owner added (only optional
    programmes not already required count as voluntary)."""
    wanted = {p for p, on in (("JHT", add_jht), ("JP", add_jp)) if on}
    voluntary = frozenset(wanted - required)
    barred = not jp_possible and ("JP" in required or "JP" in voluntary)
    return Cover(frozenset(required), voluntary, barred)
