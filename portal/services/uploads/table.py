"""The one reader for every CSV or XLSX file the portal accepts (employees, payments, members).

Hard limits are enforced *before and while* reading, never after: the byte size first; for a
workbook, its zip members, their unpacked size and its row numbers are checked from the
archive before openpyxl builds a single cell (a sheet whose only row is numbered 2,000,000,000
is refused at once: gaps count as rows); for CSV, rows are counted as they stream out of the
decoder. A cell longer than `MAX_CELL` characters, a NUL byte, more than `MAX_COLUMNS`
columns or more rows than the caller allows refuse the file with a message that says so. The
type is decided by the content, never by the file name. Nothing here touches the database.

Peak memory stays a small multiple of the file's own size (see bench/README.md); the row cap
bounds the work, so files are read inside the request: no background queue is needed.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook

from ..errors import ServiceError

MAX_COLUMNS = 64  # a template has at most a dozen; anything far to the right is ignored
MAX_CELL = 1000  # characters in one cell: a name, an address, a note
MAX_ZIP_MEMBERS = 200
MAX_UNCOMPRESSED = 40 * 1024 * 1024  # all members of a workbook, unpacked
MAX_SHARED_STRINGS = 16 * 1024 * 1024  # openpyxl keeps every shared string in memory
MAX_RATIO = 150  # unpacked / packed, for members larger than RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
_XML_DANGER = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_ROW_NUMBER = re.compile(rb"<(?:\w+:)?row\b[^>]*?\br=\"(\d{1,12})\"")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

REFUSALS = {
    "empty": _l("The file is empty."),
    "too_large": _l("The file is larger than %(mb)s MB."),
    "old_excel": _l("Old Excel files (.xls) are not accepted. Save the file as .xlsx or CSV."),
    "not_utf8": _l(
        "The CSV file is not UTF-8 text. In Excel choose “CSV UTF-8” when saving, or use "
        "the XLSX template."
    ),
    "not_table": _l("The file is not an XLSX workbook or a CSV table."),
    "zip_bomb": _l(
        "The file unpacks to far more data than a spreadsheet holds and was refused for safety."
    ),
    "xml_entities": _l(
        "The workbook contains XML declarations (DTD/entities) that we refuse for safety."
    ),
    "broken_xlsx": _l("The workbook cannot be read. Open it in Excel, save it again and retry."),
    "missing_columns": _l("These columns are missing: %(columns)s. Use the template."),
    "no_rows": _l("The file has no data rows under the header."),
    "too_many_rows": _l("The file has more than %(max)s data rows. Split it into smaller files."),
    "cell_too_long": _l(
        "Line %(line)s has a cell longer than %(max)s characters. Check the file's columns."
    ),
    "nul_byte": _l("The file contains NUL bytes: it is not a text table. Use the template."),
}


class UploadRefused(ServiceError):
    """The whole file is refused before any row is checked; `code` names why."""

    def __init__(self, code: str, **params):
        message = str(REFUSALS[code]) % params if params else str(REFUSALS[code])
        super().__init__("file", message)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Column:
    """A column of a template: the field it fills, its exact header, other headers accepted."""

    field: str
    header: str
    required: bool = True
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Layout:
    columns: tuple[Column, ...]
    sheet: str | None = None  # the template's sheet; otherwise the first sheet is read

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


@dataclass
class RawRow:
    line_no: int  # the line (CSV) or row (XLSX) in the file; the header is line 1
    cells: dict[str, str]
    unreadable: list[str] = field(default_factory=list)  # fields with control characters


def read_table(data: bytes, layout: Layout, *, max_bytes: int, max_rows: int) -> list[RawRow]:
    """The data rows of an uploaded file, after every safety check. Raises UploadRefused.

    Blank rows are skipped (and not reported), but they count towards `max_rows`, so the work
    is bounded by the file's size and the cap, whatever the file claims.
    """
    if not data:
        raise UploadRefused("empty")
    if len(data) > max_bytes:
        raise UploadRefused("too_large", mb=max_bytes // (1024 * 1024))
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UploadRefused("old_excel")
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data, layout, max_rows)
    return _read_csv(data, layout, max_rows)


# --- XLSX ---------------------------------------------------------------------------------------


def check_xlsx_container(data: bytes, max_rows: int | None = None) -> None:
    """Refuse a zip bomb, an XML bomb, a zip that is not a workbook, and (when `max_rows` is
    given) a sheet whose row numbers go past the cap — all before openpyxl reads a cell."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise UploadRefused("broken_xlsx") from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise UploadRefused("zip_bomb")
        total = 0
        for info in members:
            total += info.file_size
            ratio_bad = info.file_size > RATIO_FLOOR and (
                info.compress_size == 0 or info.file_size / info.compress_size > MAX_RATIO
            )
            shared_too_big = (
                info.filename.endswith("sharedStrings.xml") and info.file_size > MAX_SHARED_STRINGS
            )
            if total > MAX_UNCOMPRESSED or ratio_bad or shared_too_big:
                raise UploadRefused("zip_bomb")
        names = {info.filename for info in members}
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise UploadRefused("not_table")
        for info in members:
            if info.filename.endswith((".xml", ".rels", ".vml")):
                is_sheet = info.filename.startswith("xl/worksheets/")
                _scan_xml(archive, info, max_rows + 1 if (max_rows and is_sheet) else None)


