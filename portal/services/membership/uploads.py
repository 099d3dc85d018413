"""Payment files and funded-batch member files: dry run, row report, confirmed import.

Same shape as the employee upload: the file is kept (BpjsUpload) after a dry run that checks
every row; the officer sees a per-row report on screen and as XLSX with an error column; only
a clean dry run can be confirmed, and confirming re-checks every row inside the import
transaction (a row that became invalid meanwhile refuses the whole file: all or nothing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from ...domain import normalise
from ...domain.nik import NikError, cross_check
from ...domain.normalise import Unreadable
from ...exports import ExportTable
from ...extensions import db
from ...models import BpjsUpload, BpjsUploadKind, FundedBatch, Membership, Region, User
from ..audit.trail import add_recorded, record_event
from ..funded_batches.batches import (
    MemberLookup,
    NewWorker,
    add_members,
    check_batch_member,
    member_lookup,
)
from ..input_messages import unreadable_message
from ..reference import choices
from ..uploads.confirming import confirm_once
from ..uploads.table import Column, Layout, read_table
from ..uploads.template import template_workbook
from .common import ISSUED_KPJ_DIGITS, BpjsError, kpj_used_message
from .payments import (
    PAYMENT_CHANNELS,
    PaymentLine,
    PaymentLookup,
    payment_lookup,
    record_payments,
    validate_payment,
)

PAYMENT_LAYOUT = Layout(
    (
        Column("kpj", "Nomor KPJ", aliases=("kpj",)),
        Column("period", "Bulan Iuran (contoh 03-2026)", aliases=("period", "bulan iuran")),
        Column("amount", "Jumlah Dibayar (Rp)", aliases=("amount", "jumlah")),
        Column("paid_on", "Tanggal Bayar (DD-MM-YYYY)", aliases=("paid_on", "tanggal bayar")),
        Column("channel", "Saluran", aliases=("channel",)),
    ),
    sheet="Iuran",
)
MEMBER_LAYOUT = Layout(
    (
        Column("nik", "NIK", aliases=("nik",)),
        Column("full_name", "Nama Lengkap (sesuai KTP)", aliases=("full_name", "nama")),
        Column("birth_date", "Tanggal Lahir (DD-MM-YYYY)", aliases=("birth_date",)),
        Column("sex", "Jenis Kelamin (L/P)", aliases=("sex",)),
        Column("phone", "Nomor HP", required=False, aliases=("phone",)),
        Column("kelurahan_code", "Kode Kelurahan", required=False, aliases=("kelurahan_code",)),
        Column("occupation", "Pekerjaan", required=False, aliases=("occupation",)),
        # Issued by BPJS's own system: the portal never makes a KPJ up.
        Column("kpj", "Nomor KPJ (dari sistem BPJS)", aliases=("kpj", "nomor kpj")),
    ),
    sheet="Peserta",
)
PAYMENT_COLUMNS = tuple(c.field for c in PAYMENT_LAYOUT.columns)
MEMBER_COLUMNS = tuple(c.field for c in MEMBER_LAYOUT.columns)


def layout_of(kind: str) -> Layout:
    return PAYMENT_LAYOUT if kind == BpjsUploadKind.PAYMENTS else MEMBER_LAYOUT


def payment_template() -> bytes:
    """The XLSX template for a payment file (Indonesian headers, DD-MM-YYYY dates)."""
    return template_workbook(
        PAYMENT_LAYOUT,
        text_fields=("kpj", "period", "paid_on"),
        lists={"channel": '"' + ",".join(PAYMENT_CHANNELS) + '"'},
        notes=(
            "Isi satu baris per bulan iuran yang dibayar, mulai baris 2 lembar Iuran. Jangan "
            "ubah judul kolom.",
            "Nomor KPJ: dari kartu peserta BPJS Ketenagakerjaan, kolom berformat teks.",
            "Bulan iuran: MM-YYYY, misalnya 03-2026. Tanggal bayar: DD-MM-YYYY.",
            "Jumlah: rupiah utuh, misalnya 359.450 atau Rp 359.450.",
            "Saluran: " + ", ".join(PAYMENT_CHANNELS) + ".",
        ),
    )


def member_template() -> bytes:
    """The XLSX template for a funded batch's member file."""
    kelurahan = choices.kelurahan()
    return template_workbook(
        MEMBER_LAYOUT,
        text_fields=("nik", "phone", "birth_date", "kpj"),
        lists={
            "sex": '"L,P"',
            "kelurahan_code": f"Kelurahan!$B$2:$B${len(kelurahan) + 1}",
        },
        guides=[("Kelurahan", [("Kelurahan", "Kode Kemendagri"), *((n, c) for c, n in kelurahan)])],
        notes=(
            "Isi satu baris per peserta, mulai baris 2 lembar Peserta. Jangan ubah judul kolom.",
            "NIK: 16 angka sesuai KTP, kolom berformat teks. Tanggal lahir: DD-MM-YYYY.",
            "Jenis kelamin: L atau P. Kode kelurahan: dari lembar Kelurahan.",
            "Nomor KPJ: 11 angka yang diterbitkan sistem BPJS Ketenagakerjaan untuk peserta "
            "ini (portal tidak membuat nomor KPJ), kolom berformat teks.",
        ),
    )


