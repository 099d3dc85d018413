"""Submitting a complaint: public, owners and staff; bad input; attachments; abuse."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, Complaint, ComplaintAttachment, ComplaintEvent
from portal.services.complaints.intake import CODE_ALPHABET

from .conftest import EXE, PDF, PNG, complaint_form, upload


def _count() -> int:
    return db.session.scalar(select(func.count(Complaint.id)))


def test_public_submission_gives_an_unguessable_tracking_code(client):
    response = client.post("/complaints/new", data=complaint_form())
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/complaints/submitted")
    page = client.get("/complaints/submitted").get_data(as_text=True)
    complaint = db.session.scalar(select(Complaint))
    assert complaint.tracking_code in page
    assert re.fullmatch(rf"LPR-[{CODE_ALPHABET}]{{10}}", complaint.tracking_code)
    assert complaint.state == "submitted"
    assert complaint.reporter_phone == "081298765432"  # stored normalised
    assert complaint.verify_due is not None and complaint.sla_due is None
    assert complaint.reporter_user_id is None
    event = db.session.scalar(select(ComplaintEvent))
    assert (event.kind, event.public, event.actor_kind) == ("submitted", True, "reporter")
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "complaint.submitted"))
    assert audit.actor_label == "public"
    assert "ani@example.id" not in audit.summary and "0812" not in audit.summary


def test_the_code_page_shows_only_once(client):
    client.post("/complaints/new", data=complaint_form())
    assert client.get("/complaints/submitted").status_code == 200
    assert client.get("/complaints/submitted").status_code == 302


def test_two_complaints_get_different_codes(client):
    client.post("/complaints/new", data=complaint_form())
    client.post("/complaints/new", data=complaint_form(subject="Kedua"))
    codes = set(db.session.scalars(select(Complaint.tracking_code)))
    assert len(codes) == 2


def test_empty_description_is_refused_and_input_kept(client):
    response = client.post("/complaints/new", data=complaint_form(description=""))
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert 'id="description-error"' in body
    assert "Pendaftaran pekerja belum diproses" in body  # the subject stays in the form
    assert _count() == 0


def test_too_short_description_is_refused(client):
    response = client.post("/complaints/new", data=complaint_form(description="Lambat."))
    assert response.status_code == 400
    assert 'id="description-error"' in response.get_data(as_text=True)
    assert _count() == 0


def test_oversized_description_is_refused(client):
    response = client.post("/complaints/new", data=complaint_form(description="x" * 5001))
    assert response.status_code == 400
    assert 'id="description-error"' in response.get_data(as_text=True)
    assert _count() == 0


def test_a_way_to_reach_the_reporter_is_required(client):
    response = client.post(
        "/complaints/new", data=complaint_form(reporter_phone="", reporter_email="")
    )
    assert response.status_code == 400
    assert 'id="reporter_phone-error"' in response.get_data(as_text=True)
    assert _count() == 0


def test_unknown_category_is_refused(client):
    response = client.post("/complaints/new", data=complaint_form(category="nonsense"))
    assert response.status_code == 400
    assert _count() == 0


def test_images_and_pdfs_are_kept_with_their_real_type(client):
    data = complaint_form()
    data["attachments"] = [upload(PNG, "foto bukti.png"), upload(PDF, "surat.pdf")]
    response = client.post("/complaints/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    files = db.session.scalars(select(ComplaintAttachment).order_by(ComplaintAttachment.id)).all()
    assert [(f.filename, f.content_type) for f in files] == [
        ("foto_bukti.png", "image/png"),
        ("surat.pdf", "application/pdf"),
    ]


def test_an_exe_renamed_jpg_is_refused_and_nothing_saved(client):
    data = complaint_form()
    data["attachments"] = [upload(EXE, "foto.jpg")]
    response = client.post("/complaints/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert 'id="attachments-error"' in body
    assert "foto.jpg" in body
    assert _count() == 0
    assert db.session.scalar(select(func.count(ComplaintAttachment.id))) == 0


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"\xff\xd8\xff\xe0" + b"MZ" + b"\x00" * 200, "foto.jpg"),  # a JPEG header, then not
        (PNG[: len(PNG) // 2], "potong.png"),  # an image cut short
        (PDF.replace(b"%%EOF", b""), "surat.pdf"),  # a PDF without its end
    ],
)
def test_a_file_that_only_starts_like_an_image_or_pdf_is_refused(client, data, name):
    form = complaint_form()
    form["attachments"] = [upload(data, name)]
    response = client.post("/complaints/new", data=form, content_type="multipart/form-data")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert 'id="attachments-error"' in body and name in body
    assert _count() == 0


def test_more_than_three_files_are_refused(client):
    data = complaint_form()
    data["attachments"] = [upload(PNG, f"f{i}.png") for i in range(4)]
    response = client.post("/complaints/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert _count() == 0


def test_a_file_over_the_size_limit_is_refused(app, client):
    # The limit is 5 MB; a smaller one here keeps the test client from spooling to disk.
    app.config["COMPLAINT_ATTACHMENT_MAX_BYTES"] = 64 * 1024
    data = complaint_form()
    data["attachments"] = [upload(PNG + b"\x00" * (100 * 1024), "besar.png")]
    response = client.post("/complaints/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "besar.png" in response.get_data(as_text=True)
    assert _count() == 0


def test_the_honeypot_silently_drops_bot_submissions(client):
    response = client.post("/complaints/new", data=complaint_form(website="http://spam.example"))
    assert response.status_code == 302
    assert _count() == 0


def test_submission_is_rate_limited_per_ip(app, client):
    app.config["COMPLAINT_SUBMIT_RATE_LIMIT"] = "2 per hour"
    ip = {"REMOTE_ADDR": "10.9.0.1"}
    statuses = [
        client.post("/complaints/new", data=complaint_form(), environ_base=ip).status_code
        for _ in range(3)
    ]
    assert statuses == [302, 302, 429]
    other = client.post(
        "/complaints/new", data=complaint_form(), environ_base={"REMOTE_ADDR": "10.9.0.2"}
    )
    assert other.status_code == 302


def test_a_business_owner_submits_and_sees_it_in_my_complaints(client, login_as):
    owner = login_as("business_owner")
    form = client.get("/complaints/new").get_data(as_text=True)
    assert owner.email in form  # contact details pre-filled
    client.post("/complaints/new", data=complaint_form(reporter_email=owner.email))
    complaint = db.session.scalar(select(Complaint))
    assert complaint.reporter_user_id == owner.id
    page = client.get("/complaints/mine").get_data(as_text=True)
    assert complaint.tracking_code in page
    assert client.get(f"/complaints/track/{complaint.tracking_code}").status_code == 200


def test_staff_may_submit_a_complaint_too(client, login_as):
    login_as("trade_officer")
    response = client.post("/complaints/new", data=complaint_form())
    assert response.status_code == 302
    assert _count() == 1


def test_hide_identity_is_stored(client):
    client.post("/complaints/new", data=complaint_form(hide_identity="y"))
    assert db.session.scalar(select(Complaint.hide_identity)) is True
