"""Fixtures for the dashboard tests: a small city whose coverage was computed by hand."""

from __future__ import annotations

from datetime import date

import pytest

from portal.extensions import db
from tests.factories import BusinessFactory
from tests.factories_dashboard import (
    EstimateFactory,
    MemberFactory,
    OfficialCountFactory,
    TargetFactory,
)

TENGAH, BARAT, TIMUR = "61.72.01.1001", "61.72.02.1001", "61.72.03.1001"
KECAMATANS = ("61.72.01", "61.72.02", "61.72.03", "61.72.04", "61.72.05")
#: Official active participants per kecamatan (order of KECAMATANS), month by month.
OFFICIAL = {
    "2025-12": (2, 1, 3, 2, 2),
    "2026-01": (3, 1, 3, 3, 2),
    "2026-02": (3, 2, 4, 3, 3),
    "2026-03": (4, 2, 4, 4, 3),
}


@pytest.fixture
def small_city(app):
    """Members and estimates for Dec 2025 – Mar 2026 (see test_coverage_numbers.py).

    | member | area   | category | start      | end / lapse        | counted in        |
    |--------|--------|----------|------------|--------------------|-------------------|
    | A      | Tengah | PU (fisheries business) | 2025-06-15 | –  | Dec Jan Feb Mar   |
    | B      | Tengah | BPU      | 2026-01-20 | –                  | Jan Feb Mar       |
    | C      | Tengah | PU       | 2025-01-01 | ended 2026-01-10   | Dec Jan           |
    | D      | Tengah | BPU      | 2025-03-01 | lapsed 2026-02-15  | Dec Jan           |
    | E      | Barat  | rentan   | 2026-03-01 | –                  | Mar               |
    | F      | Barat  | PU       | 2026-04-01 | –                  | (after the window)|
    | G      | Timur  | sawit    | 2025-02-01 | –                  | Dec Jan Feb Mar   |
    | H      | (none) | BPU      | 2025-01-01 | –                  | Dec Jan Feb Mar   |
    | I      | Tengah | PU       | 2025-01-01 | lapsed, no date    | never             |

    Workforce: Tengah 10 from 2025-01, corrected to 8 from 2026-02; Barat 5; Timur, Utara,
    Selatan 20 each. City target 40% from 2025-01, 45% from 2026-02.

    BPJS's official active participants (`OFFICIAL`; Timur's are palm-oil workers, the rest
    PU): city 10, 12, 15, 17 → coverage 10/75, 12/75, 15/73, 17/73.
    """
    fisheries = BusinessFactory(sector_code="fisheries", kelurahan_code=TENGAH)
    MemberFactory(kelurahan_code=TENGAH, start_date=date(2025, 6, 15), business=fisheries)
    MemberFactory(kelurahan_code=TENGAH, category="BPU", start_date=date(2026, 1, 20))
    MemberFactory(
        kelurahan_code=TENGAH,
        start_date=date(2025, 1, 1),
        end_date=date(2026, 1, 10),
        state="ended",
    )
    MemberFactory(
        kelurahan_code=TENGAH,
        category="BPU",
        start_date=date(2025, 3, 1),
        state="lapsed",
        lapsed_at=date(2026, 2, 15),
    )
    MemberFactory(kelurahan_code=BARAT, category="rentan", start_date=date(2026, 3, 1))
    MemberFactory(kelurahan_code=BARAT, start_date=date(2026, 4, 1))
    MemberFactory(kelurahan_code=TIMUR, category="sawit", start_date=date(2025, 2, 1))
    MemberFactory(kelurahan_code=None, category="BPU", start_date=date(2025, 1, 1))
    MemberFactory(kelurahan_code=TENGAH, start_date=date(2025, 1, 1), state="lapsed")
    EstimateFactory(kecamatan_code="61.72.01", period="2025-01", estimated_workforce=10)
    EstimateFactory(kecamatan_code="61.72.01", period="2026-02", estimated_workforce=8)
    EstimateFactory(kecamatan_code="61.72.02", period="2025-01", estimated_workforce=5)
    for code in ("61.72.03", "61.72.04", "61.72.05"):
        EstimateFactory(kecamatan_code=code, period="2025-01", estimated_workforce=20)
    TargetFactory(period="2025-01", target_pct=40)
    TargetFactory(period="2026-02", target_pct=45)
    for period, counts in OFFICIAL.items():
        for code, n in zip(KECAMATANS, counts, strict=True):
            category = "sawit" if code == "61.72.03" else "PU"
            OfficialCountFactory(
                period=period, kecamatan_code=code, category=category, active_participants=n
            )
    db.session.commit()
