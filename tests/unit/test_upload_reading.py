"""Reading upload files: type by content, limits, bombs, headers, cells → typed input."""

from __future__ import annotations

from datetime import date

import pytest

from portal.services.employees.upload_format import EMPLOYEE_LAYOUT, parse_row
from portal.services.uploads.table import UploadRefused, read_table
from tests.factories_employer import csv_bytes, row, xlsx_bytes, xml_bomb, zip_bomb

LIMITS = {"max_bytes": 5 * 1024 * 1024, "max_rows": 100}


def read_rows(content: bytes, **limits):
    return read_table(content, EMPLOYEE_LAYOUT, **limits)


KELURAHAN = {"pasiran": "61.72.01.1001", "61.72.01.1001": "61.72.01.1001"}


def refusal(content: bytes, **limits) -> str:
    with pytest.raises(UploadRefused) as caught:
        read_rows(content, **(LIMITS | limits))
    return caught.value.code


def test_xlsx_and_csv_give_the_same_cells():
    from_xlsx = read_rows(xlsx_bytes([row(1)]), **LIMITS)
    from_csv = read_rows(csv_bytes([row(1)]), **LIMITS)
    assert from_xlsx[0].cells == from_csv[0].cells
    assert from_xlsx[0].line_no == 2


def test_blank_rows_are_skipped_but_line_numbers_stay_true():
    rows = read_rows(csv_bytes([row(1), {}, row(2)]), **LIMITS)
    assert [r.line_no for r in rows] == [2, 4]


def test_refusals():
    assert refusal(b"") == "empty"
    assert refusal(b"x" * 2000, max_bytes=1000) == "too_large"
    assert refusal(b"\xd0\xcf\x11\xe0rest") == "old_excel"
    assert refusal(zip_bomb()) == "zip_bomb"
    assert refusal(xml_bomb()) == "xml_entities"
    assert refusal(b"PK\x03\x04broken") == "broken_xlsx"
    assert refusal("NIK;Nama\n".encode("utf-16")) == "not_table"
    assert refusal("Désirée".encode("cp1252")) == "not_utf8"
    assert refusal(csv_bytes([row(i) for i in range(5)]), max_rows=3) == "too_many_rows"
    assert refusal(csv_bytes([])) == "no_rows"
    assert refusal(b"NIK,Nama\n1,2\n") == "missing_columns"


def test_headers_match_in_any_order_and_case():
    cells = row(1)
    header = list(cells)[::-1]
    text = ",".join(h.upper() for h in header) + "\n" + ",".join(cells[h] for h in header)
    parsed = read_rows(text.encode(), **LIMITS)
    assert parsed[0].cells["nik"] == cells["NIK"]


def test_nik_typed_as_a_number_is_explained():
    cells = row(1)
    cells["NIK"] = 6.17201480892e15  # what Excel keeps of 6172014808920001
    parsed = read_rows(xlsx_bytes([cells]), **LIMITS)
    _, problems = parse_row(parsed[0].cells, KELURAHAN)
    assert ("nik", "nik_number_cell") in {(p.field, p.code) for p in problems}


def test_cells_are_read_the_way_people_write_them():
    cells = {
        "nik": "6172014808920001",
        "full_name": "  Siti   Aminah ",
        "birth_date": "08/08/1992",
        "sex": "Perempuan",
        "phone": "+62 812-3456-7890",
        "kelurahan": "PASIRAN",
        "occupation": "Penjahit",
        "category": "bpu",
        "monthly_amount": "Rp 1.500.000",
        "risk_class": "",
        "with_jht": "ya",
        "start_date": "2026-02-01",
    }
    data, problems = parse_row(cells, KELURAHAN)
    assert problems == []
    assert (data.full_name, data.sex, data.category) == ("Siti Aminah", "P", "BPU")
    assert data.birth_date == date(1992, 8, 8)
    assert data.phone == "081234567890"
    assert data.kelurahan_code == "61.72.01.1001"
    assert data.monthly_amount == 1_500_000 and data.with_jht and not data.with_jp


def test_unreadable_cells_are_reported_per_column():
    cells = {
        "nik": "6172014808920001",
        "birth_date": "kemarin",
        "kelurahan": "Atlantis",
        "monthly_amount": "lima juta",
        "with_jht": "mungkin",
        "start_date": "31-02-2026",
    }
    _, problems = parse_row(cells, KELURAHAN)
    found = {(p.field, p.code) for p in problems}
    assert found == {
        ("birth_date", "date_format"),
        ("kelurahan", "kelurahan_unknown"),
        ("monthly_amount", "amount_format"),
        ("with_jht", "yes_no"),
        ("start_date", "date_not_a_day"),  # 31 February: a real shape, not a real day
    }


def test_the_karyawan_sheet_is_read_even_when_not_first():
    import io

    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(xlsx_bytes([row(1)])))
    workbook.active.title = "Karyawan"
    workbook.create_sheet("Catatan", 0).append(["bukan data"])
    out = io.BytesIO()
    workbook.save(out)
    assert read_rows(out.getvalue(), **LIMITS)[0].cells["full_name"] == "Pekerja Unggah 1"
