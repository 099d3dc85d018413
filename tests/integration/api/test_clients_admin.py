"""Registering, revoking and rate-limiting API clients."""

from __future__ import annotations

import re

from sqlalchemy import select

from portal.extensions import db
from portal.models import ApiClient, AuditEvent, User
from portal.services.accounts.users import authenticate
from portal.services.api_clients.clients import digest
from tests.factories_bpjs import EnrolmentRequestFactory


def test_admin_registers_a_client_and_sees_the_token_once(client, login_as, agencies):
    login_as("admin")
    page = client.get("/admin/api-client-new/")
    assert page.status_code == 200
    response = client.post(
        "/admin/api-client-new/",
        data={
            "name": "Sistem KPJ BPJS",
            "agency": agencies["bpjs"].id,
            "scopes": ["enrolment:read", "enrolment:write"],
        },
    )
    assert response.status_code == 200
    token = re.search(r'<code id="api-token">([^<]+)</code>', response.get_data(as_text=True))[1]
    registered = db.session.scalar(select(ApiClient))
    assert registered.token_hash == digest(token) and token not in registered.token_hash
    assert registered.scopes == ["enrolment:read", "enrolment:write"]
    assert registered.user.role == "bpjs_officer" and not registered.user.active
    listing = client.get("/admin/api-clients/").get_data(as_text=True)
    assert "Sistem KPJ BPJS" in listing and token not in listing
    assert db.session.scalar(
        select(AuditEvent.action).where(AuditEvent.action == "api_client.registered")
    )
    # The token works, and the service account can never log in.
    ok = client.get("/api/v1/enrolment-requests", headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 200
    db.session.expire_all()
    assert db.session.get(ApiClient, registered.id).last_used_at is not None
    assert authenticate(registered.user.email, "!").user is None


def test_refused_registration_keeps_the_input(client, login_as):
    login_as("admin")
    response = client.post("/admin/api-client-new/", data={"name": "Tanpa cakupan", "agency": 0})
    assert response.status_code == 200
    assert "Tanpa cakupan" in response.get_data(as_text=True)
    assert db.session.scalar(select(ApiClient)) is None


def test_revoked_token_stops_working(client, login_as, new_client):
    registered, token = new_client(["enrolment:read"])
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/enrolment-requests", headers=headers).status_code == 200
    login_as("admin")
    client.post(
        "/admin/api-clients/action/",
        data={"action": "revoke", "rowid": [str(registered.id)]},
    )
    db.session.expire_all()
    assert db.session.get(ApiClient, registered.id).revoked_at is not None
    refused = client.get("/api/v1/enrolment-requests", headers=headers)
    assert refused.status_code == 401
    assert refused.mimetype == "application/problem+json"
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")


def test_calls_are_rate_limited_per_client(app, client, new_client):
    app.config["API_RATE_LIMIT"] = "2 per minute"
    _a, first = new_client(["enrolment:read"], name="A")
    _b, second = new_client(["enrolment:read"], name="B")
    one = {"Authorization": f"Bearer {first}"}
    codes = [client.get("/api/v1/enrolment-requests", headers=one).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    other = client.get("/api/v1/enrolment-requests", headers={"Authorization": f"Bearer {second}"})
    assert other.status_code == 200


def test_a_session_cookie_never_authorises_and_no_cookie_is_set(client, login_as):
    EnrolmentRequestFactory()
    db.session.commit()
    login_as("bpjs_head")
    response = client.get("/api/v1/enrolment-requests")
    assert response.status_code == 401
    assert "Set-Cookie" not in response.headers
    assert db.session.scalar(select(User).where(User.email.like("api-%"))) is None


def test_an_expired_token_stops_working(client, clock, agencies):
    from datetime import UTC, datetime, timedelta

    from portal.services.api_clients.clients import register_client

    clock.now = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    registered = register_client("Sementara", agencies["bpjs"].id, ["enrolment:read"], valid_days=7)
    db.session.commit()
    headers = {"Authorization": f"Bearer {registered.token}"}
    assert client.get("/api/v1/enrolment-requests", headers=headers).status_code == 200
    clock.now += timedelta(days=7, seconds=1)
    assert client.get("/api/v1/enrolment-requests", headers=headers).status_code == 401
