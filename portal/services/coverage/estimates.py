"""Workforce estimates in force for a month: the latest row whose period is on or before the
month (a later row for the same period corrects an earlier one). One query per report."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from ...extensions import db
from ...models import CoverageEstimate
from .periods import Month


class Estimates:
    """Estimate rows by (kecamatan, sector, category), resolved for a month on demand."""

    def __init__(self, end: Month, kecamatans: list[str]):
        self._rows: dict[tuple, list[tuple[str, int]]] = defaultdict(list)
        stmt = (
            select(
                CoverageEstimate.kecamatan_code,
                CoverageEstimate.sector_code,
                CoverageEstimate.category,
                CoverageEstimate.period,
                CoverageEstimate.estimated_workforce,
            )
            .where(CoverageEstimate.period <= str(end))
            .where(CoverageEstimate.kecamatan_code.in_(kecamatans))
            .order_by(CoverageEstimate.period, CoverageEstimate.id)
        )
        for kec, sector, category, period, workforce in db.session.execute(stmt):
            self._rows[(kec, sector, category)].append((period, workforce))

    def one(self, month: Month, kec: str, sector=None, category=None) -> int | None:
        found = None
        for period, workforce in self._rows.get((kec, sector, category), ()):
            if period > str(month):
                break
            found = workforce
        return found

    def total(self, month: Month, kecs: list[str], sector=None, category=None) -> int | None:
        values = [self.one(month, k, sector, category) for k in kecs]
        if not values or any(v is None for v in values):
            return None
        return sum(values)
