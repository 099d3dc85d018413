"""Owner side: own memberships with KPJ and state, decisions with reasons, dues, arrears, card."""

from __future__ import annotations

from datetime import date

from portal.extensions import db
from portal.models import AuditEvent
from tests.factories import BusinessFactory, EmploymentFactory
from tests.factories_bpjs import EnrolmentRequestFactory, MembershipFactory, PaymentFactory


def _own_membership(owner, **kwargs):
    business = BusinessFactory(owner=owner)
    return MembershipFactory(employment=EmploymentFactory(business=business), **kwargs)


def test_owner_sees_kpj_state_and_card_link_of_own_memberships(client, login_as):
    owner = login_as("business_owner")
    mine = _own_membership(owner, state="lapsed", lapsed_at=date(2026, 3, 20))
    other = MembershipFactory()
    db.session.commit()
    html = client.get("/employer/memberships").get_data(as_text=True)
    assert mine.kpj in html and other.kpj not in html
    assert f"/employer/memberships/{mine.id}/card.pdf" in html


def test_owner_sees_return_and_reject_reasons_and_the_kpj(client, login_as):
    owner = login_as("business_owner")
    business = BusinessFactory(owner=owner)
    EnrolmentRequestFactory(
        employment=EmploymentFactory(business=business),
        state="returned",
        return_reason="Upah kurang dari UMK",
        decided_at=None,
    )
    EnrolmentRequestFactory(
        employment=EmploymentFactory(business=business), state="enrolled", kpj="26000000555"
    )
    db.session.commit()
    html = client.get("/employer/memberships").get_data(as_text=True)
    assert "Upah kurang dari UMK" in html and "26000000555" in html


def test_owner_sees_dues_payments_and_lapsed_state(client, login_as):
    owner = login_as("business_owner")
    m = _own_membership(
        owner, start_date=date(2026, 1, 1), state="lapsed", lapsed_at=date(2026, 3, 20)
    )
    PaymentFactory(membership=m, period="2026-01")
    db.session.commit()
    html = client.get(f"/employer/memberships/{m.id}").get_data(as_text=True)
    assert "2026-01" in html and "Rp 277.200" in html
    assert "badge text-bg-warning" in html  # lapsed


def test_owner_sees_arrears_with_late_fine(client, login_as):
    owner = login_as("business_owner")
    m = _own_membership(owner, start_date=date(2026, 1, 1))
    db.session.commit()
    html = client.get("/employer/arrears").get_data(as_text=True)
    assert m.business.name in html and m.kpj in html


def test_owner_downloads_own_card_and_it_is_audited(client, login_as):
    owner = login_as("business_owner")
    m = _own_membership(owner)
    db.session.commit()
    response = client.get(f"/employer/memberships/{m.id}/card.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert db.session.query(AuditEvent).filter_by(action="membership.card_downloaded").count() == 1


def test_owner_guessing_another_business_membership_gets_404(client, login_as):
    login_as("business_owner")
    other = MembershipFactory()
    db.session.commit()
    assert client.get(f"/employer/memberships/{other.id}").status_code == 404
    assert client.get(f"/employer/memberships/{other.id}/card.pdf").status_code == 404


def test_bpjs_staff_cannot_use_the_owner_pages(client, login_as):
    login_as("bpjs_officer")
    assert client.get("/employer/memberships").status_code == 403


def test_owner_memberships_page_runs_fixed_queries(client, login_as, count_queries):
    owner = login_as("business_owner")
    _own_membership(owner)
    db.session.commit()
    with count_queries() as few:
        client.get("/employer/memberships")
        client.get("/employer/arrears")
    for _ in range(6):
        _own_membership(owner)
    db.session.commit()
    with count_queries() as many:
        client.get("/employer/memberships")
        client.get("/employer/arrears")
    assert few.count == many.count
