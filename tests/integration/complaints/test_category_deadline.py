"""The admin edits a complaint category's deadline in /admin: new complaints of that category
get the new deadline, complaints already running keep theirs."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Complaint, ComplaintCategory
from portal.services.complaints import workflow as complaint_workflow
from tests.factories_complaints import OpenComplaintFactory

from .conftest import complaint_form

EDIT_URL = "/admin/complaint-categories/edit/?id=enrolment_slow"


def _edit_category(client, days: str):
    return client.post(
        EDIT_URL,
        data={
            "name_id": "Pendaftaran lambat",
            "name_en": "Enrolment slow",
            "sla_working_days": days,
            "sort_order": "0",
            "active": "y",
        },
    )


def _submit(client, category: str, subject: str) -> Complaint:
    response = client.post(
        "/complaints/new", data=complaint_form(category=category, subject=subject)
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return db.session.scalar(select(Complaint).where(Complaint.subject == subject))


@pytest.fixture
def verified_on_monday_2_march(monkeypatch):
    """Verification happens on Monday 2 March 2026, 10:00 WIB."""
    monkeypatch.setattr(
        complaint_workflow, "utcnow", lambda: datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
    )


def test_new_deadline_applies_to_new_complaints_of_that_category_only(
    client, auth, login_as, staff, switch_to, verified_on_monday_2_march
):
    running = OpenComplaintFactory(category_code="enrolment_slow")  # due 9 March, 5 days
    db.session.commit()

    login_as("admin")
    assert "sla_working_days" in client.get(EDIT_URL).get_data(as_text=True)
    assert _edit_category(client, "10").status_code == 302
    db.session.expire_all()
    assert db.session.get(ComplaintCategory, "enrolment_slow").sla_working_days == 10
    event = db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
    assert (event.action, event.record_id) == ("admin.complaintcategory.updated", "enrolment_slow")
    auth.logout()

    slow = _submit(client, "enrolment_slow", "Pendaftaran belum diproses")
    other = _submit(client, "contribution", "Iuran belum tercatat")
    switch_to(staff["labour_officer"])
    for complaint in (slow, other):
        response = client.post(
            f"/complaints/staff/{complaint.id}/step/verify", data={"step-note": "Lengkap."}
        )
        assert response.status_code == 302

    db.session.expire_all()
    slow, other = db.session.get(Complaint, slow.id), db.session.get(Complaint, other.id)
    # 10 working days after Monday 2 March 2026: 3–6, 9–13 and 16 March.
    assert (slow.sla_started_on, slow.sla_due) == (date(2026, 3, 2), date(2026, 3, 16))
    # Another category keeps its 5 days: 3–6 and 9 March.
    assert other.sla_due == date(2026, 3, 9)
    # A complaint whose clock already ran keeps the deadline it was given.
    assert db.session.get(Complaint, running.id).sla_due == date(2026, 3, 9)


@pytest.mark.parametrize("days", ["0", "-3", "366", "lima"])
def test_a_deadline_outside_1_to_365_working_days_is_explained_and_not_saved(
    client, login_as, days
):
    login_as("admin")
    response = _edit_category(client, days)
    assert response.status_code == 200  # the form again, with the message next to the field
    body = response.get_data(as_text=True)
    assert "INSERT" not in body and "UPDATE" not in body and "sla_positive" not in body
    if days != "lima":
        assert "Masukkan jumlah hari kerja dari 1 sampai 365." in body
    db.session.expire_all()
    assert db.session.get(ComplaintCategory, "enrolment_slow").sla_working_days == 5


def test_a_change_the_database_refuses_is_explained_without_sql(client, login_as, monkeypatch):
    """Whatever slips past the form (here: the form's range check removed), the database's
    CHECK constraint refuses it and the admin reads a sentence, not a SQL statement."""
    from portal.admin import ComplaintCategoryAdmin

    login_as("admin")
    view = next(
        v
        for v in client.application.extensions["admin"][0]._views
        if isinstance(v, ComplaintCategoryAdmin)
    )
    form_class = view.get_edit_form()
    monkeypatch.setattr(view, "get_edit_form", lambda: form_class)
    monkeypatch.setattr(form_class.sla_working_days.kwargs["validators"][1], "min", None)
    response = _edit_category(client, "0")
    body = response.get_data(as_text=True)
    assert "Tidak disimpan: perubahan ini melanggar aturan data" in body
    assert "UPDATE" not in body and "complaint_categories" not in body
    db.session.expire_all()
    assert db.session.get(ComplaintCategory, "enrolment_slow").sla_working_days == 5
