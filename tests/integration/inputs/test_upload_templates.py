"""The BPJS payment and member uploads have downloadable XLSX templates like the employee
upload (one writer, `services.uploads.template`), linked on their upload pages; a template
filled in the way clerks type passes the dry run."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from portal.extensions import db
from portal.models import BpjsUpload
from portal.services.membership.uploads import MEMBER_LAYOUT, PAYMENT_LAYOUT
from tests.factories import UserFactory, make_nik
from tests.factories_bpjs import FundedBatchFactory, MembershipFactory


@pytest.fixture
def officer(client, auth):
    user = UserFactory(role="bpjs_officer")
    db.session.commit()
    auth.login(user)
    return user


def _workbook(response):
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in response.headers["Content-Disposition"]
    return load_workbook(io.BytesIO(response.data))


def _upload(client, url, workbook):
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return client.post(url, data={"file": (out, "isi.xlsx")}, content_type="multipart/form-data")


def test_payment_template_has_the_indonesian_headers_and_is_linked(client, officer):
    page = client.get("/bpjs/payments/upload").get_data(as_text=True)
    assert 'href="/bpjs/payments/template.xlsx"' in page
    assert "Nomor KPJ, Bulan Iuran" in page and "paid_on" not in page
    workbook = _workbook(client.get("/bpjs/payments/template.xlsx"))
    sheet = workbook["Iuran"]
    assert [c.value for c in sheet[1]] == PAYMENT_LAYOUT.headers
    assert sheet.column_dimensions["A"].number_format == "@"  # KPJ stays text
    assert "Petunjuk" in workbook.sheetnames


def test_a_filled_payment_template_passes_the_dry_run(client, officer):
    m = MembershipFactory(start_date=date(2026, 1, 1))
    db.session.commit()
    workbook = _workbook(client.get("/bpjs/payments/template.xlsx"))
    workbook["Iuran"].append([m.kpj, "01-2026", "Rp 277.200", "10-02-2026", "bank"])
    assert _upload(client, "/bpjs/payments/upload", workbook).status_code == 302
    upload = db.session.scalar(select(BpjsUpload))
    assert (upload.row_count, upload.error_count) == (1, 0)


def test_member_template_has_the_indonesian_headers_and_is_linked(client, officer):
    batch = FundedBatchFactory(quota=5)
    db.session.commit()
    page = client.get(f"/bpjs/batches/{batch.id}/upload").get_data(as_text=True)
    assert 'href="/bpjs/batches/member-template.xlsx"' in page
    assert "Tanggal Lahir (DD-MM-YYYY)" in page
    workbook = _workbook(client.get("/bpjs/batches/member-template.xlsx"))
    sheet = workbook["Peserta"]
    assert [c.value for c in sheet[1]] == MEMBER_LAYOUT.headers
    assert sheet.column_dimensions["A"].number_format == "@"  # NIK stays text
    assert {"Kelurahan", "Petunjuk"} <= set(workbook.sheetnames)


def test_a_filled_member_template_passes_the_dry_run(client, officer):
    batch = FundedBatchFactory(quota=5)
    db.session.commit()
    workbook = _workbook(client.get("/bpjs/batches/member-template.xlsx"))
    birth = date(1975, 6, 1)
    nik = make_nik(birth, "L")
    workbook["Peserta"].append(
        [f"{nik[:4]} {nik[4:8]} {nik[8:12]} {nik[12:]}", "Pekerja Sawit", "01-06-1975", "L",
         "0812-5678-9012", "61.72.01.1001", "Buruh", "2612 0500 017"]
    )  # fmt: skip
    assert _upload(client, f"/bpjs/batches/{batch.id}/upload", workbook).status_code == 302
    upload = db.session.scalar(select(BpjsUpload))
    assert (upload.row_count, upload.error_count) == (1, 0)


@pytest.mark.parametrize(
    "url", ["/bpjs/payments/template.xlsx", "/bpjs/batches/member-template.xlsx"]
)
def test_templates_are_for_bpjs_staff_only(client, login_as, url):
    login_as("business_owner")
    assert client.get(url).status_code == 403
