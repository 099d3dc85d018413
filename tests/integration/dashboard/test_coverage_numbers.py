"""Coverage figures checked against the hand-computed small city (see conftest.py)."""

from __future__ import annotations

import pytest

from portal.services.coverage.periods import Month
from portal.services.coverage.stats import Scope, coverage_report, sector_names

END = Month(2026, 3)


@pytest.fixture
def report(small_city):
    return coverage_report(Scope(END, months=4), sector_names("en"))


def by_key(rows):
    return {r.key: r for r in rows}


def test_members_counted_month_by_month_follow_start_end_and_lapse(report):
    assert [p.key for p in report.series] == ["2025-12", "2026-01", "2026-02", "2026-03"]
    assert [p.members for p in report.series] == [5, 6, 4, 5]


def test_city_workforce_uses_the_estimate_in_force_each_month(report):
    # Tengah's correction to 8 applies from 2026-02: 10+5+60 = 75, then 8+5+60 = 73.
    assert [p.workforce for p in report.series] == [75, 75, 73, 73]


def test_coverage_is_official_participants_over_the_workforce(report):
    # Hand-computed: 10/75, 12/75, 15/73, 17/73 (conftest.OFFICIAL); the portal's 5 members
    # in March are 5/17 of the official count.
    assert [p.official for p in report.series] == [10, 12, 15, 17]
    assert [round(p.pct, 2) for p in report.series] == [13.33, 16.0, 20.55, 23.29]
    assert report.headline.key == "2026-03" and not report.is_fallback
    assert report.headline.portal_pct == pytest.approx(100 * 5 / 17)
    assert report.portal_changes == [None, 1, -2, 1]


def test_without_an_official_count_for_the_month_the_last_month_with_one_is_shown(small_city):
    report = coverage_report(Scope(Month(2026, 4), months=4))
    assert report.now.key == "2026-04" and report.now.official is None and report.now.pct is None
    assert report.is_fallback and report.headline.key == "2026-03"
    assert report.headline.pct == pytest.approx(100 * 17 / 73)


def test_a_month_missing_one_kecamatan_has_no_city_figure(small_city):
    from portal.extensions import db
    from portal.models import OfficialCount

    db.session.query(OfficialCount).filter_by(period="2026-03", kecamatan_code="61.72.05").delete()
    db.session.commit()
    report = coverage_report(Scope(END, months=4))
    assert report.now.official is None
    assert report.headline.key == "2026-02" and report.is_fallback
    tengah = coverage_report(Scope(END, months=4, kecamatan="61.72.01"))
    assert tengah.headline.key == "2026-03" and tengah.headline.official == 4


def test_no_official_count_at_all_shows_no_coverage(app):
    report = coverage_report(Scope(END, months=4))
    assert report.headline is None and report.now.pct is None
    assert all(p.unknown for p in report.projections)


def test_target_in_force_changes_with_the_later_target(report):
    assert [p.target_pct for p in report.series] == [40, 40, 45, 45]


def test_coverage_by_kecamatan_in_the_report_month(report):
    rows = by_key(report.by_kecamatan)
    assert (rows["61.72.01"].members, rows["61.72.01"].workforce) == (2, 8)
    assert rows["61.72.01"].official == 4
    assert rows["61.72.01"].pct == pytest.approx(50.0)
    assert rows["61.72.02"].pct == pytest.approx(40.0)
    assert rows["61.72.03"].pct == pytest.approx(20.0)
    assert rows["61.72.04"].members == 0
    assert rows["-"].members == 1  # H has no kelurahan: counted city-wide only


def test_coverage_by_category_and_sector(report):
    categories = {r.key: r.members for r in report.by_category}
    assert categories == {"PU": 1, "BPU": 2, "jakon": 0, "rentan": 1, "sawit": 1}
    official = {r.key: r.official for r in report.by_category}
    assert official == {"PU": 13, "BPU": 0, "jakon": 0, "rentan": 0, "sawit": 4}
    sectors = {r.key: r.members for r in report.by_sector}
    assert sectors["fisheries"] == 1
    assert sectors["-"] == 4
    assert all(r.workforce is None for r in report.by_sector)  # no sector estimates entered


