"""Directory: filters in SQL, pagination, CSV/XLSX exports with formula escaping."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from portal.extensions import db
from tests.factories import BusinessFactory, EmploymentFactory
from tests.factories_trade import MembershipFactory, PendingBusinessFactory


def _text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def businesses(app):
    made = {
        "roban_trade": BusinessFactory(name="Toko Roban", kelurahan_code="61.72.01.1001"),
        "pasiran_food": BusinessFactory(
            name="Kedai Pasiran", kelurahan_code="61.72.02.1001", sector_code="food_drink"
        ),
        "naram_kecil": BusinessFactory(
            name="Bengkel Naram", kelurahan_code="61.72.04.1002", scale="kecil"
        ),
        "pending": PendingBusinessFactory(name="Usaha Menunggu", kelurahan_code="61.72.01.1002"),
    }
    # Toko Roban: one employee without membership. Kedai Pasiran: its employee is enrolled.
    EmploymentFactory(business=made["roban_trade"])
    enrolled = EmploymentFactory(business=made["pasiran_food"])
    MembershipFactory(worker=enrolled.worker, business=made["pasiran_food"])
    # Bengkel Naram: its only unenrolled employee has left.
    EmploymentFactory(business=made["naram_kecil"], end_date=enrolled.start_date)
    db.session.commit()
    return made


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"Toko Roban", "Kedai Pasiran", "Bengkel Naram", "Usaha Menunggu"}),
        ("kecamatan=61.72.01", {"Toko Roban", "Usaha Menunggu"}),
        ("kelurahan=61.72.02.1001", {"Kedai Pasiran"}),
        ("sector=food_drink", {"Kedai Pasiran"}),
        ("scale=kecil", {"Bengkel Naram"}),
        ("state=pending", {"Usaha Menunggu"}),
        ("unenrolled=y", {"Toko Roban"}),
        ("q=naram", {"Bengkel Naram"}),
        ("kecamatan=61.72.01&state=verified", {"Toko Roban"}),
    ],
)
def test_directory_filters(client, officer, businesses, query, expected):
    response = client.get(f"/disperindagkop/directory?{query}")
    assert response.status_code == 200
    shown = {b.name for b in businesses.values() if b.name in _text(response)}
    assert shown == expected


def test_an_unknown_filter_value_is_ignored_not_fatal(client, officer, businesses):
    response = client.get("/disperindagkop/directory?sector=nope&kecamatan=zz&page=abc")
    assert response.status_code == 200


def test_directory_is_paginated(app, client, officer):
    BusinessFactory.create_batch(app.config["PAGE_SIZE"] + 3)
    db.session.commit()
    first = _text(client.get("/disperindagkop/directory"))
    assert "?page=2" in first
    second = client.get("/disperindagkop/directory?page=2")
    assert second.status_code == 200


def test_csv_export_escapes_formula_cells(client, officer):
    BusinessFactory(name='=HYPERLINK("http://evil")', address="+62 Jl. Test", phone="@123")
    db.session.commit()
    response = client.get("/disperindagkop/directory/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    body = response.get_data(as_text=True)
    assert "'=HYPERLINK" in body
    assert "'+62 Jl. Test" in body
    assert "'@123" in body
    assert "NIB" in body.splitlines()[0]


def test_xlsx_export_escapes_formula_cells_and_keeps_filters(client, officer):
    BusinessFactory(name="-2+3", sector_code="crafts")
    BusinessFactory(name="Tidak Terpilih", sector_code="trade")
    db.session.commit()
    response = client.get("/disperindagkop/directory/export.xlsx?sector=crafts")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    names = [row[1].value for row in sheet.iter_rows(min_row=2)]
    assert names == ["'-2+3"]


def test_export_is_audited(client, officer, audit_actions):
    client.get("/disperindagkop/directory/export.csv")
    assert "directory.exported" in audit_actions()


def test_unknown_export_format_is_404(client, officer):
    assert client.get("/disperindagkop/directory/export.pdf").status_code == 404


def test_owner_cannot_see_the_directory(client, login_as):
    login_as("business_owner")
    assert client.get("/disperindagkop/directory").status_code == 403
    assert client.get("/disperindagkop/directory/export.csv").status_code == 403


def test_directory_runs_a_fixed_number_of_queries(client, officer, count_queries):
    def measure() -> int:
        with count_queries() as q:
            assert client.get("/disperindagkop/directory?unenrolled=y").status_code == 200
        with count_queries() as q2:
            assert client.get("/disperindagkop/directory").status_code == 200
        return q.count + q2.count * 1000

    EmploymentFactory()
    db.session.commit()
    small = measure()
    for _ in range(12):
        EmploymentFactory(business=BusinessFactory(kelurahan_code="61.72.05.1001"))
    db.session.commit()
    assert measure() == small
