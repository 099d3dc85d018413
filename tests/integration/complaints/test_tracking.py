"""Following a complaint without an account: code + phone or email, and nothing leaks."""

from __future__ import annotations

from portal.extensions import db
from tests.factories_complaints import ComplaintEventFactory, OpenComplaintFactory
from tests.page_says import page_says


def _track(client, code, contact, ip="10.1.0.1"):
    return client.post(
        "/complaints/track",
        data={"code": code, "contact": contact},
        environ_base={"REMOTE_ADDR": ip},
    )


def test_code_with_phone_opens_the_complaint(client):
    complaint = OpenComplaintFactory()
    db.session.commit()
    response = _track(client, complaint.tracking_code, "+62 812-9876-5432")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/complaints/track/{complaint.tracking_code}")
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert complaint.subject in page.get_data(as_text=True)


def test_code_with_email_in_any_case_opens_the_complaint(client):
    complaint = OpenComplaintFactory()
    db.session.commit()
    response = _track(client, complaint.tracking_code.lower(), "  ANI@Example.ID ")
    assert response.status_code == 302


def test_a_wrong_pair_answers_exactly_like_an_unknown_code(client):
    complaint = OpenComplaintFactory()
    db.session.commit()
    wrong_contact = _track(client, complaint.tracking_code, "081200000000")
    unknown_code = _track(client, "LPR-ZZZZZZZZZZ", "081298765432")
    assert wrong_contact.status_code == unknown_code.status_code == 400

    def says(response):
        body = response.get_data(as_text=True)
        for value in ("LPR-ZZZZZZZZZZ", complaint.tracking_code, "081200000000", "081298765432"):
            body = body.replace(value, "X")
        # What the reader sees, not raw HTML: CSRF tokens carry their signing second (two
        # requests may straddle one) and attribute order is not part of the answer.
        return page_says(body)

    assert says(wrong_contact) == says(unknown_code)
    assert complaint.subject not in wrong_contact.get_data(as_text=True)


def test_the_complaint_page_needs_the_proof_first(client):
    complaint = OpenComplaintFactory()
    db.session.commit()
    assert client.get(f"/complaints/track/{complaint.tracking_code}").status_code == 404
    assert client.post(f"/complaints/track/{complaint.tracking_code}/confirm").status_code == 404


def test_public_tracking_leaks_no_staff_names_internal_notes_or_reporter_details(client, staff):
    officer = staff["bpjs_officer"]
    complaint = OpenComplaintFactory(assignee_id=officer.id, hide_identity=True)
    ComplaintEventFactory(
        complaint=complaint,
        kind="note",
        to_state=None,
        actor_id=officer.id,
        actor_label=officer.name,
        actor_kind="staff",
        actor_agency_id=officer.agency_id,
        note="Catatan internal: pelapor pernah komplain sebelumnya",
        public=False,
    )
    ComplaintEventFactory(
        complaint=complaint,
        kind="assigned",
        to_state="assigned",
        actor_id=officer.id,
        actor_label=officer.name,
        actor_kind="staff",
        actor_agency_id=officer.agency_id,
        public=True,
    )
    db.session.commit()
    _track(client, complaint.tracking_code, "081298765432")
    body = client.get(f"/complaints/track/{complaint.tracking_code}").get_data(as_text=True)
    assert "Catatan internal" not in body
    assert officer.name not in body
    assert officer.email not in body
    assert "BPJS" in body  # the agency, not the person
    for secret in ("Ani Pelapor", "081298765432", "ani@example.id"):
        assert secret not in body


def test_tracking_lookups_are_rate_limited_per_ip(app, client):
    app.config["COMPLAINT_TRACK_RATE_LIMIT"] = "3 per minute"
    statuses = [
        _track(client, "LPR-ZZZZZZZZZZ", "0812", ip="10.7.0.1").status_code for _ in range(4)
    ]
    assert statuses == [400, 400, 400, 429]


def test_reporter_answers_through_tracking_and_the_paused_days_move_the_deadline(
    client, staff, switch_to, auth, clock
):
    from datetime import UTC, date, datetime

    from sqlalchemy import select

    from portal.models import Complaint, ComplaintEvent, Notification
    from portal.services.complaints.sla import sla_status
    from portal.services.reference.lookups import working_calendar

    officer = staff["bpjs_officer"]
    # Clock started Monday 2 March 2026, 5 working days: due Monday 9 March.
    complaint = OpenComplaintFactory(assignee_id=officer.id)
    db.session.commit()
    code = complaint.tracking_code

    # Wednesday 4 March, 10:00 WIB: the officer asks the reporter a question.
    switch_to(officer)
    clock.now = datetime(2026, 3, 4, 3, 0, tzinfo=UTC)
    asked = client.post(
        f"/complaints/staff/{complaint.id}/step/wait",
        data={"step-note": "Mohon kirim nomor KPJ pekerja yang belum terdaftar."},
    )
    assert asked.status_code == 302
    auth.logout()

    # The reporter proves code + email on the public tracking page and sees the question.
    assert _track(client, code, "ani@example.id", ip="10.9.0.1").status_code == 302
    page = client.get(f"/complaints/track/{code}").get_data(as_text=True)
    assert "Mohon kirim nomor KPJ" in page and "Menunggu jawaban pelapor" in page

    # Friday 6 March, 11:00 WIB: the answer. Thursday 5 and Friday 6 were paused.
    clock.now = datetime(2026, 3, 6, 4, 0, tzinfo=UTC)
    answered = client.post(f"/complaints/track/{code}/reply", data={"note": "KPJ 12345678901"})
    assert answered.status_code == 302

    db.session.expire_all()
    complaint = db.session.get(Complaint, complaint.id)
    assert complaint.state == "in_progress" and complaint.paused_since is None
    assert complaint.paused_working_days == 2
    assert complaint.sla_due == date(2026, 3, 11)  # Monday 9 March + 2 working days
    kinds = db.session.execute(
        select(ComplaintEvent.kind, ComplaintEvent.actor_kind, ComplaintEvent.public)
        .where(ComplaintEvent.complaint_id == complaint.id)
        .order_by(ComplaintEvent.id)
    ).all()
    assert kinds == [("waiting_reporter", "staff", True), ("in_progress", "reporter", True)]

    # The answer is on the reporter's timeline, the state is back to in progress.
    page = client.get(f"/complaints/track/{code}").get_data(as_text=True)
    assert "KPJ 12345678901" in page and 'data-state="in_progress"' in page
    assert f'action="/complaints/track/{code}/reply"' not in page  # nothing left to answer

    # Budget 5 working days, 2 of them paused: due soon on 11 March, late only on 12 March.
    cal = working_calendar()
    on_due_day = sla_status(complaint, date(2026, 3, 11), cal)
    assert (on_due_day.code, on_due_day.due, on_due_day.budget) == (
        "due_soon",
        date(2026, 3, 11),
        5,
    )
    assert on_due_day.elapsed == 5  # 7 working days since 2 March minus the 2 paused
    assert sla_status(complaint, date(2026, 3, 10), cal).code == "due_soon"
    late = sla_status(complaint, date(2026, 3, 12), cal)
    assert (late.code, late.days_overdue) == ("overdue", 1)

    # The officer is told the clock runs again.
    notice = db.session.scalar(
        select(Notification.message)
        .where(Notification.user_id == officer.id)
        .order_by(Notification.id.desc())
        .limit(1)
    )
    assert code in notice and "menjawab" in notice