def test_category_series_month_by_month(report):
    assert report.category_series["BPU"] == [2, 3, 2, 2]  # D lapses in Feb, B joins in Jan
    assert report.category_series["rentan"] == [0, 0, 0, 1]


def test_kecamatan_filter_narrows_members_and_workforce(small_city):
    report = coverage_report(Scope(END, months=4, kecamatan="61.72.01"))
    assert [p.members for p in report.series] == [3, 4, 2, 2]
    assert [p.workforce for p in report.series] == [10, 10, 8, 8]
    assert report.area_label == "Singkawang Tengah"
    assert [r.key for r in report.by_kecamatan] == ["61.72.01"]


def test_projection_at_the_official_pace_of_the_last_three_months(report):
    # Official 17 in March vs 10 in December: 7/3 a month. 40% of 73 → 30 (13 to go, 6
    # months: 2026-09); 50% → 37 (20 to go, 9 months: 2026-12).
    low, high = report.projections
    assert low.monthly_gain == pytest.approx(7 / 3)
    assert (low.target_pct, low.target_members, str(low.month)) == (40, 30, "2026-09")
    assert (high.target_pct, high.target_members, str(high.month)) == (50, 37, "2026-12")


def test_city_coverage_is_not_shown_while_a_kecamatan_has_no_estimate(app):
    from tests.factories_dashboard import EstimateFactory, MemberFactory

    MemberFactory(kelurahan_code="61.72.01.1001")
    EstimateFactory(kecamatan_code="61.72.01", estimated_workforce=10)
    report = coverage_report(Scope(END, months=6))
    assert report.now.members == 1
    assert report.now.workforce is None and report.now.pct is None
    assert report.headline is None
    assert "Singkawang Barat" in report.missing_estimates
    assert report.projection.unknown


def test_coverage_export_csv_has_the_same_numbers(client, login_as, small_city):
    login_as("labour_officer")
    response = client.get("/dashboard/export/coverage-monthly.csv?period=2026-03&months=6")
    assert response.status_code == 200
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[-4:] == [
        "2025-12,10,75,13.33,5,50.0,40.0",
        "2026-01,12,75,16.0,6,50.0,40.0",
        "2026-02,15,73,20.55,4,26.67,45.0",
        "2026-03,17,73,23.29,5,29.41,45.0",
    ]


def test_a_kecamatan_target_replaces_the_city_target_from_its_period(small_city):
    from tests.factories_dashboard import TargetFactory

    TargetFactory(kecamatan_code="61.72.01", period="2026-03", target_pct=30)
    report = coverage_report(Scope(END, months=4, kecamatan="61.72.01"))
    assert [p.target_pct for p in report.series] == [40, 40, 45, 30]
    city = coverage_report(Scope(END, months=4))
    assert city.series[-1].target_pct == 45


