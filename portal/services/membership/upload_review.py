"""Around a BPJS upload (payments or batch members): receiving the file, the officer's own
upload, and its checked rows a page at a time with the rows in error first.

The reading and checking rules are in `uploads`; this module is what the pages call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from flask import current_app
from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select

from ...exports import ExportTable
from ...extensions import db
from ...models import BpjsUpload, BpjsUploadKind, FundedBatch, User
from ..access import one_or_404
from ..pages import page_number
from .common import BpjsError
from .uploads import (
    MEMBER_COLUMNS,
    PAYMENT_COLUMNS,
    RowReport,
    check_rows,
    dry_run,
    report_table,
    store_upload,
)


def receive_upload(
    kind: str, filename: str, stream: IO[bytes], actor: User, batch: FundedBatch | None = None
) -> BpjsUpload:
    """Read the file (at most UPLOAD_MAX_BYTES), check every row and keep it for review.

    Saves no payment or member. Who: BPJS staff. Raises BpjsError(field="file") for a file
    too large or unreadable.
    """
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    content = stream.read(limit + 1)
    if len(content) > limit:
        raise BpjsError("file", _("The file is too large."))
    reports = dry_run(kind, content, batch)
    return store_upload(kind, filename or "upload", content, reports, actor, batch)


def own_upload(upload_id: int, actor: User) -> BpjsUpload:
    """An upload of `actor`'s; NotFound for anyone else's (officers see only their files)."""
    return one_or_404(
        select(BpjsUpload).where(BpjsUpload.id == upload_id, BpjsUpload.uploaded_by_id == actor.id)
    )


def upload_reports(upload: BpjsUpload) -> list[RowReport]:
    """Every row of the upload checked again against the database as it is now (none once
    `flask purge-uploads` has emptied it)."""
    if upload.rows is None:
        return []
    batch = db.session.get(FundedBatch, upload.batch_id) if upload.batch_id else None
    return check_rows(upload.kind, upload.rows, batch)


def upload_report_table(upload: BpjsUpload) -> ExportTable:
    """Every row of the upload with its errors, as a download."""
    return report_table(upload.kind, upload_reports(upload))


class RowPagination(Pagination):
    """One page of rows already in memory (the checked rows of an uploaded file)."""

    def _query_items(self) -> list:
        start = (self.page - 1) * self.per_page
        return self._query_args["rows"][start : start + self.per_page]

    def _query_count(self) -> int:
        return len(self._query_args["rows"])


@dataclass
class UploadReview:
    """What the review page shows: a page of rows (errors first) and the counts."""

    page: Pagination
    columns: tuple[str, ...]
    total: int
    bad: int

    @property
    def clean(self) -> bool:
        """Every row is correct (and there is at least one): the file can be confirmed."""
        return not self.bad and bool(self.total)


def review_page(upload: BpjsUpload, page: object = 1) -> UploadReview:
    """The dry-run report a page at a time, rows in error first (a file may hold
    UPLOAD_MAX_ROWS rows; the XLSX report lists every row)."""
    reports = upload_reports(upload)
    bad = [r for r in reports if not r.ok]
    rows = RowPagination(
        page=page_number(page),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
        rows=bad + [r for r in reports if r.ok],
    )
    columns = PAYMENT_COLUMNS if upload.kind == BpjsUploadKind.PAYMENTS else MEMBER_COLUMNS
    return UploadReview(page=rows, columns=columns, total=len(reports), bad=len(bad))