@dataclass
class RowReport:
    line: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_rows(content: bytes, layout: Layout) -> list[dict[str, str]]:
    """Rows of a CSV or XLSX file as dicts of text, read by the portal's one upload reader
    (`uploads.table.read_table`); each keeps its line in the file under "_line".

    Raises UploadRefused (a ServiceError on the file field) for a file it cannot trust.
    """
    rows = read_table(
        content,
        layout,
        max_bytes=current_app.config["UPLOAD_MAX_BYTES"],
        max_rows=current_app.config.get("UPLOAD_MAX_ROWS", 20_000),
    )
    out = []
    for row in rows:
        values = {c.field: row.cells.get(c.field, "") for c in layout.columns}
        values["_line"] = str(row.line_no)
        if row.unreadable:
            values["_unreadable"] = ",".join(row.unreadable)
        out.append(values)
    return out


def _parse_day(text: str) -> date | None:
    try:
        return normalise.day(text)
    except Unreadable:
        return None


def _column(field_name: str, layout: Layout) -> str:
    return next(c.header for c in layout.columns if c.field == field_name)


def _unreadable(values: dict[str, str], layout: Layout) -> list[str]:
    fields = [f for f in values.get("_unreadable", "").split(",") if f]
    return [
        _("%(column)s: contains characters we cannot read.", column=_column(f, layout))
        for f in fields
    ]


def _read(reader, text: str, column: str, errors: list[str]):
    """One cell through the normalise module; a problem becomes the row's error."""
    try:
        return reader(text)
    except Unreadable as problem:
        errors.append(f"{column}: {unreadable_message(problem.code)}")
        return None


def payment_line(values: dict[str, str]) -> PaymentLine:
    """The typed payment of a row that passed its checks."""
    return PaymentLine(
        line=int(values.get("_line", 0)),
        kpj=normalise.nik(values["kpj"]),
        period=normalise.month(values["period"]) or "",
        amount=normalise.rupiah(values["amount"]),
        paid_on=normalise.day(values["paid_on"]),
        channel=values["channel"].strip().lower(),
    )


def _check_payment_row(
    values: dict[str, str], seen: set[tuple[str, str]], lookup: PaymentLookup
) -> list[str]:
    layout = PAYMENT_LAYOUT
    errors = _unreadable(values, layout)
    kpj = _read(normalise.nik, values["kpj"], _column("kpj", layout), errors) or ""
    period = _read(normalise.month, values["period"], _column("period", layout), errors)
    amount = _read(normalise.rupiah, values["amount"], _column("amount", layout), errors)
    paid_on = _read(normalise.day, values["paid_on"], _column("paid_on", layout), errors)
    if paid_on is None and values["paid_on"].strip() == "":
        errors.append(_("%(column)s: give the date.", column=_column("paid_on", layout)))
    if values["channel"].strip().lower() not in PAYMENT_CHANNELS:
        errors.append(
            _(
                "%(column)s: one of %(c)s.",
                column=_column("channel", layout),
                c=", ".join(PAYMENT_CHANNELS),
            )
        )
    key = (kpj, period or values["period"])
    if key in seen:
        errors.append(_("The same KPJ and month appear twice in this file."))
    seen.add(key)
    if paid_on is not None and not errors:
        try:
            validate_payment(kpj, period or "", amount, paid_on, lookup)
        except BpjsError as exc:
            where = _column(exc.field, layout) if exc.field in PAYMENT_COLUMNS else None
            errors.append(f"{where}: {exc.message}" if where else exc.message)
    return errors


