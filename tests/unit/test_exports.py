import io

from openpyxl import load_workbook

from portal.exports import ExportTable, csv_bytes, escape_cell, xlsx_bytes


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
