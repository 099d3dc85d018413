"""What the owner sees of a bulk upload: its progress, the checked rows page by page, the
downloadable report and the empty template. Uploads are scoped to their business's owner."""

from __future__ import annotations

import json

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select

from ...exports import ExportTable
from ...extensions import db
from ...models import Business, EmployeeUpload, EmployeeUploadRow, UploadRowOutcome
from ..access import one_or_404
from ..audit.trail import record_event
from ..pages import page_of
from ..reference import choices
from .rules import problem_message
from .upload_format import COLUMNS, template_bytes

HEADER_OF = dict(COLUMNS)
#: The outcomes the report can be filtered by (every row has one once checked).
OUTCOME_FILTERS = tuple(o.value for o in UploadRowOutcome if o != UploadRowOutcome.PENDING)
OUTCOME_LABELS = {
    UploadRowOutcome.NEW.value: _l("New worker"),
    UploadRowOutcome.LINK.value: _l("Existing worker, new in this business"),
    UploadRowOutcome.UNCHANGED.value: _l("Already registered, unchanged"),
    UploadRowOutcome.ERROR.value: _l("Error"),
}
REPORT_ROWS_PER_PAGE = 50


def load_upload(token: str, owner_id: int) -> EmployeeUpload:
    """The upload with this token if it belongs to one of the owner's businesses; NotFound
    otherwise."""
    return one_or_404(
        select(EmployeeUpload)
        .join(Business, EmployeeUpload.business_id == Business.id)
        .where(EmployeeUpload.token == token, Business.owner_id == owner_id)
    )


def progress(upload: EmployeeUpload) -> dict:
    """How far the dry run is (what the progress bar polls)."""
    total = upload.total_rows or 1
    return {
        "state": upload.state,
        "total": upload.total_rows,
        "checked": upload.checked_rows,
        "percent": int(100 * upload.checked_rows / total),
        "errors": upload.error_rows,
    }


def outcome_filter(raw: str | None) -> str:
    """A known outcome to filter the report by, or "" for all rows."""
    return raw if raw in OUTCOME_FILTERS else ""


def row_messages(row: EmployeeUploadRow) -> list[tuple[str, str]]:
    """(column header, message) for each problem of a staged row, in the reader's language."""
    if not row.problems:
        return []
    return [
        (
            HEADER_OF.get(field, HEADER_OF.get(field.removesuffix("_code"), field)),
            problem_message(code, params),
        )
        for field, code, params in json.loads(row.problems)
    ]


def report_page(upload: EmployeeUpload, outcome: str, page: object = 1) -> Pagination:
    """One page of the checked rows, by line, optionally of one outcome."""
    stmt = select(EmployeeUploadRow).where(EmployeeUploadRow.upload_id == upload.id)
    if outcome:
        stmt = stmt.where(EmployeeUploadRow.outcome == outcome)
    return page_of(stmt.order_by(EmployeeUploadRow.line_no), page, REPORT_ROWS_PER_PAGE)


def report_lines(rows: list[EmployeeUploadRow]) -> list[tuple[EmployeeUploadRow, dict, list]]:
    """Each row with its cells as read and its messages."""
    return [(row, json.loads(row.cells), row_messages(row)) for row in rows]


def report_export(upload: EmployeeUpload) -> ExportTable:
    """Every row of the check with its result and messages, for the owner to fix the file.

    The cells hold NIKs: writes `employees.upload_report_downloaded`.
    """
    staged = db.session.scalars(
        select(EmployeeUploadRow)
        .where(EmployeeUploadRow.upload_id == upload.id)
        .order_by(EmployeeUploadRow.line_no)
    )
    rows = []
    for row in staged:
        cells = json.loads(row.cells)
        messages = "; ".join(f"{col}: {msg}" for col, msg in row_messages(row))
        label = OUTCOME_LABELS.get(row.outcome)
        rows.append(
            [
                row.line_no,
                *(cells.get(f, "") for f, _h in COLUMNS),
                str(label) if label is not None else row.outcome,
                messages,
            ]
        )
    record_event("employees.upload_report_downloaded", upload, {"rows": len(rows)})
    return ExportTable(
        headers=[_("Line"), *(h for _f, h in COLUMNS), _("Result"), _("Errors")],
        rows=rows,
        sheet_title=_("Check report"),
    )


def template_workbook() -> bytes:
    """The XLSX template, with the city's kelurahan to choose from."""
    return template_bytes(choices.kelurahan())