def _check_member_row(
    batch: FundedBatch,
    values: dict[str, str],
    seen: set[str],
    kelurahan: set[str],
    lookup: MemberLookup,
    taken: set[str],
) -> list[str]:
    layout = MEMBER_LAYOUT
    errors = _unreadable(values, layout)
    kpj = _member_kpj(values)
    if len(kpj) != ISSUED_KPJ_DIGITS or not kpj.isdigit():
        errors.append(
            _("%(column)s: a KPJ issued by BPJS has 11 digits.", column=_column("kpj", layout))
        )
    elif kpj in taken or ("kpj", kpj) in seen:
        errors.append(kpj_used_message(kpj))
    seen.add(("kpj", kpj))
    if values["kelurahan_code"] and values["kelurahan_code"] not in kelurahan:
        errors.append(
            _(
                "%(column)s: not a Singkawang kelurahan code.",
                column=_column("kelurahan_code", layout),
            )
        )
    nik = _read(normalise.nik, values["nik"], _column("nik", layout), errors) or ""
    birth = _read(normalise.day, values["birth_date"], _column("birth_date", layout), errors)
    if not values["full_name"]:
        errors.append(_("%(column)s: give the name.", column=_column("full_name", layout)))
    for name, limit in (("full_name", 120), ("phone", 20), ("occupation", 100)):
        if len(values[name]) > limit:
            errors.append(
                _("%(col)s: at most %(n)d characters.", col=_column(name, layout), n=limit)
            )
    if birth is None and not values["birth_date"].strip():
        errors.append(_("%(column)s: give the date.", column=_column("birth_date", layout)))
    sex = values["sex"].strip().upper()
    if sex not in ("L", "P"):
        errors.append(_("%(column)s: L or P.", column=_column("sex", layout)))
    try:
        if birth is not None and sex in ("L", "P"):
            for problem in cross_check(nik, birth, sex):
                errors.append(_("%(field)s does not match the NIK.", field=problem))
    except NikError:
        errors.append(_("%(column)s: this is not a valid NIK.", column=_column("nik", layout)))
    if nik in seen:
        errors.append(_("The same NIK appears twice in this file."))
    seen.add(nik)
    try:
        check_batch_member(batch, nik, lookup)
    except BpjsError as exc:
        errors.append(exc.message)
    return errors


def dry_run(kind: str, content: bytes, batch: FundedBatch | None = None) -> list[RowReport]:
    """Read the file and check every row without saving anything.

    Raises UploadRefused (a ServiceError on the field "file") for a file it cannot trust.
    """
    return check_rows(kind, read_rows(content, layout_of(kind)), batch)


def check_rows(
    kind: str, rows: list[dict[str, str]], batch: FundedBatch | None = None
) -> list[RowReport]:
    """Check rows already read from a file against the rules and the database, saving nothing.

    The database is read with a fixed number of queries whatever the number of rows (the
    review page runs this on every view of a file of up to UPLOAD_MAX_ROWS rows).
    """
    reports: list[RowReport] = []
    seen: set = set()
    if kind == BpjsUploadKind.PAYMENTS:
        payments = payment_lookup(_safe_nik(values["kpj"]) for values in rows)
    else:
        kelurahan = set(db.session.scalars(select(Region.code).where(Region.level == "kelurahan")))
        members = member_lookup(_safe_nik(values["nik"]) for values in rows)
        taken = set(
            db.session.scalars(
                select(Membership.kpj).where(
                    Membership.kpj.in_({_member_kpj(values) for values in rows})
                )
            )
        )
    for index, values in enumerate(rows, start=2):
        if kind == BpjsUploadKind.PAYMENTS:
            errors = _check_payment_row(values, seen, payments)
        else:
            errors = _check_member_row(batch, values, seen, kelurahan, members, taken)
        reports.append(RowReport(int(values.get("_line", index)), values, errors))
    if kind == BpjsUploadKind.BATCH_MEMBERS and batch is not None:
        from ..funded_batches.batches import figures_for

        free = batch.quota - figures_for([batch.id])[batch.id].members
        if len(reports) > free:
            reports[free if free >= 0 else 0].errors.append(
                _("Over quota: only %(n)d places are left in this batch.", n=max(free, 0))
            )
    return reports


