"""Submitting employees for enrolment, following the states, resubmitting returned ones."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from portal.domain.clock import today_wib
from portal.extensions import db
from portal.models import AuditEvent, EnrolmentRequest
from portal.services.reference.lookups import working_calendar
from tests.factories import BusinessFactory, EmploymentFactory, UserFactory
from tests.factories_employer import EnrolmentRequestFactory


def submit(client, business, ids=None, everything=False):
    data = {"submit_all": "1"} if everything else {"submit_selected": "1", "employment_id": ids}
    return client.post(f"/employer/businesses/{business.id}/enrolments", data=data)


def test_selected_employees_get_submitted_requests_with_working_day_deadline(client, business):
    chosen = EmploymentFactory(business=business, monthly_amount=5_000_000)
    EmploymentFactory(business=business)
    db.session.commit()
    response = submit(client, business, [chosen.id])
    assert response.status_code == 302
    request = db.session.scalar(select(EnrolmentRequest))
    assert request.employment_id == chosen.id
    assert request.state == "submitted"
    assert request.submitted_at is not None
    assert request.sla_due == working_calendar().add_working_days(today_wib(), 5)
    assert (request.monthly_contribution, request.employer_share, request.worker_share) == (
        462_000,
        312_000,
        150_000,
    )
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "enrolment.submitted"))


def test_submit_all_takes_every_current_not_enrolled_employee(client, business):
    EmploymentFactory.create_batch(3, business=business)
    EmploymentFactory(business=business, end_date=date(2026, 2, 1))
    enrolled = EmploymentFactory(business=business)
    EnrolmentRequestFactory(employment=enrolled, state="enrolled", kpj="12345678901")
    db.session.commit()
    submit(client, business, everything=True)
    assert db.session.scalar(select(func.count()).where(EnrolmentRequest.state == "submitted")) == 3


def test_submitting_twice_creates_nothing_twice(client, business):
    employment = EmploymentFactory(business=business)
    db.session.commit()
    submit(client, business, [employment.id])
    second = submit(client, business, [employment.id])
    assert second.status_code == 302
    submit(client, business, everything=True)
    assert db.session.scalar(select(func.count(EnrolmentRequest.id))) == 1
    page = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "sudah" in page or "already" in page


def test_pending_business_cannot_submit_and_owner_sees_why(client, owner):
    pending = BusinessFactory(owner=owner, verification_state="pending")
    employment = EmploymentFactory(business=pending)
    db.session.commit()
    response = submit(client, pending, [employment.id])
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(EnrolmentRequest.id))) == 0
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'id="not-verified"' in page


def test_ids_of_another_business_are_ignored(client, business):
    foreign = EmploymentFactory(business=BusinessFactory(owner=UserFactory()))
    db.session.commit()
    submit(client, business, [foreign.id])
    assert db.session.scalar(select(func.count(EnrolmentRequest.id))) == 0
    other = foreign.business
    assert submit(client, other, [foreign.id]).status_code == 404


def test_returned_request_is_corrected_and_resubmitted(client, business):
    employment = EmploymentFactory(business=business, monthly_amount=3_000_000)
    request = EnrolmentRequestFactory(
        employment=employment, state="returned", return_reason="Upah di bawah UMK"
    )
    db.session.commit()
    page = client.get(f"/employer/employees/{employment.id}").get_data(as_text=True)
    assert "Upah di bawah UMK" in page
    employment.monthly_amount = 5_000_000
    db.session.commit()
    response = client.post(
        f"/employer/enrolments/{request.id}/resubmit", data={"version": request.version}
    )
    assert response.status_code == 302
    db.session.refresh(request)
    assert request.state == "submitted"
    assert request.monthly_contribution == 462_000
    assert request.return_reason is None
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "enrolment.resubmitted")
    )
    assert "Upah di bawah UMK" in event.summary


def test_resubmit_with_stale_version_or_wrong_state_changes_nothing(client, business):
    returned = EnrolmentRequestFactory(employment=EmploymentFactory(business=business))
    returned.state = "returned"
    in_review = EnrolmentRequestFactory(
        employment=EmploymentFactory(business=business), state="in_review"
    )
    db.session.commit()
    client.post(f"/employer/enrolments/{returned.id}/resubmit", data={"version": 99})
    client.post(f"/employer/enrolments/{in_review.id}/resubmit", data={"version": 1})
    db.session.refresh(returned)
    db.session.refresh(in_review)
    assert returned.state == "returned"
    assert in_review.state == "in_review"


def test_owner_cannot_resubmit_another_owners_request(client, owner):
    foreign = EnrolmentRequestFactory(state="returned")
    db.session.commit()
    response = client.post(f"/employer/enrolments/{foreign.id}/resubmit", data={"version": 1})
    assert response.status_code == 404


def test_request_list_shows_every_state_with_reason_and_kpj(client, business):
    states = {
        "submitted": {},
        "in_review": {},
        "returned": {"return_reason": "Foto KTP buram"},
        "enrolled": {"kpj": "26123456789"},
        "rejected": {"reject_reason": "Sudah terdaftar di kantor lain"},
    }
    for state, extra in states.items():
        EnrolmentRequestFactory(
            employment=EmploymentFactory(business=business), state=state, **extra
        )
    EnrolmentRequestFactory(state="returned", return_reason="Rahasia usaha lain")
    db.session.commit()
    html = client.get("/employer/enrolments").get_data(as_text=True)
    for text in ("Foto KTP buram", "26123456789", "Sudah terdaftar di kantor lain"):
        assert text in html
    assert "Rahasia usaha lain" not in html
    filtered = client.get("/employer/enrolments?state=returned").get_data(as_text=True)
    assert "Foto KTP buram" in filtered and "26123456789" not in filtered
