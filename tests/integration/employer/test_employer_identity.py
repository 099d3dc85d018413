"""NIK conflicts: clear field messages, nothing saved, and no business sees another's records."""

from __future__ import annotations

import io
from datetime import date

from sqlalchemy import func, select

from portal.domain.clock import today_wib
from portal.extensions import db
from portal.models import AuditEvent, EmployeeUpload, Employment, Worker
from portal.services.membership.common import add_months
from tests.factories import BusinessFactory, EmploymentFactory, UserFactory, WorkerFactory, make_nik
from tests.factories_bpjs import MembershipFactory
from tests.factories_employer import row, xlsx_bytes

BIRTH = date(1990, 5, 17)
NIK = make_nik(BIRTH, "L", serial=5511)


def employee_form(**overrides) -> dict:
    data = {
        "nik": NIK,
        "full_name": "Ahmad Fauzi",
        "birth_date": BIRTH.isoformat(),
        "sex": "L",
        "kelurahan_code": "61.72.01.1002",
        "occupation": "Juru masak",
        "category": "PU",
        "monthly_amount": "3000000",
        "risk_class": "sangat_rendah",
        "start_date": "2026-01-05",
    }
    data.update(overrides)
    return data


def registered_elsewhere(**worker) -> Worker:
    """The NIK as another business registered it, with what that business recorded."""
    worker = WorkerFactory(nik=NIK, full_name="Nama Versi Usaha Lain", **worker)
    EmploymentFactory(
        business=BusinessFactory(owner=UserFactory(), name="Usaha Lain"),
        worker=worker,
        full_name="Nama Versi Usaha Lain",
        occupation="Satpam Malam",
        phone="081311112222",
    )
    db.session.commit()
    return worker


def counts() -> tuple[int, int, int]:
    return (
        db.session.scalar(select(func.count(Worker.id))),
        db.session.scalar(select(func.count(Employment.id))),
        db.session.scalar(select(func.count(AuditEvent.id))),
    )


def add(client, business, **overrides):
    return client.post(
        f"/employer/businesses/{business.id}/employees/new", data=employee_form(**overrides)
    )


def assert_nothing_from_the_other_business(html: str) -> None:
    for recorded in ("Nama Versi Usaha Lain", "Satpam Malam", "081311112222", "Usaha Lain"):
        assert recorded not in html


def test_nik_registered_with_another_birth_date_is_refused_on_the_birth_date(client, business):
    # The registry holds 18 May for a NIK whose digits say 17 May (entered elsewhere).
    registered_elsewhere(birth_date=date(1990, 5, 18), sex="L")
    before = counts()
    response = add(client, business)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="birth_date-error"' in html
    assert "NIK ini sudah terdaftar dengan tanggal lahir yang berbeda" in html
    assert "Ahmad Fauzi" in html  # the owner's input is kept
    assert "18 Mei 1990" not in html and "1990-05-18" not in html  # the registry is not shown
    assert_nothing_from_the_other_business(html)
    assert counts() == before


def test_nik_registered_with_another_sex_is_refused_on_the_sex_field(client, business):
    registered_elsewhere(birth_date=BIRTH, sex="P")
    before = counts()
    response = add(client, business)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="sex-error"' in html and 'id="birth_date-error"' not in html
    assert "NIK ini sudah terdaftar dengan jenis kelamin yang berbeda" in html
    assert_nothing_from_the_other_business(html)
    assert counts() == before


def test_the_same_nik_again_in_one_business_is_refused_even_after_the_job_ended(client, business):
    assert add(client, business).status_code == 302
    employment = db.session.scalar(select(Employment))
    employment.end_date = date(2026, 2, 28)
    db.session.commit()
    before = counts()
    response = add(client, business, full_name="Ahmad F.")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="nik-error"' in html
    assert "Pekerja ini sudah terdaftar di usaha ini." in html
    assert counts() == before


def test_upload_row_with_a_conflicting_registered_sex_is_reported_on_that_column(client, business):
    cells = row(9)
    WorkerFactory(nik=cells["NIK"], birth_date=date(1992, 3, 8), sex="L")  # file says P
    db.session.commit()
    response = client.post(
        f"/employer/businesses/{business.id}/upload",
        data={"file": (io.BytesIO(xlsx_bytes([cells])), "k.xlsx"), "js": "0"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    upload = db.session.scalar(select(EmployeeUpload))
    assert upload.error_rows == 1
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "NIK ini sudah terdaftar dengan jenis kelamin yang berbeda" in html


def test_owner_money_pages_name_the_worker_as_this_business_recorded_them(client, owner, business):
    worker = registered_elsewhere(birth_date=BIRTH, sex="L")
    mine = EmploymentFactory(business=business, worker=worker, full_name="Ahmad Fauzi")
    membership = MembershipFactory(
        employment=mine, start_date=add_months(today_wib(), -3), kpj="26000005511"
    )
    db.session.commit()
    for url in (
        "/employer/memberships",
        f"/employer/memberships/{membership.id}",
        "/employer/arrears",
        f"/employer/employees/{mine.id}",
    ):
        html = client.get(url).get_data(as_text=True)
        assert "Ahmad Fauzi" in html, url
        assert_nothing_from_the_other_business(html)
