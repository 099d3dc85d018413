"""The owner's home and lists: figures, to-dos, isolation, and a fixed number of queries."""

from __future__ import annotations

import io

from sqlalchemy import select

from portal.extensions import db
from portal.models import EmployeeUpload
from tests.factories import BusinessFactory, EmploymentFactory, UserFactory
from tests.factories_bpjs import MembershipFactory
from tests.factories_employer import EnrolmentRequestFactory, row, xlsx_bytes


def test_home_shows_figures_and_what_needs_action(client, owner, business):
    enrolled = EmploymentFactory(business=business, monthly_amount=5_000_000)
    request = EnrolmentRequestFactory(
        employment=enrolled, state="enrolled", kpj="26000000001", monthly_contribution=462_000
    )
    # Dues come from the membership the enrolment created (its own figures).
    MembershipFactory(
        employment=enrolled,
        kpj=request.kpj,
        monthly_amount=5_000_000,
        enrolment_request_id=request.id,
    )
    returned = EmploymentFactory(business=business, full_name="Siti Perlu Koreksi")
    EnrolmentRequestFactory(employment=returned, state="returned", return_reason="NIK buram")
    EmploymentFactory(business=business)
    BusinessFactory(owner=owner, verification_state="pending", name="Usaha Baru")
    BusinessFactory(owner=UserFactory(), name="Usaha Orang Lain")
    db.session.commit()
    html = client.get("/employer/").get_data(as_text=True)
    assert 'data-testid="total-employees">3<' in html
    assert "1 / 2" in html  # enrolled / not enrolled
    assert "Rp 462.000" in html
    assert "Siti Perlu Koreksi" in html and "NIK buram" in html
    assert "Usaha Baru" in html
    assert "Usaha Orang Lain" not in html


def _grow(business, n):
    for _ in range(n):
        employment = EmploymentFactory(business=business)
        EnrolmentRequestFactory(employment=employment, state="returned", return_reason="x")
    db.session.commit()


def _queries(client, count_queries, url):
    client.get(url)  # warm caches (rates, translations) outside the measurement
    with count_queries() as q:
        response = client.get(url)
    assert response.status_code == 200, url
    return q.count


def test_pages_run_a_fixed_number_of_queries(client, owner, business, count_queries):
    _grow(business, 2)
    employment_id = EmploymentFactory(business=business).id
    db.session.commit()
    urls = [
        "/employer/",
        f"/employer/businesses/{business.id}",
        f"/employer/businesses/{business.id}?enrolment=returned&q=Pek",
        f"/employer/employees/{employment_id}",
        "/employer/enrolments",
    ]
    small = {url: _queries(client, count_queries, url) for url in urls}
    _grow(business, 30)
    for _ in range(3):
        BusinessFactory(owner=owner)
    db.session.commit()
    large = {url: _queries(client, count_queries, url) for url in urls}
    assert small == large
    assert max(large.values()) <= 12, large


def test_upload_report_runs_a_fixed_number_of_queries(client, business, count_queries):
    counts = []
    for size in (2, 60):
        content = xlsx_bytes([row(i) for i in range(1, size + 1)])
        client.post(
            f"/employer/businesses/{business.id}/upload",
            data={"file": (io.BytesIO(content), "k.xlsx")},
            content_type="multipart/form-data",
        )
        token = db.session.scalar(select(EmployeeUpload.token).order_by(EmployeeUpload.id.desc()))
        counts.append(_queries(client, count_queries, f"/employer/uploads/{token}"))
    assert counts[0] == counts[1], counts