def _scan_xml(archive: zipfile.ZipFile, info: zipfile.ZipInfo, last_row: int | None) -> None:
    """Refuse any DTD or entity declaration (billion laughs, external entities), and a row
    numbered past `last_row` in a sheet. The declared size was checked already and zipfile
    never inflates past it."""
    tail = b""
    try:
        with archive.open(info) as member:
            first = True
            while chunk := member.read(256 * 1024):
                if first and (chunk.startswith((b"\xff\xfe", b"\xfe\xff")) or chunk[:1] == b"\0"):
                    raise UploadRefused("xml_entities")  # UTF-16 XML would hide from the scan
                first = False
                window = tail + chunk
                if _XML_DANGER.search(window):
                    raise UploadRefused("xml_entities")
                if last_row is not None:
                    for number in _ROW_NUMBER.findall(window):
                        if int(number) > last_row:
                            raise UploadRefused("too_many_rows", max=last_row - 1)
                tail = chunk[-64:]
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise UploadRefused("broken_xlsx") from exc


def _read_xlsx(data: bytes, layout: Layout, max_rows: int) -> list[RawRow]:
    check_xlsx_container(data, max_rows)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except UploadRefused:
        raise
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise UploadRefused("broken_xlsx") from exc
    try:
        names = workbook.sheetnames
        sheet = workbook[layout.sheet] if layout.sheet in names else workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        return _table(enumerate(rows, start=1), layout, max_rows)
    except UploadRefused:
        raise
    except Exception as exc:
        raise UploadRefused("broken_xlsx") from exc
    finally:
        workbook.close()


# --- CSV ----------------------------------------------------------------------------------------


def _read_csv(data: bytes, layout: Layout, max_rows: int) -> list[RawRow]:
    if b"\0" in data:
        raise UploadRefused("nul_byte" if _looks_textual(data) else "not_table")
    try:
        sample = codecs.getincrementaldecoder("utf-8-sig")().decode(data[:4096], final=False)
    except UnicodeDecodeError as exc:
        raise UploadRefused("not_utf8") from exc
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    reader = csv.reader(_bounded_lines(text), delimiter=delimiter)
    try:
        return _table(((reader.line_num, row) for row in reader), layout, max_rows)
    except UnicodeDecodeError as exc:
        raise UploadRefused("not_utf8") from exc
    except csv.Error as exc:  # e.g. a quoted field longer than the csv module's own limit
        raise UploadRefused("cell_too_long", line=reader.line_num, max=MAX_CELL) from exc


def _looks_textual(data: bytes) -> bool:
    head = data[:4096]
    return head.count(b"\0") < len(head) // 8


def _bounded_lines(text: io.TextIOBase) -> Iterator[str]:
    """Lines of at most a few cells' worth of characters: a 10 MB line is refused while it is
    read, not after."""
    limit = MAX_CELL * MAX_COLUMNS
    while line := text.readline(limit + 1):
        if len(line) > limit and not line.endswith("\n"):
            raise UploadRefused("cell_too_long", line="?", max=MAX_CELL)
        yield line


# --- rows → cells ------------------------------------------------------------------------------


def _table(rows: Iterable[tuple[int, Iterable]], layout: Layout, max_rows: int) -> list[RawRow]:
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        raise UploadRefused("no_rows")
    columns = _column_map(list(first[1]), layout)
    out: list[RawRow] = []
    seen = 0
    for line_no, values in iterator:
        seen += 1
        if seen > max_rows:  # blank rows count: the work is bounded whatever the file holds
            raise UploadRefused("too_many_rows", max=max_rows)
        values = list(values)
        row = RawRow(line_no, {})
        for index, name in columns.items():
            text = cell_text(values[index] if index < len(values) else None, name)
            if len(text) > MAX_CELL:
                raise UploadRefused("cell_too_long", line=line_no, max=MAX_CELL)
            if _CONTROL.search(text):
                row.unreadable.append(name)
                text = _CONTROL.sub("", text)
            row.cells[name] = text
        if any(row.cells.values()):
            out.append(row)
    if not out:
        raise UploadRefused("no_rows")
    return out


def fold(text: object) -> str:
    """Text compared loosely: Unicode-normalised, blanks collapsed, case folded."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    return " ".join(text.replace("_", " ").split()).casefold()


def _column_map(header: list[object], layout: Layout) -> dict[int, str]:
    wanted: dict[str, str] = {}
    for column in layout.columns:
        for title in (column.header, *column.aliases):
            wanted.setdefault(fold(title), column.field)
    found: dict[int, str] = {}
    for index, title in enumerate(header[:MAX_COLUMNS]):
        name = wanted.get(fold(title))
        if name and name not in found.values():
            found[index] = name
    missing = [c.header for c in layout.columns if c.required and c.field not in found.values()]
    if missing:
        raise UploadRefused("missing_columns", columns=", ".join(missing))
    return found


def cell_text(value: object, name: str = "") -> str:
    """A cell as text: dates as YYYY-MM-DD, whole numbers without ".0", booleans as Ya/Tidak.

    A NIK typed as a number keeps only Excel's 15 significant digits: such a cell comes
    back as "#number" so the row says so instead of saving a wrong NIK.
    """
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, int) and abs(value) >= 10**MAX_CELL:
        return "#number"
    if isinstance(value, int | float) and name == "nik":
        digits = str(int(value))
        return "#number" if len(digits) >= 16 and digits.endswith("0") else digits
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, int):
        return str(value)
    return str(value).strip()
