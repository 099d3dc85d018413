"""The outreach funnel per kecamatan and sector, for a period."""

from __future__ import annotations

from datetime import UTC, date, datetime

from portal.extensions import db
from portal.services.outreach.funnel import funnel_totals, outreach_funnel
from tests.factories import BusinessFactory
from tests.factories_trade import MembershipFactory, OutreachEventFactory

MARCH = datetime(2026, 3, 12, 3, 0, tzinfo=UTC)


def _funnel_data():
    tengah = BusinessFactory(
        kelurahan_code="61.72.01.1001",
        sector_code="trade",
        created_at=MARCH,
        verified_at=MARCH,
        verification_state="verified",
    )
    also_tengah = BusinessFactory(
        kelurahan_code="61.72.01.1003",
        sector_code="trade",
        created_at=MARCH,
        verification_state="pending",
    )
    barat = BusinessFactory(
        kelurahan_code="61.72.02.1001",
        sector_code="food_drink",
        created_at=MARCH,
        verified_at=MARCH,
        verification_state="verified",
    )
    old = BusinessFactory(
        kelurahan_code="61.72.01.1001", created_at=datetime(2025, 1, 1, tzinfo=UTC)
    )
    OutreachEventFactory(held_on=date(2026, 3, 1), businesses=[tengah, also_tengah, old])
    OutreachEventFactory(
        held_on=date(2026, 3, 8), businesses=[tengah]
    )  # reached twice, counted once
    OutreachEventFactory(held_on=date(2025, 12, 1), businesses=[barat])  # outside the period
    MembershipFactory(business=tengah, start_date=date(2026, 3, 20))
    MembershipFactory(business=tengah, start_date=date(2026, 3, 21))
    MembershipFactory(business=barat, start_date=date(2026, 3, 2), state="ended")  # not active
    db.session.commit()


def test_funnel_counts_each_stage_per_kecamatan_and_sector(app):
    _funnel_data()
    rows = {
        (r.kecamatan_code, r.sector_code): r
        for r in outreach_funnel(date(2026, 3, 1), date(2026, 3, 31))
    }
    tengah = rows[("61.72.01", "trade")]
    assert (tengah.reached, tengah.registered, tengah.verified) == (3, 2, 1)
    assert (tengah.with_enrolled_workers, tengah.workers_enrolled) == (1, 2)
    assert tengah.kecamatan_name == "Singkawang Tengah"
    barat = rows[("61.72.02", "food_drink")]
    assert (barat.reached, barat.registered, barat.verified, barat.workers_enrolled) == (0, 1, 1, 0)
    assert funnel_totals(list(rows.values()))["registered"] == 3


def test_funnel_for_one_kecamatan(app):
    _funnel_data()
    rows = outreach_funnel(date(2026, 3, 1), date(2026, 3, 31), kecamatan="61.72.02")
    assert {r.kecamatan_code for r in rows} == {"61.72.02"}


def test_funnel_uses_a_fixed_number_of_queries(app, count_queries):
    with count_queries() as empty:
        outreach_funnel(date(2026, 1, 1), date(2026, 12, 31))
    _funnel_data()
    with count_queries() as full:
        outreach_funnel(date(2026, 1, 1), date(2026, 12, 31))
    assert empty.count == full.count == 6


def test_funnel_page_and_export(client, officer):
    _funnel_data()
    response = client.get("/disperindagkop/funnel?start=2026-03-01&end=2026-03-31")
    assert response.status_code == 200
    assert "Singkawang Tengah" in response.get_data(as_text=True)
    export = client.get("/disperindagkop/funnel/export.csv?start=2026-03-01&end=2026-03-31")
    assert export.status_code == 200
    assert "Singkawang Tengah" in export.get_data(as_text=True)


def test_funnel_page_survives_bad_dates(client, officer):
    assert client.get("/disperindagkop/funnel?start=nope&end=2026-13-40").status_code == 200


def test_owner_cannot_see_the_funnel(client, login_as):
    login_as("business_owner")
    assert client.get("/disperindagkop/funnel").status_code == 403
