"""The one upload reader: limits enforced before and while reading (services.uploads.table)."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from openpyxl import Workbook

from portal.services.uploads.table import (
    MAX_CELL,
    Column,
    Layout,
    UploadRefused,
    read_table,
)

LAYOUT = Layout((Column("kpj", "Nomor KPJ", aliases=("kpj",)), Column("note", "Catatan", False)))
MB = 1024 * 1024


def _read(data: bytes, max_rows: int = 100):
    return read_table(data, LAYOUT, max_bytes=10 * MB, max_rows=max_rows)


def _refusal(data: bytes, max_rows: int = 100) -> str:
    with pytest.raises(UploadRefused) as caught:
        _read(data, max_rows)
    return caught.value.code


def _xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rewrite_sheet(data: bytes, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = change(body)
            target.writestr(info, body)
    return out.getvalue()


def test_headers_are_matched_by_template_name_or_alias_and_lines_are_the_files():
    rows = _read(b"Nomor KPJ;Catatan\n12345678901;a\n\n12345678902;b\n")
    assert [(r.line_no, r.cells["kpj"]) for r in rows] == [(2, "12345678901"), (4, "12345678902")]
    assert _read(b"kpj\n12345678901\n")[0].cells == {"kpj": "12345678901"}


def test_one_xlsx_row_numbered_two_billion_is_refused_before_openpyxl_walks_the_gap():
    small = _xlsx([["Nomor KPJ"], ["12345678901"]])

    def far_away(xml: bytes) -> bytes:
        xml = re.sub(rb'r="2"', b'r="2000000000"', xml)
        return re.sub(rb'r="A2"', b'r="A2000000000"', xml)

    bomb = _rewrite_sheet(small, far_away)
    assert len(bomb) < 8 * 1024
    assert _refusal(bomb) == "too_many_rows"


def test_blank_csv_lines_count_towards_the_row_cap():
    assert _refusal(b"kpj\n" + b"\n" * 500, max_rows=100) == "too_many_rows"


def test_a_csv_cell_larger_than_the_csv_modules_limit_is_refused_not_a_crash():
    huge = b'kpj,Catatan\n1,"' + b"x" * 200_000 + b'"\n'
    assert _refusal(huge) == "cell_too_long"


def test_a_long_cell_within_the_line_limit_is_refused_by_the_cell_cap():
    long_cell = b"kpj,Catatan\n1," + b"x" * (MAX_CELL + 1) + b"\n"
    assert _refusal(long_cell) == "cell_too_long"


def test_a_nul_byte_anywhere_in_a_csv_is_refused():
    data = b"kpj,Catatan\n" + b"1,ok\n" * 2000 + b"2,bad\x00\n"
    assert len(data) > 4096
    assert _refusal(data) == "nul_byte"


def test_control_characters_in_a_cell_are_named_on_the_row():
    rows = _read(b"kpj,Catatan\n12345678901,a\x07b\n")
    assert rows[0].unreadable == ["note"] and rows[0].cells["note"] == "ab"


def test_shared_strings_that_inflate_far_beyond_a_template_are_refused_unread():
    small = _xlsx([["Nomor KPJ"], ["12345678901"]])
    source = zipfile.ZipFile(io.BytesIO(small))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename))
        target.writestr("xl/sharedStrings.xml", b"<sst>" + b"<si><t>a</t></si>" * 1_200_000)
    assert _refusal(out.getvalue()) == "zip_bomb"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"\xd0\xcf\x11\xe0rest", "old_excel"),
        (b"\xff\xfekpj", "not_utf8"),
        (b"PK\x03\x04not a zip", "broken_xlsx"),
        (b"Nama\nAni\n", "missing_columns"),
        (b"kpj\n\n\n", "no_rows"),
    ],
)
def test_files_that_cannot_be_trusted_get_a_reason(data, code):
    assert _refusal(data) == code


def test_a_file_over_the_byte_limit_is_refused_before_reading():
    with pytest.raises(UploadRefused) as caught:
        read_table(b"kpj\n1\n" * 10, LAYOUT, max_bytes=16, max_rows=100)
    assert caught.value.code == "too_large" and caught.value.field == "file"
