"""Every workflow step through the staff and reporter pages, who may take it, and refusals."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Complaint, ComplaintEvent, Notification
from tests.factories_complaints import ComplaintFactory, OpenComplaintFactory


def _step(client, complaint, step, note=""):
    return client.post(f"/complaints/staff/{complaint.id}/step/{step}", data={"step-note": note})


def _reload(complaint) -> Complaint:
    db.session.expire_all()
    return db.session.get(Complaint, complaint.id)


def _events(complaint) -> list[str]:
    return list(
        db.session.scalars(
            select(ComplaintEvent.kind)
            .where(ComplaintEvent.complaint_id == complaint.id)
            .order_by(ComplaintEvent.id)
        )
    )


def test_labour_office_verifies_and_the_agency_clock_starts(client, staff, switch_to):
    complaint = ComplaintFactory()
    db.session.commit()
    switch_to(staff["labour_officer"])
    response = _step(client, complaint, "verify", "Lengkap, diteruskan ke BPJS.")
    assert response.status_code == 302
    complaint = _reload(complaint)
    assert complaint.state == "verified"
    assert complaint.sla_started_on is not None
    assert complaint.sla_due > complaint.sla_started_on
    assert _events(complaint) == ["verified"]
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "complaint.verified"))
    # The BPJS head hears about the new complaint.
    note = db.session.scalar(
        select(Notification).where(Notification.user_id == staff["bpjs_head"].id)
    )
    assert complaint.tracking_code in note.message


def test_only_the_labour_office_verifies(client, staff, switch_to):
    complaint = ComplaintFactory()
    db.session.commit()
    switch_to(staff["bpjs_head"])
    assert _step(client, complaint, "verify").status_code == 403
    assert _reload(complaint).state == "submitted"


def test_hold_needs_a_reason(client, staff, switch_to):
    complaint = ComplaintFactory()
    db.session.commit()
    switch_to(staff["labour_officer"])
    response = _step(client, complaint, "hold", "")
    assert response.status_code == 400
    assert 'id="step-note-error"' in response.get_data(as_text=True)
    assert _reload(complaint).state == "submitted"
    assert _step(client, complaint, "hold", "Menunggu dokumen pendukung.").status_code == 302
    assert _reload(complaint).state == "on_hold"
    assert _step(client, complaint, "verify").status_code == 302
    assert _reload(complaint).state == "verified"


def test_reject_with_a_reason_the_reporter_sees(client, staff, switch_to):
    complaint = ComplaintFactory()
    db.session.commit()
    switch_to(staff["labour_head"])
    assert (
        _step(client, complaint, "reject", "Bukan pengaduan pelayanan publik.").status_code == 302
    )
    complaint = _reload(complaint)
    assert (complaint.state, complaint.reject_reason) == (
        "rejected",
        "Bukan pengaduan pelayanan publik.",
    )
    # A rejected complaint cannot be verified any more.
    response = _step(client, complaint, "verify")
    assert response.status_code == 400
    assert _reload(complaint).state == "rejected"


def test_reroute_moves_the_complaint_to_the_right_agency(client, staff, switch_to, agencies):
    complaint = ComplaintFactory()
    db.session.commit()
    switch_to(staff["labour_officer"])
    response = client.post(
        f"/complaints/staff/{complaint.id}/reroute",
        data={"reroute-agency": agencies["disperindagkop"].id, "reroute-note": "Izin usaha."},
    )
    assert response.status_code == 302
    complaint = _reload(complaint)
    assert (complaint.state, complaint.agency_id) == ("rerouted", agencies["disperindagkop"].id)
    assert complaint.sla_due is not None
    switch_to(staff["bpjs_officer"])
    assert client.get(f"/complaints/staff/{complaint.id}").status_code == 404
    switch_to(staff["trade_officer"])
    assert client.get(f"/complaints/staff/{complaint.id}").status_code == 200


def test_reroute_to_the_same_agency_is_refused(client, staff, switch_to, agencies):
    complaint = ComplaintFactory()
    db.session.commit()
    switch_to(staff["labour_officer"])
    response = client.post(
        f"/complaints/staff/{complaint.id}/reroute",
        data={"reroute-agency": agencies["bpjs"].id},
    )
    assert response.status_code == 400
    assert _reload(complaint).state == "submitted"


def test_agency_assigns_handles_pauses_and_resolves(client, staff, switch_to):
    complaint = OpenComplaintFactory(state="verified")
    db.session.commit()
    officer = staff["bpjs_officer"]
    switch_to(staff["bpjs_head"])
    response = client.post(
        f"/complaints/staff/{complaint.id}/assign", data={"assign-assignee": officer.id}
    )
    assert response.status_code == 302
    assert _reload(complaint).assignee_id == officer.id
    assert (
        db.session.scalar(select(Notification.kind).where(Notification.user_id == officer.id))
        == "assignment"
    )

    switch_to(officer)
    assert _step(client, complaint, "start").status_code == 302
    assert _step(client, complaint, "wait", "Mohon kirim nomor KPJ.").status_code == 302
    complaint = _reload(complaint)
    assert complaint.state == "waiting_reporter" and complaint.paused_since is not None
    assert _step(client, complaint, "resolve", "Pendaftaran sudah diproses.").status_code == 302
    complaint = _reload(complaint)
    assert complaint.state == "resolved" and complaint.paused_since is None
    assert complaint.resolution == "Pendaftaran sudah diproses."
    assert _events(complaint) == ["assigned", "in_progress", "waiting_reporter", "resolved"]


def test_assignee_must_belong_to_the_agency(client, staff, switch_to):
    complaint = OpenComplaintFactory(state="verified")
    db.session.commit()
    switch_to(staff["bpjs_head"])
    response = client.post(
        f"/complaints/staff/{complaint.id}/assign",
        data={"assign-assignee": staff["trade_officer"].id},
    )
    assert response.status_code == 400
    assert _reload(complaint).assignee_id is None


def test_another_agency_cannot_see_or_touch_the_complaint(client, staff, switch_to):
    complaint = OpenComplaintFactory()
    db.session.commit()
    switch_to(staff["trade_head"])
    assert client.get(f"/complaints/staff/{complaint.id}").status_code == 404
    assert _step(client, complaint, "resolve", "x").status_code == 404


def test_business_owner_cannot_open_staff_pages(client, login_as):
    complaint = OpenComplaintFactory()
    db.session.commit()
    login_as("business_owner")
    assert client.get(f"/complaints/staff/{complaint.id}").status_code == 403
    assert client.get("/complaints/staff").status_code == 403


def test_forbidden_transitions_are_refused_with_a_message(client, staff, switch_to):
    complaint = ComplaintFactory()  # submitted: the agency cannot resolve it yet
    db.session.commit()
    switch_to(staff["bpjs_officer"])
    response = _step(client, complaint, "resolve", "Selesai.")
    assert response.status_code == 400
    assert 'id="step-errors"' in response.get_data(as_text=True)
    assert _reload(complaint).state == "submitted"
    # Waiting for the reporter is not possible before the complaint is assigned.
    assert _step(client, complaint, "wait", "Pertanyaan").status_code == 400
    assert _reload(complaint).state == "submitted"


def test_unknown_step_is_404(client, staff, switch_to):
    complaint = OpenComplaintFactory()
    db.session.commit()
    switch_to(staff["bpjs_officer"])
    assert _step(client, complaint, "teleport").status_code == 404


def _prove(client, complaint):
    client.post(
        "/complaints/track", data={"code": complaint.tracking_code, "contact": "081298765432"}
    )


def test_reporter_answers_a_question_and_the_clock_resumes(client, staff):
    complaint = OpenComplaintFactory(state="waiting_reporter")
    from portal.models._common import utcnow

    complaint.paused_since = utcnow()
    db.session.commit()
    _prove(client, complaint)
    code = complaint.tracking_code
    assert client.post(f"/complaints/track/{code}/reply", data={"note": ""}).status_code == 400
    response = client.post(f"/complaints/track/{code}/reply", data={"note": "KPJ 12345678901"})
    assert response.status_code == 302
    complaint = _reload(complaint)
    assert complaint.state == "in_progress" and complaint.paused_since is None
    event = db.session.scalar(
        select(ComplaintEvent).where(ComplaintEvent.complaint_id == complaint.id)
    )
    assert (event.actor_kind, event.public, event.note) == ("reporter", True, "KPJ 12345678901")


def test_reporter_confirms_a_resolved_complaint(client):
    complaint = OpenComplaintFactory(state="resolved", resolution="Sudah selesai.")
    db.session.commit()
    _prove(client, complaint)
    assert client.post(f"/complaints/track/{complaint.tracking_code}/confirm").status_code == 302
    complaint = _reload(complaint)
    assert complaint.state == "closed" and complaint.closed_at is not None


def test_reporter_reopens_with_a_reason(client):
    from portal.models._common import utcnow

    complaint = OpenComplaintFactory(state="resolved", resolved_at=utcnow())
    db.session.commit()
    _prove(client, complaint)
    code = complaint.tracking_code
    assert client.post(f"/complaints/track/{code}/reopen", data={"note": ""}).status_code == 400
    assert _reload(complaint).state == "resolved"
    response = client.post(f"/complaints/track/{code}/reopen", data={"note": "Belum terdaftar."})
    assert response.status_code == 302
    complaint = _reload(complaint)
    assert complaint.state == "reopened" and complaint.resolved_at is None


def test_a_complaint_never_resolved_cannot_be_reopened(client):
    complaint = OpenComplaintFactory(state="in_progress")
    db.session.commit()
    _prove(client, complaint)
    response = client.post(
        f"/complaints/track/{complaint.tracking_code}/reopen", data={"note": "Buka lagi"}
    )
    assert response.status_code == 400
    assert 'id="reporter-errors"' in response.get_data(as_text=True)
    assert _reload(complaint).state == "in_progress"


def test_confirming_an_unresolved_complaint_changes_nothing(client):
    complaint = OpenComplaintFactory(state="in_progress")
    db.session.commit()
    _prove(client, complaint)
    response = client.post(f"/complaints/track/{complaint.tracking_code}/confirm")
    assert response.status_code == 302
    assert _reload(complaint).state == "in_progress"


def test_hidden_identity_is_hidden_from_the_agency_but_not_the_labour_office(
    client, staff, switch_to
):
    complaint = OpenComplaintFactory(hide_identity=True, reporter_name="Rahasia Sekali")
    db.session.commit()
    switch_to(staff["bpjs_officer"])
    body = client.get(f"/complaints/staff/{complaint.id}").get_data(as_text=True)
    assert "Rahasia Sekali" not in body and "081298765432" not in body
    switch_to(staff["labour_officer"])
    body = client.get(f"/complaints/staff/{complaint.id}").get_data(as_text=True)
    assert "Rahasia Sekali" in body


def test_internal_and_public_notes(client, staff, switch_to):
    complaint = OpenComplaintFactory()
    db.session.commit()
    switch_to(staff["bpjs_officer"])
    client.post(f"/complaints/staff/{complaint.id}/note", data={"memo-note": "Cek sistem."})
    client.post(
        f"/complaints/staff/{complaint.id}/note",
        data={"memo-note": "Sedang kami periksa.", "memo-public": "y"},
    )
    events = db.session.scalars(
        select(ComplaintEvent).where(ComplaintEvent.complaint_id == complaint.id)
    ).all()
    assert [(e.note, e.public) for e in events] == [
        ("Cek sistem.", False),
        ("Sedang kami periksa.", True),
    ]
    assert client.post(f"/complaints/staff/{complaint.id}/note", data={}).status_code == 400


def test_labour_office_handles_complaints_against_itself(client, staff, switch_to):
    complaint = ComplaintFactory(agency_code="disnaker", category_code="staff_conduct")
    db.session.commit()
    switch_to(staff["labour_officer"])
    assert _step(client, complaint, "verify").status_code == 302
    response = client.post(
        f"/complaints/staff/{complaint.id}/assign",
        data={"assign-assignee": staff["labour_officer"].id},
    )
    assert response.status_code == 302
    assert _reload(complaint).state == "assigned"


def test_attachment_download_is_scoped(client, staff, switch_to):
    from portal.models import ComplaintAttachment

    complaint = OpenComplaintFactory()
    attachment = ComplaintAttachment(
        complaint_id=complaint.id,
        filename="bukti.png",
        content_type="image/png",
        size=8,
        data=b"\x89PNG\r\n\x1a\n",
    )
    db.session.add(attachment)
    db.session.commit()
    url = f"/complaints/staff/{complaint.id}/attachments/{attachment.id}"
    switch_to(staff["bpjs_officer"])
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "image/png"
    switch_to(staff["trade_officer"])
    assert client.get(url).status_code == 404
