"""Login is rate-limited per IP and per (email, IP) pair, never per account alone; Redis
holds the counters when configured."""

from __future__ import annotations

import uuid

import pytest
import redis

from portal.config import environment_overrides
from tests.conftest import make_app

REDIS_URL = "redis://127.0.0.1:6379/0"


def _attempt(client, email: str, ip: str = "10.0.0.1"):
    return client.post(
        "/auth/login",
        data={"email": email, "password": "Salah-Sandi-2026"},
        environ_base={"REMOTE_ADDR": ip},
    )


def test_login_is_limited_per_ip(app, client):
    app.config["LOGIN_RATE_LIMIT_IP"] = "3 per minute"
    statuses = [_attempt(client, f"u{i}@example.id").status_code for i in range(4)]
    assert statuses == [400, 400, 400, 429]
    # Another address is not affected.
    assert _attempt(client, "u9@example.id", ip="10.0.0.2").status_code == 400


def test_the_pair_limit_does_not_stop_the_owner_from_another_address(app, client):
    app.config["LOGIN_RATE_LIMIT_PAIR"] = "3 per minute"
    statuses = [_attempt(client, "Target@Example.id").status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]
    # Someone else's guessing from 10.0.0.1 is no limit on the account from 10.0.0.2.
    assert _attempt(client, "target@example.id", ip="10.0.0.2").status_code == 400


def test_rate_limited_page_explains_in_indonesian(app, client):
    app.config["LOGIN_RATE_LIMIT_IP"] = "1 per minute"
    _attempt(client, "a@example.id")
    response = _attempt(client, "a@example.id")
    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in response.get_data(as_text=True)


def test_get_requests_to_the_login_page_are_not_limited(app, client):
    app.config["LOGIN_RATE_LIMIT_IP"] = "1 per minute"
    assert all(client.get("/auth/login").status_code == 200 for _ in range(5))


def test_redis_url_selects_redis_storage(monkeypatch):
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    assert environment_overrides("production")["RATELIMIT_STORAGE_URI"] == REDIS_URL
    assert "RATELIMIT_STORAGE_URI" not in environment_overrides("testing")


def test_without_redis_url_counters_stay_in_memory(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert "RATELIMIT_STORAGE_URI" not in environment_overrides("production")


@pytest.fixture
def redis_prefix():
    server = redis.Redis.from_url(REDIS_URL)
    try:
        server.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running at 127.0.0.1:6379")
    prefix = f"portal-test-{uuid.uuid4().hex}"
    yield server, prefix
    for key in server.scan_iter(match=f"*{prefix}*"):
        server.delete(key)
    server.close()


def test_counters_live_in_redis_when_configured(database_url, app, redis_prefix):
    server, prefix = redis_prefix
    redis_app = make_app(
        database_url,
        RATELIMIT_STORAGE_URI=REDIS_URL,
        RATELIMIT_KEY_PREFIX=prefix,
        LOGIN_RATE_LIMIT_IP="2 per minute",
    )
    client = redis_app.test_client()
    with redis_app.app_context():
        statuses = [_attempt(client, "r@example.id").status_code for _ in range(3)]
    assert statuses == [400, 400, 429]
    assert list(server.scan_iter(match=f"*{prefix}*")), "no rate-limit keys in Redis"
