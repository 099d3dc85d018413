"""The labour office keeps workforce estimates and targets: new rows with history, bad input
refused next to the field with nothing saved."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, CoverageEstimate, Target
from tests.factories_dashboard import EstimateFactory, MemberFactory

GOOD_ESTIMATE = {
    "kecamatan_code": "61.72.01",
    "period": "2026-03",
    "estimated_workforce": "12000",
    "sector_code": "",
    "category": "",
    "source": "Survei Disnaker 2026",
}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def audit(action: str) -> int:
    return db.session.scalar(select(func.count()).where(AuditEvent.action == action))


@pytest.mark.parametrize("role", ["labour_officer", "labour_head"])
def test_labour_office_records_an_estimate_and_sees_it_in_history(client, login_as, role):
    user = login_as(role)
    response = client.post("/dashboard/estimates", data=GOOD_ESTIMATE)
    assert response.status_code == 302
    estimate = db.session.scalar(select(CoverageEstimate))
    assert (estimate.kecamatan_code, estimate.period) == ("61.72.01", "2026-03")
    assert (estimate.estimated_workforce, estimate.created_by_id) == (12000, user.id)
    assert audit("coverage.estimate_recorded") == 1
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Survei Disnaker 2026" in page and "12.000" in page


def test_a_correction_is_a_new_row_and_both_stay_in_history(client, login_as):
    login_as("labour_officer")
    EstimateFactory(
        kecamatan_code="61.72.01",
        period="2026-03",
        estimated_workforce=11000,
        source="Perkiraan awal",
    )
    db.session.commit()
    assert client.post("/dashboard/estimates", data=GOOD_ESTIMATE).status_code == 302
    assert count(CoverageEstimate) == 2
    page = client.get("/dashboard/estimates").get_data(as_text=True)
    assert "Perkiraan awal" in page and "Survei Disnaker 2026" in page


def test_estimate_below_active_members_is_refused_with_nothing_saved(client, login_as):
    login_as("labour_officer")
    MemberFactory.create_batch(3, kelurahan_code="61.72.01.1001", start_date=date(2025, 1, 1))
    MemberFactory(kelurahan_code="61.72.01.1001", start_date=date(2025, 1, 1), state="lapsed")
    db.session.commit()
    response = client.post(
        "/dashboard/estimates", data={**GOOD_ESTIMATE, "estimated_workforce": "2"}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="estimated_workforce-error"' in page
    assert "3" in page.split('id="estimated_workforce-error"')[1][:300]
    assert 'value="Survei Disnaker 2026"' in page  # the input stays in the form
    assert count(CoverageEstimate) == 0 and audit("coverage.estimate_recorded") == 0
    # Exactly the active members is allowed.
    ok = client.post("/dashboard/estimates", data={**GOOD_ESTIMATE, "estimated_workforce": "3"})
    assert ok.status_code == 302


def _members_counted_in_different_months():
    """Singkawang Tengah's members, counted by month (hand-computed):

    | member | start      | end / lapse          | 2026-01 | 2026-06 |
    |--------|------------|----------------------|---------|---------|
    | M1     | 2025-01-01 | –                    | yes     | yes     |
    | M2     | 2025-03-01 | ended 2026-01-20     | yes     | no      |
    | M3     | 2025-03-01 | lapsed 2026-02-10    | yes     | no      |
    | M4     | 2026-05-01 | –                    | no      | yes     |
    | M5     | 2025-01-01 | lapsed, no date      | no      | no      |
    | M6     | 2025-01-01 | – (lives in Barat)   | no      | no      |

    Active in Tengah: 3 in 2026-01, 2 in 2026-06.
    """
    tengah, barat = "61.72.01.1001", "61.72.02.1001"
    MemberFactory(kelurahan_code=tengah, start_date=date(2025, 1, 1))
    MemberFactory(
        kelurahan_code=tengah,
        start_date=date(2025, 3, 1),
        end_date=date(2026, 1, 20),
        state="ended",
    )
    MemberFactory(
        kelurahan_code=tengah,
        start_date=date(2025, 3, 1),
        state="lapsed",
        lapsed_at=date(2026, 2, 10),
    )
    MemberFactory(kelurahan_code=tengah, start_date=date(2026, 5, 1))
    MemberFactory(kelurahan_code=tengah, start_date=date(2025, 1, 1), state="lapsed")
    MemberFactory(kelurahan_code=barat, start_date=date(2025, 1, 1))
    db.session.commit()


def test_estimate_is_checked_against_the_members_active_in_its_period(client, login_as):
    login_as("labour_officer")
    _members_counted_in_different_months()

    def post(period: str, workforce: int):
        data = {**GOOD_ESTIMATE, "period": period, "estimated_workforce": str(workforce)}
        return client.post("/dashboard/estimates", data=data)

    # January 2026: M1, M2 (ended later that month) and M3 (lapsed in February) were active.
    refused = post("2026-01", 2)
    assert refused.status_code == 400
    message = refused.get_data(as_text=True).split('id="estimated_workforce-error"')[1][:400]
    assert "3 peserta" in message and "Singkawang Tengah" in message and "2026-01" in message
    assert count(CoverageEstimate) == 0 and audit("coverage.estimate_recorded") == 0
    assert post("2026-01", 3).status_code == 302
    # June 2026: M1 and M4 (joined in May) only.
    assert post("2026-06", 1).status_code == 400
    assert post("2026-06", 2).status_code == 302
    rows = db.session.execute(
        select(CoverageEstimate.period, CoverageEstimate.estimated_workforce).order_by(
            CoverageEstimate.id
        )
    ).all()
    assert rows == [("2026-01", 3), ("2026-06", 2)]


def test_estimate_check_uses_the_same_count_as_the_coverage_report(app):
    from portal.services.coverage.periods import Month
    from portal.services.coverage.stats import Scope, active_members, coverage_report

    _members_counted_in_different_months()
    report = coverage_report(Scope(Month(2026, 6), months=6, kecamatan="61.72.01"))
    by_month = {p.key: p.members for p in report.series}
    assert by_month["2026-01"] == active_members("61.72.01", Month(2026, 1)) == 3
    assert by_month["2026-06"] == active_members("61.72.01", Month(2026, 6)) == 2
    assert active_members("61.72.01", Month(2026, 1), category="BPU") == 0


def test_estimate_for_a_sector_is_checked_against_that_sectors_members(client, login_as):
    login_as("labour_officer")
    from tests.factories import BusinessFactory

    shop = BusinessFactory(sector_code="trade")
    MemberFactory.create_batch(2, kelurahan_code="61.72.01.1001", business=shop)
    MemberFactory(kelurahan_code="61.72.01.1001")  # no business
    db.session.commit()
    data = {**GOOD_ESTIMATE, "sector_code": "trade"}
    assert (
        client.post("/dashboard/estimates", data={**data, "estimated_workforce": "1"}).status_code
        == 400
    )
    assert (
        client.post("/dashboard/estimates", data={**data, "estimated_workforce": "2"}).status_code
        == 302
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kecamatan_code": "61.72.99"}, "kecamatan_code"),
        ({"kecamatan_code": "61.72.01.1001"}, "kecamatan_code"),  # a kelurahan, not a kecamatan
        ({"kecamatan_code": ""}, "kecamatan_code"),
        ({"period": "2026-13"}, "period"),
        ({"period": "maret"}, "period"),
        ({"period": ""}, "period"),
        ({"estimated_workforce": "0"}, "estimated_workforce"),
        ({"estimated_workforce": "-5"}, "estimated_workforce"),
        ({"estimated_workforce": "banyak"}, "estimated_workforce"),
        ({"estimated_workforce": "99999999999999999999"}, "estimated_workforce"),
        ({"sector_code": "mining"}, "sector_code"),
        ({"category": "pns"}, "category"),
        ({"sector_code": "trade", "category": "PU"}, "category"),
        ({"source": "x" * 201}, "source"),
    ],
)
def test_bad_estimate_input_is_refused_next_to_its_field(client, login_as, change, field):
    login_as("labour_officer")
    response = client.post("/dashboard/estimates", data={**GOOD_ESTIMATE, **change})
    assert response.status_code == 400
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert count(CoverageEstimate) == 0


def test_labour_head_sets_a_city_target_and_a_kecamatan_target(client, login_as):
    login_as("labour_head")
    city = client.post(
        "/dashboard/targets", data={"kecamatan_code": "", "period": "2026-01", "target_pct": "40"}
    )
    area = client.post(
        "/dashboard/targets",
        data={"kecamatan_code": "61.72.03", "period": "2026-01", "target_pct": "45.5"},
    )
    assert city.status_code == area.status_code == 302
    rows = db.session.scalars(select(Target).order_by(Target.id)).all()
    assert [(t.kecamatan_code, float(t.target_pct)) for t in rows] == [
        (None, 40.0),
        ("61.72.03", 45.5),
    ]
    assert audit("coverage.target_recorded") == 2
    page = client.get("/dashboard/targets").get_data(as_text=True)
    assert "Singkawang Timur" in page


@pytest.mark.parametrize("pct", ["0", "-1", "100.01", "150", "abc", "", "NaN", "Infinity", "1e400"])
def test_target_outside_0_to_100_is_refused(client, login_as, pct):
    login_as("labour_officer")
    response = client.post(
        "/dashboard/targets", data={"kecamatan_code": "", "period": "2026-01", "target_pct": pct}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="target_pct-error"' in page
    assert count(Target) == 0 and audit("coverage.target_recorded") == 0


def test_target_for_an_unknown_kecamatan_or_period_is_refused(client, login_as):
    login_as("labour_officer")
    bad_area = client.post(
        "/dashboard/targets",
        data={"kecamatan_code": "61.72.77", "period": "2026-01", "target_pct": "40"},
    )
    bad_period = client.post(
        "/dashboard/targets", data={"kecamatan_code": "", "period": "2026/01", "target_pct": "40"}
    )
    assert bad_area.status_code == bad_period.status_code == 400
    assert 'id="kecamatan_code-error"' in bad_area.get_data(as_text=True)
    assert 'id="period-error"' in bad_period.get_data(as_text=True)
    assert count(Target) == 0


def test_target_of_exactly_100_is_accepted(client, login_as):
    login_as("labour_officer")
    response = client.post(
        "/dashboard/targets", data={"kecamatan_code": "", "period": "2026-01", "target_pct": "100"}
    )
    assert response.status_code == 302
