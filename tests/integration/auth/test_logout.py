"""Logout ends the session on the server: a copied session cookie stops working."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import LoginSession


def test_copied_session_cookie_fails_after_logout(app, client, login_as):
    login_as("bpjs_officer")
    stolen = client.get_cookie("session").value

    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/bpjs/").status_code == 200  # the copy works while the session lives

    assert client.post("/auth/logout").status_code == 302
    response = thief.get("/bpjs/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


def test_logout_revokes_the_session_row_and_is_audited(client, login_as):
    login_as("business_owner")
    client.post("/auth/logout")
    row = db.session.scalar(select(LoginSession))
    assert row.revoked_at is not None
    from portal.models import AuditEvent

    assert db.session.scalar(select(AuditEvent.action).order_by(AuditEvent.id.desc()).limit(1)) == (
        "logout"
    )


def test_logout_needs_a_post(client, login_as):
    login_as("business_owner")
    assert client.get("/auth/logout").status_code == 405
    assert client.get("/employer/").status_code == 200


def test_deactivating_a_user_ends_their_open_sessions(client, login_as):
    user = login_as("trade_head")
    user.active = False
    db.session.commit()
    response = client.get("/disperindagkop/")
    assert response.status_code == 302


def test_session_expires_after_its_lifetime(app, client, login_as):
    from datetime import timedelta

    login_as("labour_head")
    row = db.session.scalar(select(LoginSession))
    row.created_at = row.created_at - app.permanent_session_lifetime - timedelta(minutes=1)
    db.session.commit()
    assert client.get("/disnaker/").status_code == 302
