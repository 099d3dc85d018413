"""Reading an uploaded employee file safely: XLSX (checked as a zip first) or UTF-8 CSV.

Nothing here touches the database. `read_rows()` refuses what it cannot trust with an
`UploadRefused` whose code has a message in `REFUSALS`; `parse_row()` turns one row of
cells into an `EmployeeInput` plus the problems found while reading the cells.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.datavalidation import DataValidation

from ...domain.money import parse_rupiah
from ..employees.rules import EmployeeInput, Problem

# (field, exact Indonesian header). The template uses these; uploads are matched by header.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("nik", "NIK"),
    ("full_name", "Nama Lengkap (sesuai KTP)"),
    ("birth_date", "Tanggal Lahir (DD-MM-YYYY)"),
    ("sex", "Jenis Kelamin (L/P)"),
    ("phone", "Nomor HP"),
    ("kelurahan", "Kelurahan Domisili"),
    ("occupation", "Pekerjaan"),
    ("category", "Kategori (PU/BPU)"),
    ("monthly_amount", "Upah/Penghasilan per Bulan (Rp)"),
    ("risk_class", "Kelas Risiko JKK (PU)"),
    ("with_jht", "Ikut JHT (Ya/Tidak)"),
    ("start_date", "Tanggal Mulai Kerja (DD-MM-YYYY)"),
)
HEADERS = [header for _, header in COLUMNS]
REQUIRED_COLUMNS = {"nik", "full_name", "birth_date", "sex", "kelurahan", "occupation"} | {
    "category",
    "monthly_amount",
    "start_date",
}
RISK_WORDS = {
    "sangat rendah": "sangat_rendah",
    "rendah": "rendah",
    "sedang": "sedang",
    "tinggi": "tinggi",
    "sangat tinggi": "sangat_tinggi",
}

# Limits. Real templates are far below them; a bomb is far above.
MAX_ZIP_MEMBERS = 200
MAX_UNCOMPRESSED = 80 * 1024 * 1024
MAX_RATIO = 150  # uncompressed / compressed, for members larger than RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
_XML_DANGER = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)

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
}


class UploadRefused(Exception):
    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params

    def message(self) -> str:
        return str(REFUSALS[self.code]) % self.params if self.params else str(REFUSALS[self.code])


@dataclass
class RawRow:
    line_no: int  # the line in the file (header is line 1)
    cells: dict[str, str]


def check_xlsx_container(data: bytes) -> None:
    """Refuse a zip bomb, an XML bomb or a zip that is not a workbook (UploadRefused)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
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
            if total > MAX_UNCOMPRESSED or ratio_bad:
                raise UploadRefused("zip_bomb")
        names = {info.filename for info in members}
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise UploadRefused("not_table")
        for info in members:
            if info.filename.endswith((".xml", ".rels", ".vml")):
                _scan_xml(archive, info)


