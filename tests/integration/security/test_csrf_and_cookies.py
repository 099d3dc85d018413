"""CSRF on forms, cookie flags, production start-up rules."""

from __future__ import annotations

import re

import pytest

from portal import create_app
from portal.extensions import db
from tests.conftest import PASSWORD, make_app
from tests.factories import UserFactory


@pytest.fixture
def csrf_client(database_url, app):
    csrf_app = make_app(database_url, WTF_CSRF_ENABLED=True)
    with csrf_app.app_context():
        yield csrf_app.test_client()


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_login_without_csrf_token_keeps_the_form_with_a_message(csrf_client):
    user = UserFactory(email="siti@example.id")
    db.session.commit()
    response = csrf_client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Formulir ini sudah kedaluwarsa atau tidak berasal dari situs ini." in body
    assert 'value="siti@example.id"' in body
    # Submitting the re-rendered form (fresh token) works.
    response = csrf_client.post(
        "/auth/login", data={"email": user.email, "password": PASSWORD, "csrf_token": _token(body)}
    )
    assert response.status_code == 302


def test_signup_without_csrf_token_keeps_the_form(csrf_client):
    response = csrf_client.post("/auth/signup", data={"name": "Budi Santoso", "email": "b@x.id"})
    assert response.status_code == 400
    assert 'value="Budi Santoso"' in response.get_data(as_text=True)


def test_logout_without_csrf_token_does_not_log_out(csrf_client):
    user = UserFactory(role="business_owner")
    db.session.commit()
    page = csrf_client.get("/auth/login").get_data(as_text=True)
    csrf_client.post(
        "/auth/login", data={"email": user.email, "password": PASSWORD, "csrf_token": _token(page)}
    )
    response = csrf_client.post("/auth/logout")
    assert response.status_code == 400
    assert "Formulir ini sudah kedaluwarsa" in response.get_data(as_text=True)
    assert csrf_client.get("/employer/").status_code == 200


def test_session_cookie_is_httponly_and_lax(client, login_as):
    login_as("business_owner")
    cookie = client.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax"
    assert not cookie.secure  # plain HTTP in development and tests


def test_production_cookies_are_secure(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "a-real-secret-from-the-environment")
    app = create_app("production")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["PASSWORD_HASH_PROFILE"] if "PASSWORD_HASH_PROFILE" in app.config else True


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


def test_production_refuses_the_development_key(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "dev-only-insecure-key")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


def test_database_url_selects_postgresql_through_psycopg(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "s3cret-for-this-test-" + "x" * 32)
    monkeypatch.setenv("DATABASE_URL", "postgresql://portal@db.internal:5432/portal")
    app = create_app("production")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == (
        "postgresql+psycopg://portal@db.internal:5432/portal"
    )


def test_default_database_is_sqlite_under_instance(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app("development")
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    assert uri.startswith("sqlite:///") and uri.endswith("/instance/portal.sqlite3")


def test_testing_config_ignores_database_url(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://prod/portal")
    assert create_app("testing").config["SQLALCHEMY_DATABASE_URI"] == "sqlite://"


def test_security_headers_are_set(client):
    response = client.get("/")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
