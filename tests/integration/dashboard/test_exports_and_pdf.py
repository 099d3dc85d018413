"""Every dashboard table downloads as CSV and XLSX with the page's numbers; the PDF summary
is one page."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

TABLES = [
    "coverage-monthly",
    "coverage-kecamatan",
    "coverage-sector",
    "coverage-category",
    "coverage-category-monthly",
    "coverage-sector-monthly",
    "pipeline-monthly",
    "trade-funnel",
    "trade-funnel-detail",
    "complaints",
    "reprimands",
    "funded-batches",
]


@pytest.mark.parametrize("name", TABLES)
def test_each_table_exports_to_csv_and_xlsx(client, login_as, small_city, name):
    login_as("labour_head")
    csv = client.get(f"/dashboard/export/{name}.csv?period=2026-03")
    xlsx = client.get(f"/dashboard/export/{name}.xlsx?period=2026-03")
    assert csv.status_code == xlsx.status_code == 200
    assert csv.mimetype == "text/csv"
    assert f'filename="{name}-2026-03-kota.csv"' in csv.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    csv_rows = csv.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert sheet.max_row == len(csv_rows)


def test_xlsx_keeps_numbers_numeric(client, login_as, small_city):
    login_as("labour_head")
    xlsx = client.get("/dashboard/export/coverage-kecamatan.xlsx?period=2026-03")
    rows = list(load_workbook(io.BytesIO(xlsx.data)).active.values)
    assert rows[1] == ("Singkawang Tengah", 4, 8, 50.0, 2)


def test_exports_follow_the_kecamatan_filter(client, login_as, small_city):
    login_as("bpjs_head")
    response = client.get(
        "/dashboard/export/coverage-monthly.csv?period=2026-03&kecamatan=61.72.01"
    )
    assert "61.72.01" not in response.headers["Content-Disposition"]  # dots dropped
    # No target of its own: the city target in force applies.
    assert response.get_data(as_text=True).splitlines()[-1] == "2026-03,4,8,50.0,2,50.0,45.0"


def test_pdf_summary_is_a_single_printable_page(client, login_as, small_city):
    login_as("labour_head")
    response = client.get("/dashboard/summary.pdf?period=2026-03")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", response.data)) == 1


def test_public_tables_download_without_login(client, small_city):
    response = client.get("/dashboard/public?period=2026-03&download=coverage-kecamatan.csv")
    assert response.status_code == 200
    rows = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert rows[1] == "Singkawang Tengah,4,8,50.0,2"
    page = client.get("/dashboard/public?period=2026-03").get_data(as_text=True)
    assert "download=coverage-kecamatan.xlsx" in page


def test_pdf_summary_content_stays_inside_one_a4_page(app, small_city):
    from portal.services.complaints.performance import service_report
    from portal.services.coverage.periods import Month, window
    from portal.services.coverage.pipeline import pipeline_report
    from portal.services.coverage.stats import Scope, coverage_report
    from portal.services.coverage.summary_pdf import BatchSummary, summary_pdf
    from portal.services.funded_batches.report import batch_totals

    months = window(Month(2026, 3), 12)
    with app.test_request_context():
        pdf = summary_pdf(
            "Ringkasan",
            "Kota",
            coverage_report(Scope(Month(2026, 3))),
            pipeline_report(months),
            service_report(months),
            BatchSummary(*batch_totals(), 0),
            "tidak tercapai",
        )
    assert pdf.page_no() == 1
    assert pdf.get_y() < pdf.h - pdf.b_margin
    assert bytes(pdf.output()).startswith(b"%PDF")  # output() also releases the font files
