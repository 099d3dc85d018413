"""Two people changing the same complaint: the second write is refused, nothing is lost."""

from __future__ import annotations

import pytest
from sqlalchemy import update
from sqlalchemy.orm.exc import StaleDataError

from portal.extensions import db
from portal.models import Complaint
from portal.services.complaints import workflow as flow
from tests.factories_complaints import ComplaintFactory


def test_a_stale_complaint_cannot_be_overwritten(app, staff):
    complaint = ComplaintFactory()
    db.session.commit()
    loaded = db.session.get(Complaint, complaint.id)
    assert loaded.state == "submitted"
    # Someone else verifies it meanwhile (another connection, committed).
    with db.engine.begin() as other:
        other.execute(
            update(Complaint)
            .where(Complaint.id == complaint.id)
            .values(state="rejected", version=Complaint.version + 1)
        )
    with pytest.raises(StaleDataError):  # at the audit query's autoflush or the final flush
        flow.hold(loaded, staff["labour_officer"], "Menunggu dokumen")
        db.session.flush()
    db.session.rollback()
    assert db.session.get(Complaint, complaint.id).state == "rejected"


def test_the_page_says_someone_else_changed_it(client, staff, switch_to, monkeypatch):
    complaint = ComplaintFactory()
    db.session.commit()
    switch_to(staff["labour_officer"])

    def stale(*args, **kwargs):
        raise StaleDataError("changed meanwhile")

    monkeypatch.setattr(flow, "verify", stale)
    from portal.complaints import staff_views

    monkeypatch.setitem(staff_views.NOTE_STEPS, "verify", stale)
    response = client.post(
        f"/complaints/staff/{complaint.id}/step/verify",
        data={"step-note": ""},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "alert-warning" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Complaint, complaint.id).state == "submitted"
