"""Uploaded personal data is removed after the retention period; the audit trail remains."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, BpjsUpload, EmployeeUpload, EmployeeUploadRow, Setting
from portal.models._common import utcnow
from portal.services.membership import uploads as bpjs_uploads
from portal.services.membership.common import BpjsError
from portal.services.uploads.retention import purge_uploads
from tests.factories import BusinessFactory, UserFactory


def _employer_upload(business, created_at, state="checked", lines=3):
    upload = EmployeeUpload(
        token=f"tok-{created_at.timestamp()}-{state}",
        business_id=business.id,
        uploaded_by_id=business.owner_id,
        filename="pekerja.csv",
        sha256="a" * 64,
        state=state,
        created_at=created_at,
    )
    db.session.add(upload)
    db.session.flush()
    for line in range(2, 2 + lines):
        db.session.add(
            EmployeeUploadRow(upload_id=upload.id, line_no=line, cells='["3271015708900001"]')
        )
    return upload


def _bpjs_upload(officer, created_at):
    upload = BpjsUpload(
        kind="payments",
        filename="iuran.csv",
        content=b"kpj,periode\n26000000001,2026-01\n",
        rows=[{"kpj": "26000000001", "periode": "2026-01"}],
        uploaded_by_id=officer.id,
        created_at=created_at,
    )
    db.session.add(upload)
    return upload


def test_old_uploads_lose_their_personal_data_and_recent_ones_keep_it(app):
    now = utcnow()
    business = BusinessFactory()
    officer = UserFactory(role="bpjs_officer")
    old_checked = _employer_upload(business, now - timedelta(days=31))
    old_confirmed = _employer_upload(business, now - timedelta(days=40), state="confirmed")
    recent = _employer_upload(business, now - timedelta(days=2))
    old_file = _bpjs_upload(officer, now - timedelta(days=31))
    new_file = _bpjs_upload(officer, now - timedelta(days=1))
    db.session.commit()

    report = purge_uploads(now)
    db.session.commit()

    assert (report.employer_rows, report.employer_uploads, report.bpjs_uploads) == (6, 1, 1)
    rows_left = set(db.session.scalars(select(EmployeeUploadRow.upload_id)))
    assert rows_left == {recent.id}
    db.session.expire_all()
    assert db.session.get(EmployeeUpload, old_checked.id).state == "discarded"
    assert db.session.get(EmployeeUpload, old_confirmed.id).state == "confirmed"
    assert db.session.get(EmployeeUpload, recent.id).state == "checked"
    purged = db.session.get(BpjsUpload, old_file.id)
    assert purged.content == b"" and purged.rows is None and purged.purged_at is not None
    assert purged.filename == "iuran.csv"  # who uploaded what, when stays for the audit
    kept = db.session.get(BpjsUpload, new_file.id)
    assert kept.content.startswith(b"kpj") and kept.rows
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "uploads.purged"))
    assert event is not None and '"employer_rows_deleted": 6' in event.summary

    # Idempotent: nothing more to remove, and no new audit event.
    assert purge_uploads(now) == type(report)(0, 0, 0)
    db.session.commit()
    purges = select(func.count()).where(AuditEvent.action == "uploads.purged")
    assert db.session.scalar(purges) == 1


def test_retention_period_is_a_setting(app):
    now = utcnow()
    db.session.get(Setting, "upload_retention_days").value = "90"
    officer = UserFactory(role="bpjs_officer")
    _bpjs_upload(officer, now - timedelta(days=60))
    db.session.commit()
    assert purge_uploads(now).bpjs_uploads == 0


def test_purge_command_reports_what_it_removed(app):
    officer = UserFactory(role="bpjs_officer")
    _bpjs_upload(officer, utcnow() - timedelta(days=45))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["purge-uploads"])
    assert result.exit_code == 0, result.output
    assert "1 files emptied" in result.output


def test_an_emptied_upload_can_no_longer_be_imported(app):
    officer = UserFactory(role="bpjs_officer")
    upload = _bpjs_upload(officer, utcnow() - timedelta(days=45))
    db.session.commit()
    purge_uploads(utcnow())
    db.session.commit()
    with pytest.raises(BpjsError, match="unggah lagi"):
        bpjs_uploads.confirm(db.session.get(BpjsUpload, upload.id), officer)
