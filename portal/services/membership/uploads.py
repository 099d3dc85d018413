"""Payment files and funded-batch member files: dry run, row report, confirmed import.

Same shape as the employee upload: the file is kept (BpjsUpload) after a dry run that checks
every row; the officer sees a per-row report on screen and as XLSX with an error column; only
a clean dry run can be confirmed, and confirming re-checks every row inside the import
transaction (a row that became invalid meanwhile refuses the whole file: all or nothing).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app
from flask_babel import gettext as _
from openpyxl import load_workbook
from sqlalchemy import select, update

from ...domain.money import parse_rupiah
from ...domain.nik import NikError, cross_check
from ...exports import ExportTable
from ...extensions import db
from ...models import BpjsUpload, BpjsUploadKind, FundedBatch, Region, User
from ...models._common import utcnow
from ..audit.trail import record_event
from ..funded_batches.batches import (
    MemberLookup,
    NewWorker,
    add_members,
    check_batch_member,
    member_lookup,
)
from ..uploads.reader import UploadRefused, check_xlsx_container
from .common import BpjsError
from .payments import (
    PAYMENT_CHANNELS,
    PaymentLine,
    PaymentLookup,
    payment_lookup,
    record_payments,
    validate_payment,
)

PAYMENT_COLUMNS = ("kpj", "period", "amount", "paid_on", "channel")
MEMBER_COLUMNS = ("nik", "full_name", "birth_date", "sex", "phone", "kelurahan_code", "occupation")


@dataclass
class RowReport:
    line: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(content: bytes, expected: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows of a CSV or XLSX file (type decided by content, not name) as dicts of text.

    Raises BpjsError for an unreadable file, missing columns or too many rows.
    """
    max_rows = current_app.config.get("UPLOAD_MAX_ROWS", 20_000)
    too_many = BpjsError("file", _("At most %(n)d rows per file.", n=max_rows))
    if content[:4] == b"PK\x03\x04":
        try:
            check_xlsx_container(content)  # zip and XML bombs, as for employee files
        except UploadRefused as refused:
            raise BpjsError("file", refused.message()) from refused
        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            raw = []
            for row in workbook.active.iter_rows(values_only=True):
                if len(raw) > max_rows + 1:  # stop reading: never hold a huge sheet
                    raise too_many
                raw.append([_cell(v) for v in row])
            workbook.close()
        except BpjsError:
            raise
        except Exception as exc:  # openpyxl raises many types for damaged files
            raise BpjsError("file", _("This XLSX file cannot be read.")) from exc
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise BpjsError("file", _("The file is neither XLSX nor UTF-8 CSV.")) from exc
        first_line = text.split("\n", 1)[0]
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        raw = [[c.strip() for c in row] for row in reader]
    raw = [row for row in raw if any(row)]
    if not raw:
        raise BpjsError("file", _("The file is empty."))
    header = [h.strip().lower() for h in raw[0]]
    missing = [c for c in expected if c not in header]
    if missing:
        raise BpjsError("file", _("Missing columns: %(cols)s.", cols=", ".join(missing)))
    if len(raw) - 1 > max_rows:
        raise too_many
    index = {name: header.index(name) for name in expected}
    return [
        {name: (row[i] if i < len(row) else "") for name, i in index.items()} for row in raw[1:]
    ]


def _parse_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _check_payment_row(
    values: dict[str, str], seen: set[tuple[str, str]], lookup: PaymentLookup
) -> list[str]:
    amount = parse_rupiah(values["amount"]) if values["amount"] else None
    paid_on = _parse_day(values["paid_on"])
    errors = []
    if paid_on is None:
        errors.append(_("paid_on: give a date as YYYY-MM-DD."))
    if values["channel"] not in PAYMENT_CHANNELS:
        errors.append(_("channel: one of %(c)s.", c=", ".join(PAYMENT_CHANNELS)))
    key = (values["kpj"], values["period"])
    if key in seen:
        errors.append(_("The same KPJ and month appear twice in this file."))
    seen.add(key)
    if paid_on is not None:
        try:
            validate_payment(values["kpj"], values["period"], amount, paid_on, lookup)
        except BpjsError as exc:
            errors.append(f"{exc.field}: {exc.message}" if exc.field else exc.message)
    return errors


