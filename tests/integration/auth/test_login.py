"""Logging in: landing pages, identical refusals, rehashing and the audit trail (throttling:
test_login_throttle.py)."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, User
from portal.services.accounts.passwords import _PROFILES
from tests.conftest import PASSWORD
from tests.factories import UserFactory

WRONG = "Salah-Sandi-2026"
MESSAGE = "Email atau kata sandi salah, atau terlalu banyak percobaan: coba lagi sebentar lagi."


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_demo_login_reaches_role_landing(client, auth):
    user = UserFactory(role="bpjs_officer")
    db.session.commit()
    response = auth.login(user)
    assert response.status_code == 302
    assert response.headers["Location"] == "/bpjs/"
    page = client.get("/bpjs/")
    assert page.status_code == 200
    assert db.session.query(AuditEvent).filter_by(action="login.success").count() == 1


def test_login_events_carry_who_what_and_the_request_id(client, auth):
    user = UserFactory()
    db.session.commit()
    client.post(
        "/auth/login",
        data={"email": user.email, "password": PASSWORD},
        headers={"X-Request-ID": "req-12345678"},
    )
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "login.success"))
    assert (event.actor_id, event.record_type, event.record_id) == (
        user.id,
        "User",
        str(user.id),
    )
    assert event.request_id == "req-12345678" and event.at is not None
    assert PASSWORD not in event.summary


def test_email_is_matched_case_insensitively(client, auth):
    user = UserFactory(email="siti@example.id")
    db.session.commit()
    response = auth.login("  SITI@Example.ID ", PASSWORD)
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.last_login_at is not None


def test_wrong_password_and_unknown_email_get_the_same_message(client, auth):
    user = UserFactory()
    db.session.commit()
    wrong = auth.login(user, WRONG)
    unknown = auth.login("nobody@example.id", WRONG)
    assert wrong.status_code == unknown.status_code == 400
    assert MESSAGE in wrong.get_data(as_text=True)
    assert MESSAGE in unknown.get_data(as_text=True)
    # The form keeps what was typed (except the password).
    assert f'value="{user.email}"' in wrong.get_data(as_text=True)
    assert _actions() == ["login.failed", "login.failed"]


def test_deactivated_account_cannot_log_in(client, auth):
    user = UserFactory(active=False)
    db.session.commit()
    response = auth.login(user)
    assert response.status_code == 400
    assert MESSAGE in response.get_data(as_text=True)


def test_password_hash_is_upgraded_on_login_when_parameters_change(app, client, auth):
    old_hash = _PROFILES["test"].hash(PASSWORD)
    user = UserFactory(password_hash=old_hash)
    db.session.commit()
    app.config["PASSWORD_HASH_PROFILE"] = "owasp"
    assert auth.login(user).status_code == 302
    db.session.refresh(user)
    assert user.password_hash != old_hash
    assert user.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_hash_is_left_alone_when_parameters_are_current(client, auth):
    user = UserFactory()
    db.session.commit()
    before = user.password_hash
    auth.login(user)
    db.session.refresh(user)
    assert user.password_hash == before


def test_next_parameter_only_follows_local_paths(client, auth):
    user = UserFactory(role="labour_officer")
    db.session.commit()
    response = client.post(
        "/auth/login?next=https://evil.example/x",
        data={"email": user.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/disnaker/"


def test_next_parameter_returns_to_the_page_asked_for(client, auth):
    user = UserFactory(role="labour_officer")
    db.session.commit()
    response = client.post(
        "/auth/login?next=/dashboard/", data={"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/dashboard/"


def test_missing_fields_are_explained_next_to_them(client):
    response = client.post("/auth/login", data={"email": "", "password": ""})
    assert response.status_code == 400
    assert response.get_data(as_text=True).count("invalid-feedback") == 2


def test_overlong_email_is_refused_cleanly(client):
    response = client.post("/auth/login", data={"email": "a" * 300 + "@x.id", "password": "x"})
    assert response.status_code == 400
    assert db.session.scalar(select(User.id)) is None


def test_logged_in_user_visiting_login_goes_to_their_landing_page(client, login_as):
    login_as("trade_officer")
    response = client.get("/auth/login")
    assert response.status_code == 302
    assert response.headers["Location"] == "/disperindagkop/"
