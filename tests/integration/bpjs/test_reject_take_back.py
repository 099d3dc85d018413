"""Issue 12: rejecting an enrolment request asks on the server first, and the officer who
rejected it may take the rejection back within a day (the request returns to the queue)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.domain.clock import now
from portal.extensions import db
from portal.models import AuditEvent, EnrolmentRequest
from tests.factories_bpjs import EnrolmentRequestFactory

REASON = "Bukan pekerja usaha ini"


def _reload(req_id: int) -> EnrolmentRequest:
    db.session.expire_all()
    return db.session.get(EnrolmentRequest, req_id)


def _actions(req_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.action.like("enrolment.%"), AuditEvent.record_id == str(req_id))
            .order_by(AuditEvent.id)
        )
    )


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_reject_asks_first_then_is_taken_back(client, officer):
    req = EnrolmentRequestFactory()
    db.session.commit()
    url = f"/bpjs/queue/{req.id}/reject"
    question = client.post(url, data={"rej-reason": REASON})
    assert question.status_code == 200
    page = _text(question)
    assert 'id="confirm-summary"' in page and REASON in page and req.worker.full_name in page
    assert 'name="rej-reason"' in page
    assert _reload(req.id).state == "submitted"
    back = client.post(url, data={"rej-reason": REASON, "confirmed": "change"})
    assert back.status_code == 200 and REASON in _text(back)
    assert _reload(req.id).state == "submitted"
    assert client.post(url, data={"rej-reason": REASON, "confirmed": "yes"}).status_code == 302
    assert _reload(req.id).state == "rejected"
    assert _actions(req.id)[-1] == "enrolment.rejected"
    assert 'id="undo-reject"' in _text(client.get(f"/bpjs/queue/{req.id}"))
    assert client.post(f"/bpjs/queue/{req.id}/undo-reject").status_code == 302
    req = _reload(req.id)
    assert (req.state, req.assignee_id, req.reject_reason, req.decided_at) == (
        "submitted",
        None,
        None,
        None,
    )
    assert _actions(req.id)[-2:] == ["enrolment.rejected", "enrolment.reject_undone"]
    assert 'id="undo-reject"' not in _text(client.get(f"/bpjs/queue/{req.id}"))


def test_a_claimed_request_returns_to_its_officer(client, officer):
    req = EnrolmentRequestFactory(state="in_review", assignee_id=officer.id)
    db.session.commit()
    client.post(f"/bpjs/queue/{req.id}/reject", data={"rej-reason": REASON, "confirmed": "yes"})
    client.post(f"/bpjs/queue/{req.id}/undo-reject")
    req = _reload(req.id)
    assert (req.state, req.assignee_id) == ("in_review", officer.id)


def test_after_a_day_the_rejection_stays(client, officer, clock):
    req = EnrolmentRequestFactory()
    db.session.commit()
    client.post(f"/bpjs/queue/{req.id}/reject", data={"rej-reason": REASON, "confirmed": "yes"})
    clock.now = now() + timedelta(days=1, minutes=1)
    assert 'id="undo-reject"' not in _text(client.get(f"/bpjs/queue/{req.id}"))
    client.post(f"/bpjs/queue/{req.id}/undo-reject")
    assert _reload(req.id).state == "rejected"
    assert _actions(req.id)[-1] == "enrolment.rejected"


def test_another_officer_cannot_take_the_rejection_back(client, auth, officer, login_as):
    req = EnrolmentRequestFactory()
    db.session.commit()
    client.post(f"/bpjs/queue/{req.id}/reject", data={"rej-reason": REASON, "confirmed": "yes"})
    auth.logout()
    login_as("bpjs_head")
    assert 'id="undo-reject"' not in _text(client.get(f"/bpjs/queue/{req.id}"))
    assert client.post(f"/bpjs/queue/{req.id}/undo-reject").status_code == 403
    assert _reload(req.id).state == "rejected"