def _check_member_row(
    batch: FundedBatch,
    values: dict[str, str],
    seen: set[str],
    kelurahan: set[str],
    lookup: MemberLookup,
) -> list[str]:
    errors = []
    if values["kelurahan_code"] and values["kelurahan_code"] not in kelurahan:
        errors.append(_("kelurahan_code: not a Singkawang kelurahan code."))
    nik = values["nik"]
    birth = _parse_day(values["birth_date"])
    if not values["full_name"]:
        errors.append(_("full_name: give the name."))
    for column, limit in (("full_name", 120), ("phone", 20), ("occupation", 100)):
        if len(values[column]) > limit:
            errors.append(_("%(col)s: at most %(n)d characters.", col=column, n=limit))
    if birth is None:
        errors.append(_("birth_date: give a date as YYYY-MM-DD."))
    if values["sex"] not in ("L", "P"):
        errors.append(_("sex: L or P."))
    try:
        if birth is not None and values["sex"] in ("L", "P"):
            for problem in cross_check(nik, birth, values["sex"]):
                errors.append(_("%(field)s does not match the NIK.", field=problem))
    except NikError:
        errors.append(_("nik: this is not a valid NIK."))
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

    Raises BpjsError for an unreadable file.
    """
    columns = PAYMENT_COLUMNS if kind == BpjsUploadKind.PAYMENTS else MEMBER_COLUMNS
    return check_rows(kind, read_rows(content, columns), batch)


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
        payments = payment_lookup(values["kpj"] for values in rows)
    else:
        kelurahan = set(db.session.scalars(select(Region.code).where(Region.level == "kelurahan")))
        members = member_lookup(values["nik"] for values in rows)
    for line, values in enumerate(rows, start=2):
        if kind == BpjsUploadKind.PAYMENTS:
            errors = _check_payment_row(values, seen, payments)
        else:
            errors = _check_member_row(batch, values, seen, kelurahan, members)
        reports.append(RowReport(line, values, errors))
    if kind == BpjsUploadKind.BATCH_MEMBERS and batch is not None:
        from ..funded_batches.batches import figures_for

        free = batch.quota - figures_for([batch.id])[batch.id].members
        if len(reports) > free:
            reports[free if free >= 0 else 0].errors.append(
                _("Over quota: only %(n)d places are left in this batch.", n=max(free, 0))
            )
    return reports


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
    db.session.add(upload)
    db.session.flush()
    record_event(
        "upload.dry_run",
        upload,
        {"kind": kind, "rows": upload.row_count, "errors": upload.error_count},
    )
    return upload


def report_table(kind: str, reports: list[RowReport]) -> ExportTable:
    """Every row of the file with its errors, as a download.

    The file's own column names stay as they are (they are the format the importer reads, so
    a corrected report can be uploaded again); the columns the report adds are translated.
    """
    columns = PAYMENT_COLUMNS if kind == BpjsUploadKind.PAYMENTS else MEMBER_COLUMNS
    return ExportTable(
        headers=[_("Line"), *columns, _("Errors")],
        rows=[[r.line, *(r.values[c] for c in columns), "; ".join(r.errors)] for r in reports],
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
    claimed = db.session.execute(
        update(BpjsUpload)
        .where(BpjsUpload.id == upload.id, BpjsUpload.confirmed_at.is_(None))
        .values(confirmed_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
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
        imported = len(
            record_payments(
                [
                    PaymentLine(
                        line=r.line,
                        kpj=r.values["kpj"],
                        period=r.values["period"],
                        amount=parse_rupiah(r.values["amount"]),
                        paid_on=_parse_day(r.values["paid_on"]),
                        channel=r.values["channel"],
                    )
                    for r in reports
                ],
                actor,
            )
        )
        record_event("upload.confirmed", upload, {"kind": upload.kind, "rows": imported})
        return imported
    people = [
        NewWorker(
            nik=r.values["nik"],
            full_name=r.values["full_name"],
            birth_date=_parse_day(r.values["birth_date"]),
            sex=r.values["sex"],
            phone=r.values["phone"] or None,
            kelurahan_code=r.values["kelurahan_code"] or None,
            occupation=r.values["occupation"] or None,
        )
        for r in reports
    ]
    add_members(batch, people, actor, [r.line for r in reports])
    record_event("upload.confirmed", upload, {"kind": upload.kind, "rows": len(reports)})
    return len(reports)
