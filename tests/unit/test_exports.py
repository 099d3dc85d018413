import csv
import io

import pytest
from openpyxl import load_workbook

from portal.exports import ExportTable, csv_bytes, csv_response, escape_cell, xlsx_bytes


def test_formula_cells_are_escaped():
    for dangerous in ("=1+1", "+62812", "-5", "@SUM(A1)", "\t=x"):
        assert escape_cell(dangerous).startswith("'")
    assert escape_cell("Warung") == "Warung"
    assert escape_cell(-5) == -5  # numbers are data, not formulas


def test_csv_and_xlsx_carry_escaped_values():
    table = ExportTable(["Nama", "Catatan"], [["Toko =A", '=HYPERLINK("x")']])
    text = csv_bytes(table).decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    sheet = load_workbook(io.BytesIO(xlsx_bytes(table))).active
    assert sheet["B2"].value == '\'=HYPERLINK("x")'
    assert sheet["A1"].value == "Nama"


SPLIT_ATTEMPTS = [
    "Ani;=1+1",
    "Budi,=2+2",
    'Citra";=HYPERLINK("http://evil.example")',
    "Dewi\t@SUM(A1)",
    "Eka\n+62812",
    "Fajar;-5",
]


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_csv_cells_never_split_into_a_formula_whatever_the_separator(delimiter):
    """Finding 10: Excel in the Indonesian locale splits on `;`. However the file is split,
    no cell may start with = + - @ unless it was quoted with a leading apostrophe."""
    table = ExportTable(["Nama;=0", "Catatan"], [[text, text] for text in SPLIT_ATTEMPTS])
    text = csv_bytes(table).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    cells = [cell for row in rows for cell in row]
    assert cells, text
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@"))], text


def test_csv_keeps_each_cell_whole_when_read_back_with_commas():
    table = ExportTable(["Nama", "Catatan"], [[text, 7] for text in SPLIT_ATTEMPTS])
    rows = list(csv.reader(io.StringIO(csv_bytes(table).decode("utf-8-sig"), newline="")))
    assert rows[0] == ["Nama", "Catatan"]
    assert [row[0] for row in rows[1:]] == [
        "Ani;'=1+1",  # an apostrophe only where a `;` reader would start a formula
        "Budi,=2+2",  # no reader splits a quoted field on `,`
        'Citra";\'=HYPERLINK("http://evil.example")',
        "Dewi\t'@SUM(A1)",
        "Eka\n'+62812",
        "Fajar;'-5",
    ]
    assert all(row[1] == "7" for row in rows[1:])


def test_csv_leaves_plain_cells_unquoted():
    text = csv_bytes(ExportTable(["Nama", "Jumlah"], [["Warung Ani", 3]])).decode("utf-8-sig")
    assert text == "Nama,Jumlah\r\nWarung Ani,3\r\n"


def test_csv_response_names_its_charset_once():
    response = csv_response(ExportTable(["a"], [["b"]]), "x.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
