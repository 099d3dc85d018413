"""Table exports to CSV and XLSX: the one way every list and report is downloaded.

Cells that begin with = + - @ (or a tab/CR) are prefixed with a quote so a spreadsheet never
runs them as formulas (CSV/formula injection).

CSV needs more, because Excel in the Indonesian locale splits a CSV file on `;`, not `,`:
- every field holding `,` `;` a tab, a quote or a line break is quoted (`csv.QUOTE_MINIMAL`
  only knows the writer's own delimiter), so a reader that splits on `,` keeps it whole;
- quoting alone does not stop a reader that splits on `;`: a quote opens a quoted field only
  at the start of a field, so in `Ani,"Budi;=1+1"` the `;` is live and `=1+1"` becomes a cell.
  So inside a cell, a `;`, tab or line break followed (after spaces or quotes) by = + - @
  gets the same apostrophe as a cell start: `Budi;'=1+1`. The text changes only there.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from flask import Response
from openpyxl import Workbook

_DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
_CSV_QUOTE_WHEN = frozenset(',;\t"\r\n')
# A separator some reader splits on (other than our own `,`), then what would start a formula.
_CSV_INNER_FORMULA = re.compile(r'([;\t\r\n])(?=[ \u00a0"]*[=+\-@])')
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def escape_cell(value: object) -> object:
    """Neutralise text a spreadsheet would evaluate; numbers and dates pass through."""
    if isinstance(value, str) and value.startswith(_DANGEROUS_START):
        return "'" + value
    return value


@dataclass
class ExportTable:
    headers: Sequence[str]
    rows: Iterable[Sequence[object]]
    sheet_title: str = "Data"


def _disposition(filename: str) -> dict[str, str]:
    safe = "".join(ch for ch in filename if ch.isalnum() or ch in "-_.") or "export"
    return {"Content-Disposition": f'attachment; filename="{safe}"'}


def _text(value: object) -> object:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else value


def _csv_field(value: object) -> str:
    text = str(value)
    if _CSV_QUOTE_WHEN.isdisjoint(text):
        return text
    text = _CSV_INNER_FORMULA.sub(r"\1'", text)
    return '"' + text.replace('"', '""') + '"'


def _csv_line(values: Iterable[object]) -> str:
    return ",".join(_csv_field(escape_cell(v)) for v in values) + "\r\n"


def csv_bytes(table: ExportTable) -> bytes:
    buffer = io.StringIO()
    buffer.write(_csv_line(str(h) for h in table.headers))
    for row in table.rows:
        buffer.write(_csv_line(_text(v) for v in row))
    # BOM so Excel opens UTF-8 (names with accents) correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(table: ExportTable) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=table.sheet_title[:31])
    sheet.append([escape_cell(str(h)) for h in table.headers])
    for row in table.rows:
        sheet.append(
            [escape_cell(v if isinstance(v, date | int | float) else _text(v)) for v in row]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_response(table: ExportTable, filename: str) -> Response:
    # content_type, not mimetype: Werkzeug adds "; charset=utf-8" to a text/* mimetype itself.
    return Response(
        csv_bytes(table), content_type="text/csv; charset=utf-8", headers=_disposition(filename)
    )


def xlsx_response(table: ExportTable, filename: str) -> Response:
    return Response(xlsx_bytes(table), mimetype=XLSX_MIME, headers=_disposition(filename))


def template_response(workbook: bytes, filename: str) -> Response:
    """An upload template (`services.uploads.template`) as an XLSX download."""
    return Response(workbook, mimetype=XLSX_MIME, headers=_disposition(filename))


def export_response(table: ExportTable, basename: str, fmt: str) -> Response:
    """`fmt` is "csv" or "xlsx" (anything else: CSV)."""
    if fmt == "xlsx":
        return xlsx_response(table, f"{basename}.xlsx")
    return csv_response(table, f"{basename}.csv")