def _scan_xml(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse any DTD or entity declaration (billion laughs, external entities).

    The declared size was checked already and zipfile never inflates past it.
    """
    tail = b""
    try:
        with archive.open(info) as member:
            first = True
            while chunk := member.read(256 * 1024):
                if first and (chunk.startswith((b"\xff\xfe", b"\xfe\xff")) or chunk[:1] == b"\0"):
                    raise UploadRefused("xml_entities")  # UTF-16 XML would hide from the scan
                first = False
                if _XML_DANGER.search(tail + chunk):
                    raise UploadRefused("xml_entities")
                tail = chunk[-16:]
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise UploadRefused("broken_xlsx") from exc


def nik_from_cell(text: str) -> str:
    """A NIK as typed in a sheet: without spaces or the apostrophe that keeps Excel from
    turning it into a number. Used for parsing and for spotting duplicates alike."""
    return text.replace(" ", "").replace("'", "")


def _cell_text(value: object, field: str) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, int | float) and field == "nik":
        # Excel keeps 15 significant digits of a number, so a 16-digit NIK typed as a number
        # comes back with a 0 in place of its last digit. A 0 there cannot be trusted.
        digits = str(int(value))
        return "#number" if len(digits) >= 16 and digits.endswith("0") else digits
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, int):
        return str(value)
    return str(value).strip()


def _norm_header(text: object) -> str:
    return " ".join(str(text or "").split()).casefold()


def _column_map(header: list[object]) -> dict[int, str]:
    wanted = {_norm_header(h): f for f, h in COLUMNS}
    found = {}
    for index, title in enumerate(header):
        field = wanted.get(_norm_header(title))
        if field and field not in found.values():
            found[index] = field
    missing = [h for f, h in COLUMNS if f in REQUIRED_COLUMNS and f not in found.values()]
    if missing:
        raise UploadRefused("missing_columns", columns=", ".join(missing))
    return found


def _rows(table, max_rows: int) -> list[RawRow]:
    iterator = iter(table)
    header = next(iterator, None)
    if header is None:
        raise UploadRefused("no_rows")
    columns = _column_map(list(header))
    rows: list[RawRow] = []
    for line_no, values in enumerate(iterator, start=2):
        values = list(values)
        cells = {
            field: _cell_text(values[i] if i < len(values) else None, field)
            for i, field in columns.items()
        }
        if not any(cells.values()):
            continue
        if len(rows) >= max_rows:
            raise UploadRefused("too_many_rows", max=max_rows)
        rows.append(RawRow(line_no, cells))
    if not rows:
        raise UploadRefused("no_rows")
    return rows


def read_rows(data: bytes, *, max_bytes: int, max_rows: int) -> list[RawRow]:
    """The data rows of an uploaded file, after every safety check. Raises UploadRefused.

    The type is decided by content, never by the file name.
    """
    if not data:
        raise UploadRefused("empty")
    if len(data) > max_bytes:
        raise UploadRefused("too_large", mb=max_bytes // (1024 * 1024))
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UploadRefused("old_excel")
    if data.startswith(b"PK\x03\x04"):
        check_xlsx_container(data)
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except UploadRefused:
            raise
        except Exception as exc:  # openpyxl raises many types for damaged files
            raise UploadRefused("broken_xlsx") from exc
        try:
            names = workbook.sheetnames
            sheet = workbook["Karyawan"] if "Karyawan" in names else workbook.worksheets[0]
            return _rows(sheet.iter_rows(values_only=True), max_rows)
        except UploadRefused:
            raise
        except Exception as exc:
            raise UploadRefused("broken_xlsx") from exc
        finally:
            workbook.close()
    if b"\0" in data[:4096]:
        raise UploadRefused("not_table")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UploadRefused("not_utf8") from exc
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    return _rows(csv.reader(io.StringIO(text), delimiter=delimiter), max_rows)


# --- cells → typed input --------------------------------------------------------------------

_DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y")


def _parse_date(text: str) -> date | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return " ".join(text.replace("_", " ").split()).casefold()


def parse_row(cells: dict[str, str], kelurahan: dict[str, str]) -> tuple[EmployeeInput, list]:
    """Typed input from one row's cells and the problems met while reading them.

    `kelurahan` maps folded names and codes to region codes.
    """
    problems: list[Problem] = []

    def date_of(field: str) -> date | None:
        text = cells.get(field, "")
        if not text:
            return None  # the rules report "required"
        value = _parse_date(text)
        if value is None:
            problems.append(Problem(field, "date_format"))
        return value

    nik = nik_from_cell(cells.get("nik", ""))
    if nik == "#number":
        problems.append(Problem("nik", "nik_number_cell"))
        nik = ""
    sex_text = _fold(cells.get("sex", ""))
    sex = {"l": "L", "laki-laki": "L", "laki laki": "L", "p": "P", "perempuan": "P"}.get(
        sex_text, sex_text.upper()
    )
    category = cells.get("category", "").strip().upper()
    amount_text = cells.get("monthly_amount", "")
    amount = parse_rupiah(amount_text) if amount_text else None
    if amount_text and amount is None:
        problems.append(Problem("monthly_amount", "amount_format"))
    risk_text = _fold(cells.get("risk_class", ""))
    risk = RISK_WORDS.get(risk_text, risk_text.replace(" ", "_")) if risk_text else "sangat_rendah"
    jht_text = _fold(cells.get("with_jht", ""))
    with_jht = jht_text in {"ya", "y", "yes", "1", "true"}
    if jht_text and not with_jht and jht_text not in {"tidak", "t", "no", "n", "0", "false"}:
        problems.append(Problem("with_jht", "yes_no"))
    kelurahan_text = _fold(cells.get("kelurahan", ""))
    kelurahan_code = kelurahan.get(kelurahan_text, "")
    if kelurahan_text and not kelurahan_code:
        problems.append(Problem("kelurahan", "kelurahan_unknown"))
    elif not kelurahan_text:
        problems.append(Problem("kelurahan", "required"))
    phone = re.sub(r"[\s\-.]", "", cells.get("phone", "")).removeprefix("+62")
    if phone and not phone.startswith("0") and cells.get("phone", "").strip().startswith("+62"):
        phone = "0" + phone
    data = EmployeeInput(
        nik=nik,
        full_name=" ".join(cells.get("full_name", "").split()),
        birth_date=date_of("birth_date"),
        sex=sex,
        phone=phone or None,
        kelurahan_code=kelurahan_code,
        occupation=cells.get("occupation", "").strip(),
        category=category,
        monthly_amount=amount,
        risk_class=risk,
        with_jht=with_jht,
        start_date=date_of("start_date"),
    )
    return data.normalised(), problems


def template_bytes(kelurahan_rows: list[tuple[str, str]]) -> bytes:
    """The XLSX template: exact headers, text-formatted NIK column, lists of allowed values."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Karyawan"
    sheet.append(HEADERS)
    for index, header in enumerate(HEADERS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = max(14, len(header) + 2)
    # NIK as text: Excel keeps only 15 significant digits of a number.
    sheet.column_dimensions["A"].number_format = "@"
    sheet.freeze_panes = "A2"
    lists = {
        "D": '"L,P"',
        "H": '"PU,BPU"',
        "J": '"sangat rendah,rendah,sedang,tinggi,sangat tinggi"',
        "K": '"Ya,Tidak"',
        "F": f"Kelurahan!$A$2:$A${len(kelurahan_rows) + 1}",
    }
    for column, formula in lists.items():
        validation = DataValidation(type="list", formula1=formula, allow_blank=True)
        validation.add(f"{column}2:{column}20001")
        sheet.add_data_validation(validation)
    guide = workbook.create_sheet("Kelurahan")
    guide.append(["Kelurahan", "Kode Kemendagri"])
    for code, name in kelurahan_rows:
        guide.append([name, code])
    notes = workbook.create_sheet("Petunjuk")
    for line in (
        "Isi satu baris per karyawan di lembar Karyawan, mulai baris 2. Jangan ubah judul kolom.",
        "NIK: 16 angka, kolom berformat teks. Tanggal: DD-MM-YYYY.",
        "Kategori PU (penerima upah): isi upah sebulan dan kelas risiko JKK; JHT dan JP wajib.",
        "Kategori BPU (bukan penerima upah): penghasilan Rp 1.000.000 s.d. Rp 20.700.000; "
        "JHT boleh Ya/Tidak.",
        "Kelurahan: nama atau kode dari lembar Kelurahan.",
    ):
        notes.append([line])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
