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
    risk_text = fold(cells.get("risk_class", ""))
    risk = RISK_WORDS.get(risk_text, risk_text.replace(" ", "_")) if risk_text else "sangat_rendah"
    jht_text = fold(cells.get("with_jht", ""))
    with_jht = jht_text in {"ya", "y", "yes", "1", "true"}
    if jht_text and not with_jht and jht_text not in {"tidak", "t", "no", "n", "0", "false"}:
        problems.append(Problem("with_jht", "yes_no"))
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
        risk_class=risk,
        with_jht=with_jht,
        start_date=read("start_date", normalise.day),
    )
    return data.normalised(), problems


def template_bytes(kelurahan_rows: list[tuple[str, str]]) -> bytes:
    """The XLSX template: exact headers, text-formatted NIK column, lists of allowed values."""
    return template_workbook(
        EMPLOYEE_LAYOUT,
        text_fields=("nik",),
        lists={
            "sex": '"L,P"',
            "category": '"PU,BPU"',
            "risk_class": '"sangat rendah,rendah,sedang,tinggi,sangat tinggi"',
            "with_jht": '"Ya,Tidak"',
            "kelurahan": f"Kelurahan!$A$2:$A${len(kelurahan_rows) + 1}",
        },
        guides=[
            ("Kelurahan", [("Kelurahan", "Kode Kemendagri"), *((n, c) for c, n in kelurahan_rows)])
        ],
        notes=(
            "Isi satu baris per karyawan di lembar Karyawan, mulai baris 2. Jangan ubah judul "
            "kolom.",
            "NIK: 16 angka, kolom berformat teks. Tanggal: DD-MM-YYYY.",
            "Kategori PU (penerima upah): isi upah sebulan dan kelas risiko JKK; JHT dan JP wajib.",
            "Kategori BPU (bukan penerima upah): penghasilan Rp 1.000.000 s.d. Rp 20.700.000; "
            "JHT boleh Ya/Tidak.",
            "Kelurahan: nama atau kode dari lembar Kelurahan.",
        ),
    )
