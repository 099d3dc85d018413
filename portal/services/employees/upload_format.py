"""The employee file: its template (exact Indonesian headers, lists of allowed values) and
how one row's cells become an `EmployeeInput`.

The file itself is read by the portal's one upload reader (`uploads.table.read_table`, with
`EMPLOYEE_LAYOUT`); cells go through `domain.normalise` like every form, so a date, an amount
or a phone number is read the same way on the employee form and in a file.
"""

from __future__ import annotations

from ...domain import normalise
from ...domain.normalise import Unreadable
from ..uploads.table import Column, Layout, RawRow, fold
from ..uploads.template import template_workbook
from .rules import EmployeeInput, Problem

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
    ("with_jht", "Ikut JHT (Ya/Tidak)"),
    ("with_jp", "Ikut JP (Ya/Tidak)"),
    ("start_date", "Tanggal Mulai Kerja (DD-MM-YYYY)"),
)
HEADERS = [header for _, header in COLUMNS]
REQUIRED_COLUMNS = {"nik", "full_name", "birth_date", "sex", "kelurahan", "occupation"} | {
    "category",
    "monthly_amount",
    "start_date",
}

EMPLOYEE_LAYOUT = Layout(
    tuple(Column(name, header, name in REQUIRED_COLUMNS) for name, header in COLUMNS),
    sheet="Karyawan",
)


def nik_from_cell(text: str) -> str:
    """A NIK as typed in a sheet: without spaces or the apostrophe that keeps Excel from
    turning it into a number. Used for parsing and for spotting duplicates alike."""
    return text.replace(" ", "").replace("'", "")


def staged_cells(row: RawRow) -> dict[str, str]:
    """A row's cells as they are kept until the dry run (fields with unreadable characters
    listed under "_unreadable")."""
    cells = dict(row.cells)
    if row.unreadable:
        cells["_unreadable"] = ",".join(row.unreadable)
    return cells


def parse_row(cells: dict[str, str], kelurahan: dict[str, str]) -> tuple[EmployeeInput, list]:
    """Typed input from one row's cells and the problems met while reading them.

    `kelurahan` maps folded names and codes to region codes.
    """
    unreadable = [name for name in cells.get("_unreadable", "").split(",") if name]
    problems: list[Problem] = [Problem(name, "unreadable") for name in unreadable]

    def read(name: str, reader):
        text = cells.get(name, "")
        if not text:
            return None  # the rules report "required"
        try:
            return reader(text)
        except Unreadable as problem:
            code = {"money_format": "amount_format", "money_cents": "amount_format"}.get(
                problem.code, problem.code
            )
            problems.append(Problem(name, code))
            return None

    nik = nik_from_cell(cells.get("nik", ""))
    if nik == "#number":
        problems.append(Problem("nik", "nik_number_cell"))
        nik = ""
    else:
        nik = read("nik", normalise.nik) or ""
    sex_text = fold(cells.get("sex", ""))
    sex = {"l": "L", "laki-laki": "L", "laki laki": "L", "p": "P", "perempuan": "P"}.get(
        sex_text, sex_text.upper()
    )
    category = cells.get("category", "").strip().upper()
    amount = read("monthly_amount", normalise.rupiah)
    with_jht = _yes_no(cells, "with_jht", problems)
    with_jp = _yes_no(cells, "with_jp", problems)
    kelurahan_text = fold(cells.get("kelurahan", ""))
    kelurahan_code = kelurahan.get(kelurahan_text, "")
    if kelurahan_text and not kelurahan_code:
        problems.append(Problem("kelurahan", "kelurahan_unknown"))
    elif not kelurahan_text:
        problems.append(Problem("kelurahan", "required"))
    data = EmployeeInput(
        nik=nik,
        full_name=" ".join(cells.get("full_name", "").split()),
        birth_date=read("birth_date", normalise.day),
        sex=sex,
        phone=read("phone", normalise.phone),
        kelurahan_code=kelurahan_code,
        occupation=cells.get("occupation", "").strip(),
        category=category,
        monthly_amount=amount,
        with_jht=with_jht,
        with_jp=with_jp,
        start_date=read("start_date", normalise.day),
    )
    return data, problems


def _yes_no(cells: dict, name: str, problems: list[Problem]) -> bool:
    """A voluntary programme cell: Ya/Tidak (empty is Tidak; required ones apply anyway)."""
    text = fold(cells.get(name, ""))
    yes = text in {"ya", "y", "yes", "1", "true"}
    if text and not yes and text not in {"tidak", "t", "no", "n", "0", "false"}:
        problems.append(Problem(name, "yes_no"))
    return yes


def template_bytes(kelurahan_rows: list[tuple[str, str]]) -> bytes:
    """The XLSX template: exact headers, text-formatted NIK column, lists of allowed values."""
    return template_workbook(
        EMPLOYEE_LAYOUT,
        text_fields=("nik",),
        lists={
            "sex": '"L,P"',
            "category": '"PU"',
            "with_jht": '"Ya,Tidak"',
            "with_jp": '"Ya,Tidak"',
            "kelurahan": f"Kelurahan!$A$2:$A${len(kelurahan_rows) + 1}",
        },
        guides=[
            ("Kelurahan", [("Kelurahan", "Kode Kemendagri"), *((n, c) for c, n in kelurahan_rows)])
        ],
        notes=(
            "Isi satu baris per karyawan di lembar Karyawan, mulai baris 2. Jangan ubah judul "
            "kolom.",
            "NIK: 16 angka, kolom berformat teks. Tanggal: DD-MM-YYYY.",
            "Kategori PU (penerima upah): isi upah sebulan. Pemberi kerja mendaftarkan pekerjanya "
            "sebagai PU (UU 24/2011 pasal 15); BPU hanya untuk pekerja mandiri.",
            "Program wajib mengikuti skala usaha (Perpres 109/2013 pasal 6): mikro JKK+JKM, kecil "
            "+JHT, menengah +JP. Ikut JHT/JP: Ya untuk menambah secara sukarela.",
            "Kelas risiko JKK milik usaha (diisi di halaman usaha), bukan per karyawan.",
            "Kelurahan: nama atau kode dari lembar Kelurahan.",
        ),
    )
