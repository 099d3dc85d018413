"""Demo records for the dashboard area, loaded by `flask seed-demo` (idempotent).

Workforce estimates per kecamatan and a city target, so the demo dashboard shows real
coverage figures. The numbers follow the public June 2025 picture (DOMAIN.md): about
90,000 potential wage and informal workers in the city, split by kecamatan.
"""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import CoverageEstimate, Region, Target

DEMO_PERIOD = "2025-06"
SOURCE = "Demo: BPJS Ketenagakerjaan Singkawang, Juni 2025 (perkiraan)"
# The city's 89,920 potential workers (16,684 covered + 73,236 not, June 2025) split by
# kecamatan for the demo (about 27 / 22 / 24 / 12 / 15 %).
WORKFORCE = {
    "61.72.01": 24_279,
    "61.72.02": 19_782,
    "61.72.03": 21_581,
    "61.72.04": 10_790,
    "61.72.05": 13_488,
}
CITY_WORKFORCE = sum(WORKFORCE.values())


def seed() -> None:
    """Add this area's demo records if they are missing. The caller commits."""
    kecamatans = set(db.session.scalars(select(Region.code).where(Region.level == "kecamatan")))
    have = set(
        db.session.scalars(
            select(CoverageEstimate.kecamatan_code).where(CoverageEstimate.source == SOURCE)
        )
    )
    for code, workforce in WORKFORCE.items():
        if code in kecamatans and code not in have:
            db.session.add(
                CoverageEstimate(
                    kecamatan_code=code,
                    period=DEMO_PERIOD,
                    estimated_workforce=workforce,
                    source=SOURCE,
                )
            )
    city_target = db.session.scalar(
        select(Target.id).where(Target.kecamatan_code.is_(None), Target.period == DEMO_PERIOD)
    )
    if city_target is None:
        db.session.add(Target(kecamatan_code=None, period=DEMO_PERIOD, target_pct=40))
