"""Staff notifications: list, unread count in the navbar, mark as read; email in the log."""

from __future__ import annotations

import logging

from sqlalchemy import select

from portal.extensions import db
from portal.models import Notification
from portal.services.notifications.dispatch import notify
from tests.factories_complaints import NotificationFactory


def test_staff_see_their_unread_count_and_list(client, staff, switch_to):
    officer = staff["bpjs_officer"]
    NotificationFactory(user=officer, message="Pengaduan LPR-AAAA ditugaskan kepada Anda")
    NotificationFactory(user=staff["trade_officer"], message="Bukan untuk BPJS")
    db.session.commit()
    switch_to(officer)
    page = client.get("/complaints/notifications").get_data(as_text=True)
    assert "Pengaduan LPR-AAAA" in page
    assert "Bukan untuk BPJS" not in page
    assert 'class="badge text-bg-warning"' in client.get("/complaints/").get_data(as_text=True)


def test_mark_one_and_all_as_read(client, staff, switch_to):
    officer = staff["bpjs_officer"]
    first = NotificationFactory(user=officer)
    NotificationFactory(user=officer)
    db.session.commit()
    switch_to(officer)
    client.post(f"/complaints/notifications/{first.id}/read")
    db.session.expire_all()
    assert db.session.get(Notification, first.id).read_at is not None
    client.post("/complaints/notifications/read-all")
    unread = db.session.scalars(select(Notification).where(Notification.read_at.is_(None))).all()
    assert unread == []


def test_nobody_marks_someone_elses_notification(client, staff, switch_to):
    other = NotificationFactory(user=staff["trade_officer"])
    db.session.commit()
    switch_to(staff["bpjs_officer"])
    client.post(f"/complaints/notifications/{other.id}/read")
    db.session.expire_all()
    assert db.session.get(Notification, other.id).read_at is None


def test_owners_and_the_public_have_no_notification_page(client, login_as):
    assert client.get("/complaints/notifications").status_code == 302  # to login
    login_as("business_owner")
    assert client.get("/complaints/notifications").status_code == 403


def test_email_goes_to_the_log_after_commit_without_a_mail_server(app, staff, caplog):
    with caplog.at_level(logging.INFO, logger="portal.mail"):
        notify(staff["bpjs_officer"], "reminder", "Pengingat uji")
        assert "Pengingat uji" not in caplog.text  # not before the commit
        db.session.commit()
    assert "Pengingat uji" in caplog.text
    assert staff["bpjs_officer"].email in caplog.text


def test_rolled_back_notifications_send_no_email(app, staff, caplog):
    with caplog.at_level(logging.INFO, logger="portal.mail"):
        notify(staff["bpjs_officer"], "reminder", "Tidak jadi")
        db.session.rollback()
        db.session.commit()
    assert "Tidak jadi" not in caplog.text


def test_with_a_mail_server_flask_mail_sends_it(app, staff):
    from portal.extensions import mail

    app.config.update(MAIL_SERVER="smtp.example.id", MAIL_SUPPRESS_SEND=False)
    # Flask-Mail's own suppress flag was read at init (testing): it records, never connects.
    assert app.extensions["mail"].suppress is True
    with mail.record_messages() as outbox:
        notify(staff["bpjs_head"], "overdue", "Pengaduan terlambat")
        db.session.commit()
    assert [m.recipients for m in outbox] == [[staff["bpjs_head"].email]]


def test_dedupe_key_makes_a_notice_one_shot(app, staff):
    user = staff["bpjs_officer"]
    assert notify(user, "reminder", "Satu", dedupe_key="k1") is not None
    assert notify(user, "reminder", "Dua", dedupe_key="k1") is None
    db.session.commit()
    assert db.session.query(Notification).count() == 1


def test_the_reporter_is_emailed_when_asked_and_when_answered(app, staff, caplog):
    from portal.services.complaints import workflow as flow
    from tests.factories_complaints import OpenComplaintFactory

    complaint = OpenComplaintFactory(state="in_progress")
    db.session.commit()
    with caplog.at_level(logging.INFO, logger="portal.mail"):
        flow.wait_for_reporter(complaint, staff["bpjs_officer"], "Nomor KPJ?")
        db.session.commit()
        flow.resolve(complaint, staff["bpjs_officer"], "Sudah selesai, terima kasih.")
        db.session.commit()
    mails = [r.getMessage() for r in caplog.records if "ani@example.id" in r.getMessage()]
    assert len(mails) == 2
    assert all(complaint.tracking_code in m for m in mails)
    # The mail points to the tracking page; it does not carry the answer or staff names.
    assert not any("Sudah selesai" in m or staff["bpjs_officer"].name in m for m in mails)


def test_a_deployed_portal_without_a_mail_server_logs_no_mail_body_or_address(app, staff, caplog):
    from portal.services.complaints import workflow as flow
    from tests.factories_complaints import OpenComplaintFactory

    complaint = OpenComplaintFactory(state="in_progress")
    db.session.commit()
    app.config.update(MAIL_SERVER=None, MAIL_SUPPRESS_SEND=True)
    app.testing, app.debug = False, False  # production-like
    try:
        with caplog.at_level(logging.INFO, logger="portal.mail"):
            flow.wait_for_reporter(complaint, staff["bpjs_officer"], "Nomor KPJ?")
            db.session.commit()
    finally:
        app.testing = True
    assert "a***@example.id" in caplog.text  # the delivery can be traced …
    # … but the log cannot open the complaint: no address, no tracking code, no text.
    assert "ani@example.id" not in caplog.text
    assert complaint.tracking_code not in caplog.text
