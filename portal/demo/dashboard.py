"""Demo records for the dashboard area, loaded by `flask seed-demo` (idempotent).

Workforce estimates per kecamatan, a city target and BPJS's official active participants
for the last twelve reported months (up to last month: the current month is not reported yet,
so the pages show their fallback notice), so the demo dashboard shows real coverage figures:
about 24,300 official participants against about 90,000 workers, the article's ~27%.
The workforce numbers follow the public June 2025 picture (DOMAIN.md): about
90,000 potential wage and informal workers in the city, split by kecamatan.
"""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import CoverageEstimate, OfficialCount, Region, Target
from ..services.coverage.periods import current_month
from ..services.reference.seed import add_missing

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


OFFICIAL_SOURCE = "Demo: Laporan peserta aktif BPJS Ketenagakerjaan Kantor Cabang Singkawang"
OFFICIAL_LATEST = 24_300  # last reported month, city-wide
OFFICIAL_MONTHLY_GAIN = 120  # net gain a month over the year before it
#: Share of the official participants per category (PU, BPU, jakon, rentan, sawit).
CATEGORY_SHARES = {"PU": 0.55, "BPU": 0.20, "jakon": 0.08, "rentan": 0.12, "sawit": 0.05}


def official_cells(months: list[str]) -> dict[tuple[str, str, str], int]:
    """(period, kecamatan, category) → participants: each month's city total split by the
    kecamatan's share of the workforce and the category shares, rounding kept exact."""
    cells = {}
    for i, period in enumerate(months):
        city = OFFICIAL_LATEST - (len(months) - 1 - i) * OFFICIAL_MONTHLY_GAIN
        left = city
        keys = [(k, c) for k in WORKFORCE for c in CATEGORY_SHARES]
        for j, (kec, cat) in enumerate(keys):
            if j == len(keys) - 1:
                n = left
            else:
                n = round(city * WORKFORCE[kec] / CITY_WORKFORCE * CATEGORY_SHARES[cat])
            cells[(period, kec, cat)] = n
            left -= n
    return cells


def seed() -> None:
    """Add this area's demo records if they are missing. The caller commits."""
    kecamatans = set(db.session.scalars(select(Region.code).where(Region.level == "kecamatan")))
    add_missing(
        (
            CoverageEstimate(
                kecamatan_code=code,
                period=DEMO_PERIOD,
                estimated_workforce=workforce,
                source=SOURCE,
            )
            for code, workforce in WORKFORCE.items()
            if code in kecamatans
        ),
        CoverageEstimate.kecamatan_code,
        CoverageEstimate.source,
    )
    city_target = db.session.scalar(
        select(Target.id).where(Target.kecamatan_code.is_(None), Target.period == DEMO_PERIOD)
    )
    if city_target is None:
        db.session.add(Target(kecamatan_code=None, period=DEMO_PERIOD, target_pct=40))
    last = current_month().shift(-1)
    months = [str(last.shift(-k)) for k in range(11, -1, -1)]
    official = (
        OfficialCount(
            period=period,
            kecamatan_code=kec,
            category=cat,
            active_participants=n,
            source_document=OFFICIAL_SOURCE,
        )
        for (period, kec, cat), n in official_cells(months).items()
        if kec in kecamatans
    )
    add_missing(
        official, OfficialCount.period, OfficialCount.kecamatan_code, OfficialCount.category
    )
