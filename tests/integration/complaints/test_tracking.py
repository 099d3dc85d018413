"""Following a complaint without an account: code + phone or email, and nothing leaks."""

from __future__ import annotations

from portal.extensions import db
from tests.factories_complaints import ComplaintEventFactory, OpenComplaintFactory


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

    def strip(response) -> str:
        body = response.get_data(as_text=True)
        for value in ("LPR-ZZZZZZZZZZ", complaint.tracking_code, "081200000000", "081298765432"):
            body = body.replace(value, "X")
        return body

    assert strip(wrong_contact) == strip(unknown_code)
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