def _member_kpj(values: dict[str, str]) -> str:
    """The KPJ cell as typed: spaces, dots and dashes dropped."""
    return "".join(ch for ch in values.get("kpj", "") if ch not in " .-\t")


def _safe_nik(text: str) -> str:
    try:
        return normalise.nik(text)
    except Unreadable:
        return text


def store_upload(
    kind: str, filename: str, content: bytes, reports: list[RowReport], actor: User, batch=None
) -> BpjsUpload:
    """Keep the file for confirmation (saves no payment/member). Who: BPJS staff."""
    upload = BpjsUpload(
        kind=kind,
        batch_id=batch.id if batch else None,
        filename=filename[:200],
        content=content,
        rows=[r.values for r in reports],
        row_count=len(reports),
        error_count=sum(1 for r in reports if not r.ok),
        uploaded_by_id=actor.id,
    )
    return add_recorded(
        upload,
        "upload.dry_run",
        {"kind": kind, "rows": upload.row_count, "errors": upload.error_count},
    )


def report_table(kind: str, reports: list[RowReport]) -> ExportTable:
    """Every row of the file with its errors, as a download.

    The template's own column headers stay as they are (they are the format the importer
    reads, so a corrected report can be uploaded again); the columns the report adds are
    translated.
    """
    layout = layout_of(kind)
    return ExportTable(
        headers=[_("Line"), *layout.headers, _("Errors")],
        rows=[
            [r.line, *(r.values.get(c.field, "") for c in layout.columns), "; ".join(r.errors)]
            for r in reports
        ],
        sheet_title=_("Report"),
    )


def confirm(upload: BpjsUpload, actor: User) -> int:
    """Import a clean, unconfirmed upload: every row is saved or none is.

    Who: the uploader (BPJS staff). Raises BpjsError when the upload was already confirmed,
    had errors, or a row fails on re-check (the caller rolls back). Returns rows imported.
    """
    if upload.uploaded_by_id != actor.id:
        raise BpjsError(None, _("Only the officer who uploaded the file can confirm it."))
    if upload.error_count:
        raise BpjsError(None, _("Fix the errors and upload the file again."))
    if not confirm_once(upload):
        raise BpjsError(None, _("This file has already been imported."))
    if upload.rows is None:
        raise BpjsError(
            None, _("This file was deleted after the retention period: upload it again.")
        )
    batch = db.session.get(FundedBatch, upload.batch_id) if upload.batch_id else None
    reports = check_rows(upload.kind, upload.rows, batch)
    bad = [r for r in reports if not r.ok]
    if bad:
        raise BpjsError(
            None, _("Line %(line)d: %(why)s", line=bad[0].line, why="; ".join(bad[0].errors))
        )
    if upload.kind == BpjsUploadKind.PAYMENTS:
        # All rows in one go: a month-end file of thousands of payments imports in seconds.
        imported = len(record_payments([payment_line(r.values) for r in reports], actor))
        record_event("upload.confirmed", upload, {"kind": upload.kind, "rows": imported})
        return imported
    people = [
        NewWorker(
            nik=normalise.nik(r.values["nik"]),
            full_name=r.values["full_name"],
            birth_date=normalise.day(r.values["birth_date"]),
            sex=r.values["sex"].strip().upper(),
            phone=r.values["phone"] or None,
            kelurahan_code=r.values["kelurahan_code"] or None,
            occupation=r.values["occupation"] or None,
        )
        for r in reports
    ]
    add_members(
        batch,
        people,
        actor,
        [r.line for r in reports],
        kpjs=[_member_kpj(r.values) for r in reports],
    )
    record_event("upload.confirmed", upload, {"kind": upload.kind, "rows": len(reports)})
    return len(reports)
