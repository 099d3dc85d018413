"""Redis down (issue 15, finding 7): rate limits fall back to memory with a warning in the
log, login, sign-up and complaint tracking keep working, and /healthz says "degraded"."""

from __future__ import annotations

import logging
import socket

import pytest
import redis

from portal.extensions import db
from tests.conftest import PASSWORD, make_app
from tests.factories import UserFactory
from tests.factories_complaints import OpenComplaintFactory

RUNNING_REDIS = "redis://127.0.0.1:6379/0"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the socket is


@pytest.fixture
def dead_redis_app(app, database_url):
    """The portal with its rate-limit storage at a closed port (REDIS_URL of a dead Redis)."""
    return make_app(database_url, RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{_closed_port()}/0")


def _login(client, email: str, password: str, ip: str = "10.9.0.1"):
    return client.post(
        "/auth/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": ip},
    )


def test_login_never_fails_with_500_when_redis_is_down(dead_redis_app):
    user = UserFactory(role="bpjs_officer")
    db.session.commit()
    client = dead_redis_app.test_client()
    assert _login(client, user.email, "Salah-Sandi-2026").status_code == 400
    assert _login(client, user.email, PASSWORD).status_code == 302
    assert client.get("/bpjs/").status_code == 200


def test_sign_up_never_fails_with_500_when_redis_is_down(dead_redis_app):
    client = dead_redis_app.test_client()
    response = client.post(
        "/auth/signup",
        data={
            "name": "Budi Santoso",
            "email": "budi@example.id",
            "phone": "0812 3456 7890",
            "password": "Kopi-Pagi-2026",
            "confirm": "Kopi-Pagi-2026",
        },
    )
    assert response.status_code == 200  # "check your email"


def test_complaint_tracking_never_fails_with_500_when_redis_is_down(dead_redis_app):
    complaint = OpenComplaintFactory()
    db.session.commit()
    client = dead_redis_app.test_client()
    wrong = client.post("/complaints/track", data={"code": "LPR-ZZZZZZZZZZ", "contact": "0812"})
    assert wrong.status_code == 400
    right = client.post(
        "/complaints/track", data={"code": complaint.tracking_code, "contact": "081298765432"}
    )
    assert right.status_code == 302
    assert client.get(right.headers["Location"]).status_code == 200


def test_rate_limits_still_hold_in_memory_when_redis_is_down(dead_redis_app):
    dead_redis_app.config["LOGIN_RATE_LIMIT_IP"] = "2 per minute"
    client = dead_redis_app.test_client()
    statuses = [
        _login(client, f"u{i}@example.id", "Salah-Sandi-2026").status_code for i in range(3)
    ]
    assert statuses == [400, 400, 429]


def test_redis_outage_is_logged_as_a_warning(dead_redis_app, caplog):
    client = dead_redis_app.test_client()
    with caplog.at_level(logging.WARNING):
        _login(client, "a@example.id", "Salah-Sandi-2026")
    warnings = [r for r in caplog.records if r.name == "portal.rate_limits"]
    assert warnings and warnings[0].levelno == logging.WARNING
    assert "in-memory" in warnings[0].getMessage()


def test_healthz_reports_redis_degraded_while_pages_work(dead_redis_app):
    response = dead_redis_app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "degraded", "database": "ok", "redis": "degraded"}


def test_healthz_without_redis_configured_is_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "redis": "not configured"}


def test_healthz_reports_a_running_redis_as_ok(app, database_url):
    try:
        redis.Redis.from_url(RUNNING_REDIS, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running at 127.0.0.1:6379")
    live = make_app(database_url, RATELIMIT_STORAGE_URI=RUNNING_REDIS)
    assert live.test_client().get("/healthz").get_json() == {
        "status": "ok",
        "database": "ok",
        "redis": "ok",
    }
