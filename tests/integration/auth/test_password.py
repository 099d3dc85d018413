"""Password change: the current password is checked, the rule applies, other sessions end."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent
from portal.services.accounts.passwords import verify_password
from tests.conftest import PASSWORD

NEW = "Sandi-Baru-2027"


def _change(client, current=PASSWORD, new=NEW, confirm=None):
    return client.post(
        "/auth/password",
        data={"current_password": current, "new_password": new, "confirm": confirm or new},
    )


def test_password_change_takes_effect_and_is_audited(client, login_as):
    user = login_as("bpjs_head")
    response = _change(client)
    assert response.status_code == 302
    db.session.refresh(user)
    assert verify_password(user.password_hash, NEW)
    actions = list(db.session.scalars(select(AuditEvent.action)))
    assert "user.password_changed" in actions
    summaries = " ".join(db.session.scalars(select(AuditEvent.summary)))
    assert NEW not in summaries and PASSWORD not in summaries


def test_wrong_current_password_is_refused_next_to_its_field(client, login_as):
    user = login_as("bpjs_head")
    response = _change(client, current="Bukan-Sandi-1")
    assert response.status_code == 400
    assert "Kata sandi saat ini salah." in response.get_data(as_text=True)
    db.session.refresh(user)
    assert verify_password(user.password_hash, PASSWORD)


def test_weak_new_password_is_refused(client, login_as):
    login_as("business_owner")
    response = _change(client, new="lemah", confirm="lemah")
    assert response.status_code == 400
    assert "Gunakan minimal 10 karakter." in response.get_data(as_text=True)


def test_other_browsers_are_logged_out_after_a_change(app, client, login_as):
    user = login_as("labour_officer")
    other = app.test_client()
    other.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert other.get("/disnaker/").status_code == 200

    assert _change(client).status_code == 302
    assert client.get("/disnaker/").status_code == 200  # this browser stays logged in
    assert other.get("/disnaker/").status_code == 302


def test_anonymous_user_is_sent_to_login(client):
    response = client.get("/auth/password")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")
