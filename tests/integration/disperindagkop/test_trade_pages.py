"""Every page of the area renders for its roles, in Indonesian by default."""

from __future__ import annotations

from datetime import date

import pytest

from portal.extensions import db
from tests.factories import BusinessFactory
from tests.factories_trade import (
    ComplianceCaseFactory,
    FieldBusinessFactory,
    OutreachEventFactory,
    ReferralFactory,
)


@pytest.fixture
def records(app):
    business = FieldBusinessFactory(name="Usaha Halaman")
    made = {
        "business": business,
        "event": OutreachEventFactory(businesses=[business]),
        "referral": ReferralFactory(business=business),
        "case": ComplianceCaseFactory(
            state="fined",
            sp2_issued_on=date(2026, 2, 17),
            sp2_due=date(2026, 3, 3),
            contributions_due=9_000_000,
            fine_days=15,
            fine_amount=4_500,
            fined_on=date(2026, 3, 18),
            withholding_requested_on=date(2026, 3, 19),
            requested_services="business_permit",
        ),
    }
    db.session.commit()
    return made


@pytest.mark.parametrize("role", ["trade_officer", "trade_head"])
def test_trade_pages_render(client, login_as, records, role):
    login_as(role)
    urls = [
        "/disperindagkop/",
        "/disperindagkop/businesses/pending",
        f"/disperindagkop/businesses/{records['business'].id}",
        "/disperindagkop/businesses/new",
        f"/disperindagkop/businesses/{records['business'].id}/refer",
        "/disperindagkop/directory",
        "/disperindagkop/outreach",
        "/disperindagkop/outreach/new",
        f"/disperindagkop/outreach/{records['event'].id}",
        "/disperindagkop/referrals",
        f"/disperindagkop/referrals/{records['referral'].id}",
        "/disperindagkop/compliance",
        f"/disperindagkop/compliance/{records['case'].id}",
        "/disperindagkop/funnel",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'lang="id"' in response.get_data(as_text=True)
    case_page = client.get(f"/disperindagkop/compliance/{records['case'].id}")
    assert "Catat layanan yang ditahan" in case_page.get_data(as_text=True)


@pytest.mark.parametrize("role", ["bpjs_officer", "bpjs_head"])
def test_bpjs_pages_render(client, login_as, records, role):
    login_as(role)
    for url in [
        "/bpjs/referrals",
        f"/bpjs/referrals/{records['referral'].id}",
        "/bpjs/compliance",
        "/bpjs/compliance?view=all",
        "/bpjs/compliance/new",
        f"/bpjs/compliance/{records['case'].id}",
    ]:
        assert client.get(url).status_code == 200, url


def test_missing_records_are_404(client, login_as):
    login_as("trade_officer")
    for url in [
        "/disperindagkop/businesses/999",
        "/disperindagkop/outreach/999",
        "/disperindagkop/referrals/999",
        "/disperindagkop/compliance/999",
    ]:
        assert client.get(url).status_code == 404, url


def test_owner_cannot_open_another_owners_case_pages(client, login_as, records):
    login_as("business_owner")
    assert client.get(f"/disperindagkop/compliance/{records['case'].id}").status_code == 403
    assert client.get(f"/bpjs/compliance/{records['case'].id}").status_code == 403
    page = client.get("/employer/compliance").get_data(as_text=True)
    assert records["case"].business.name not in page


def test_index_counts_what_waits_for_the_office(client, login_as, records):
    login_as("trade_officer")
    BusinessFactory(verification_state="pending")
    db.session.commit()
    page = client.get("/disperindagkop/").get_data(as_text=True)
    assert "2 usaha menunggu verifikasi" in page
    assert "1 permintaan penahanan layanan" in page
