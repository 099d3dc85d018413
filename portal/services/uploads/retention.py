"""Retention of uploaded personal data (UU 27/2022: keep it no longer than needed).

Uploaded files hold NIKs, birth dates and KPJ numbers. Once an upload is imported or given up
its content has served its purpose: after `upload_retention_days` (a setting, default 30)
`flask purge-uploads` (cron, daily) removes it and keeps only what the audit trail needs (who
uploaded which file when, and the counts).

- Employer uploads: their staged rows are deleted; an upload never confirmed becomes
  `discarded`.
- BPJS payment and batch-member uploads: the stored file is emptied and `purged_at` set; an
  upload never confirmed can then no longer be imported.
- Consent photos a field agent took (a signed statement with the person's name and often his
  ID card): once BPJS has decided the request (enrolled, rejected, or withdrawn) the photo has
  served its purpose — BPJS's own system holds the registration — and it is removed the same
  number of days after the decision; its SHA-256 (taken at upload) and `consent_photo_purged_at`
  stay, so the request still shows that consent was given by photo and a kept copy can be
  matched to it. A request still open (at BPJS, or returned to be corrected) keeps its photo.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from ...extensions import db
from ...models import (
    OPEN_ENROLMENT_STATES,
    BpjsUpload,
    EmployeeUpload,
    EmployeeUploadRow,
    EnrolmentRequest,
    UploadState,
)
from ...models._common import utcnow
from ..audit.trail import record_event
from ..reference.lookups import setting_int
from ..saving import update_rows

RETENTION_SETTING = "upload_retention_days"
DEFAULT_RETENTION_DAYS = 30


@dataclass(frozen=True)
class PurgeReport:
    employer_uploads: int
    employer_rows: int
    bpjs_uploads: int
    consent_photos: int = 0


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
    employer = update_rows(
        EmployeeUpload,
        EmployeeUpload.created_at < cutoff,
        EmployeeUpload.state.in_([UploadState.CHECKING, UploadState.CHECKED]),
        state=UploadState.DISCARDED,
    )
    bpjs = update_rows(
        BpjsUpload,
        BpjsUpload.created_at < cutoff,
        BpjsUpload.purged_at.is_(None),
        content=b"",
        rows=None,
        purged_at=now,
    )
    photos = _purge_consent_photos(cutoff, now)
    report = PurgeReport(
        employer_uploads=employer, employer_rows=rows, bpjs_uploads=bpjs, consent_photos=photos
    )
    if rows or employer or bpjs or photos:
        record_event(
            "uploads.purged",
            None,
            {
                "retention_days": days,
                "employer_rows_deleted": rows,
                "employer_uploads_discarded": employer,
                "bpjs_files_emptied": bpjs,
                "consent_photos_removed": photos,
            },
        )
    return report


def _purge_consent_photos(cutoff: datetime, now: datetime) -> int:
    """Remove the consent photos of requests closed (no longer open) before `cutoff`; their
    digest (taken at upload; migration 0010 took it for older photos) stays."""
    return update_rows(
        EnrolmentRequest,
        EnrolmentRequest.consent_photo.is_not(None),
        EnrolmentRequest.state.not_in(OPEN_ENROLMENT_STATES),
        func.coalesce(EnrolmentRequest.decided_at, EnrolmentRequest.updated_at) < cutoff,
        consent_photo=None,
        consent_photo_purged_at=now,
    )