@pytest.fixture
def sector_city(small_city):
    """The small city plus two sector members and fisheries workforce estimates.

    | member | area  | sector    | start      | end              | counted in   |
    |--------|-------|-----------|------------|------------------|--------------|
    | A      | Tengah| fisheries | 2025-06-15 | –                | Dec Jan Feb Mar (small city) |
    | F      | Barat | fisheries | 2026-02-10 | –                | Feb Mar      |
    | T      | Timur | trade     | 2026-01-05 | ended 2026-02-20 | Jan Feb      |

    Fisheries workforce: Tengah 4 from 2025-01, corrected to 2 from 2026-02; Barat, Timur,
    Utara and Selatan 1 each from 2025-01. City: 4+4 = 8 until January, 2+4 = 6 from
    February. Fisheries coverage: 1/8, 1/8, 2/6, 2/6. The other small-city members have no
    business: 4, 5, 3, 4 (C and D leave, B and E join).
    """
    from datetime import date

    from portal.extensions import db
    from tests.factories import BusinessFactory
    from tests.factories_dashboard import EstimateFactory, MemberFactory

    boats = BusinessFactory(sector_code="fisheries", kelurahan_code="61.72.02.1001")
    shop = BusinessFactory(sector_code="trade", kelurahan_code="61.72.03.1001")
    MemberFactory(kelurahan_code="61.72.02.1001", start_date=date(2026, 2, 10), business=boats)
    MemberFactory(
        kelurahan_code="61.72.03.1001",
        start_date=date(2026, 1, 5),
        end_date=date(2026, 2, 20),
        state="ended",
        business=shop,
    )
    EstimateFactory(kecamatan_code="61.72.01", sector_code="fisheries", estimated_workforce=4)
    EstimateFactory(
        kecamatan_code="61.72.01", sector_code="fisheries", period="2026-02", estimated_workforce=2
    )
    for code in ("61.72.02", "61.72.03", "61.72.04", "61.72.05"):
        EstimateFactory(kecamatan_code=code, sector_code="fisheries", estimated_workforce=1)
    db.session.commit()


def _series(report) -> dict[str, list[tuple]]:
    return {
        s.key: [(p.key, p.members, p.workforce, p.pct) for p in s.points]
        for s in report.sector_series
    }


def test_sector_coverage_month_by_month(sector_city):
    # No official counts by sector: portal members and workforce only, no coverage.
    report = coverage_report(Scope(END, months=4), sector_names("en"))
    assert [s.key for s in report.sector_series] == ["trade", "fisheries", "-"]
    assert {s.key: s.label for s in report.sector_series}["fisheries"] == "Fisheries"
    assert _series(report) == {
        "trade": [
            ("2025-12", 0, None, None),
            ("2026-01", 1, None, None),
            ("2026-02", 1, None, None),
            ("2026-03", 0, None, None),
        ],
        "fisheries": [
            ("2025-12", 1, 8, None),
            ("2026-01", 1, 8, None),
            ("2026-02", 2, 6, None),
            ("2026-03", 2, 6, None),
        ],
        "-": [
            ("2025-12", 4, None, None),
            ("2026-01", 5, None, None),
            ("2026-02", 3, None, None),
            ("2026-03", 4, None, None),
        ],
    }
    # Every month, the sectors add up to the city's members.
    totals = [sum(s.points[i].members for s in report.sector_series) for i in range(4)]
    assert totals == [p.members for p in report.series] == [5, 7, 6, 6]


def test_sector_series_follows_the_kecamatan_and_the_months_shown(sector_city):
    tengah = coverage_report(Scope(END, months=4, kecamatan="61.72.01"), sector_names("en"))
    assert _series(tengah)["fisheries"] == [
        ("2025-12", 1, 4, None),
        ("2026-01", 1, 4, None),
        ("2026-02", 1, 2, None),
        ("2026-03", 1, 2, None),
    ]
    assert "trade" not in _series(tengah)  # T works in Timur
    short = coverage_report(Scope(END, months=2), sector_names("en"))
    assert _series(short)["fisheries"] == [("2026-02", 2, 6, None), ("2026-03", 2, 6, None)]


def test_sector_month_by_month_table_on_the_page_and_in_the_export(client, login_as, sector_city):
    login_as("trade_head")
    page = client.get("/dashboard/?period=2026-03").get_data(as_text=True)
    assert 'id="table-coverage-sector-monthly"' in page
    response = client.get("/dashboard/export/coverage-sector-monthly.csv?period=2026-03&months=6")
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    fisheries = [line for line in lines if line.startswith("Perikanan,")]
    assert fisheries == [
        "Perikanan,2025-10,1,8",
        "Perikanan,2025-11,1,8",
        "Perikanan,2025-12,1,8",
        "Perikanan,2026-01,1,8",
        "Perikanan,2026-02,2,6",
        "Perikanan,2026-03,2,6",
    ]
