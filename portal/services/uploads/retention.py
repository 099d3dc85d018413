"""Retention of uploaded personal data (UU 27/2022: keep it no longer than needed).

Uploaded files hold NIKs, birth dates and KPJ numbers. Once an upload is imported or given up
its content has served its purpose: after `upload_retention_days` (a setting, default 30)
`flask purge-uploads` (cron, daily) removes it and keeps only what the audit trail needs (who
uploaded which file when, and the counts).

- Employer uploads: their staged rows are deleted; an upload never confirmed becomes
  `discarded`.
- BPJS payment and batch-member uploads: the stored file is emptied and `purged_at` set; an
  upload never confirmed can then no longer be imported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from ...extensions import db
from ...models import BpjsUpload, EmployeeUpload, EmployeeUploadRow, UploadState
from ...models._common import utcnow
from ..audit.trail import record_event
from ..reference.lookups import setting_int

RETENTION_SETTING = "upload_retention_days"
DEFAULT_RETENTION_DAYS = 30


@dataclass(frozen=True)
class PurgeReport:
    employer_uploads: int
    employer_rows: int
    bpjs_uploads: int


def purge_uploads(now: datetime | None = None) -> PurgeReport:
    """Remove uploaded personal data older than the retention period. The caller commits."""
    now = now or utcnow()
    days = setting_int(RETENTION_SETTING, DEFAULT_RETENTION_DAYS)
    cutoff = now - timedelta(days=days)

    old_employer = select(EmployeeUpload.id).where(EmployeeUpload.created_at < cutoff)
    rows = db.session.execute(
        delete(EmployeeUploadRow)
        .where(EmployeeUploadRow.upload_id.in_(old_employer))
        .execution_options(synchronize_session=False)
    ).rowcount
    employer = db.session.execute(
        update(EmployeeUpload)
        .where(
            EmployeeUpload.created_at < cutoff,
            EmployeeUpload.state.in_([UploadState.CHECKING, UploadState.CHECKED]),
        )
        .values(state=UploadState.DISCARDED)
        .execution_options(synchronize_session=False)
    ).rowcount
    bpjs = db.session.execute(
        update(BpjsUpload)
        .where(BpjsUpload.created_at < cutoff, BpjsUpload.purged_at.is_(None))
        .values(content=b"", rows=None, purged_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    report = PurgeReport(employer_uploads=employer, employer_rows=rows, bpjs_uploads=bpjs)
    if rows or employer or bpjs:
        record_event(
            "uploads.purged",
            None,
            {
                "retention_days": days,
                "employer_rows_deleted": rows,
                "employer_uploads_discarded": employer,
                "bpjs_files_emptied": bpjs,
            },
        )
    return report
