"""Two app processes behind one database and one Redis behave as one portal.

Starts two real gunicorns with deploy/gunicorn.conf.py (one worker each, production
settings, PROXY_HOPS=1 as behind nginx) on a PostgreSQL schema of their own (made with
`flask db upgrade` and `flask seed-reference`, dropped afterwards) and a Redis key prefix of
their own. A small client plays the browser and the proxy: it keeps the cookies and sends
every request as nginx would forward it for https://portal.test.

PostgreSQL and Redis are required under CI=true; elsewhere the test is skipped when either
is unreachable.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
import redis
from sqlalchemy import create_engine, text

from tests.required import unreachable

ROOT = Path(__file__).resolve().parents[3]
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/0"
HOST = "portal.test"
EMAIL, PASSWORD = "petugas.dua@example.id", "Dua-Proses-2026"
NIK = "6172010101900001"


@pytest.fixture(scope="module")
def database() -> str:
    """A schema of its own on TEST_DATABASE_URL's server (or the local default)."""
    base = os.environ.get("TEST_DATABASE_URL", "")
    base = base if base.startswith("postgresql") else DEFAULT_PG
    try:
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        schema = f"two_processes_{uuid.uuid4().hex[:8]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # noqa: BLE001
        unreachable("PostgreSQL", exc)
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options=-csearch_path%3D{schema}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(scope="module")
def redis_prefix() -> str:
    server = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        server.ping()
    except redis.exceptions.RedisError as exc:
        unreachable("Redis", exc)
    prefix = f"portal-two-processes-{uuid.uuid4().hex[:8]}"
    yield prefix
    for key in server.scan_iter(match=f"*{prefix}*"):
        server.delete(key)
    server.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """Cookies and forwarded headers, by hand: the session cookie is `Secure` (production)
    and the connection to gunicorn is plain HTTP, as it is from nginx."""

    def __init__(self, client_ip: str):
        self.client_ip = client_ip
        self.cookies: dict[str, str] = {}

    def request(self, port: int, method: str, path: str, form: dict | None = None):
        headers = {
            "Host": HOST,
            "X-Forwarded-For": self.client_ip,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": HOST,
            "Accept-Encoding": "identity",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            from urllib.parse import urlencode

            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://{HOST}{path}"  # Flask-WTF checks it on https
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            html = response.read().decode()
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            for name, morsel in cookie.items():
                if morsel["expires"] and "1970" in morsel["expires"] or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response.status, response.headers, html

    def get(self, port: int, path: str):
        return self.request(port, "GET", path)

    def post(self, port: int, path: str, form: dict, token_from: str | None = None):
        """POST `form` with the CSRF token of the page at `token_from` (default: `path`)."""
        _, _, page = self.get(port, token_from or path)
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        assert match, f"no CSRF token on {token_from or path}"
        return self.request(port, "POST", path, {**form, "csrf_token": match.group(1)})


@pytest.fixture(scope="module")
def portal(database, redis_prefix, tmp_path_factory):
    """Two gunicorns, `A` and `B`: {"A": port, "B": port, "log": access log path}."""
    tmp_path = tmp_path_factory.mktemp("two_processes")
    env = {
        **{k: v for k, v in os.environ.items() if k.startswith(("PATH", "LANG", "HOME"))},
        "PORTAL_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(32),
        "DATABASE_URL": database,
        "REDIS_URL": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": redis_prefix,
        "PROXY_HOPS": "1",
        "WEB_CONCURRENCY": "1",
        "FLASK_APP": "wsgi.py",
    }
    flask = [sys.executable, "-m", "flask"]
    for command in (
        ["db", "upgrade"],
        ["seed-reference"],
        ["create-user", "--email", EMAIL, "--name", "Petugas Dua", "--role", "bpjs_officer"]
        + ["--password", PASSWORD],
    ):
        done = subprocess.run(flask + command, cwd=ROOT, env=env, capture_output=True, text=True)
        assert done.returncode == 0, f"flask {command[0]}: {done.stdout}\n{done.stderr}"

    ports = {"A": _free_port(), "B": _free_port()}
    processes = []
    for name, port in ports.items():
        process_env = {
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_ACCESS_LOG": str(tmp_path / "access.log"),
        }
        with open(tmp_path / f"{name}.err", "w") as errors:  # the child keeps its own copy
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
                    cwd=ROOT,
                    env=process_env,
                    stdout=subprocess.DEVNULL,
                    stderr=errors,
                )
            )
    try:
        deadline = time.monotonic() + 90
        for name, port in ports.items():
            while True:
                try:
                    if Browser("192.0.2.1").get(port, "/healthz")[0] == 200:
                        break
                except OSError:
                    pass
                errors = (tmp_path / f"{name}.err").read_text()
                assert time.monotonic() < deadline, f"{name} did not start:\n{errors[-3000:]}"
                assert all(p.poll() is None for p in processes), errors[-3000:]
                time.sleep(0.3)
        yield {**ports, "log": tmp_path / "access.log", "prefix": redis_prefix}
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _client_ip() -> str:
    """A documentation address of its own per run: the IP rate limit starts at zero."""
    return f"198.51.100.{secrets.randbelow(250) + 1}"


def test_sessions_logout_rate_limits_and_flashes_span_both_processes(portal):
    a, b = portal["A"], portal["B"]
    browser = Browser(_client_ip())

    # Log in on A; the session works on B.
    status, headers, _ = browser.post(a, "/auth/login", {"email": EMAIL, "password": PASSWORD})
    assert status == 302, "login on A failed"
    landing = headers["Location"]
    status, _, page = browser.get(b, landing)
    assert status == 200 and "Petugas Dua" in page

    # Logout on B ends the session on A — for a copy of the old cookie too.
    copied = dict(browser.cookies)
    status, headers, _ = browser.post(b, "/auth/logout", {}, token_from=landing)
    assert status == 302
    assert browser.get(a, landing)[0] == 302  # sent to the login page
    thief = Browser(browser.client_ip)
    thief.cookies = copied
    status, headers, _ = thief.get(a, landing)
    assert status == 302 and "/auth/login" in headers["Location"]

    # A flash set by a POST on A is shown by the next GET on B.
    assert browser.post(b, "/auth/login", {"email": EMAIL, "password": PASSWORD})[0] == 302
    assert browser.post(a, "/auth/logout", {}, token_from=landing)[0] == 302
    status, _, page = browser.get(b, "/")
    assert status == 200 and "Anda telah keluar." in page
    assert "Anda telah keluar." not in browser.get(a, "/")[2]  # shown once, then gone

    # The login rate limit (20 per minute per client address) counts on both processes.
    attacker = Browser(_client_ip())
    statuses = [
        attacker.post(port, "/auth/login", {"email": f"x{i}@example.id", "password": "salah"})[0]
        for i in range(10)
        for port in (a, b)
    ]
    assert statuses == [400] * 20
    assert attacker.post(a, "/auth/login", {"email": "y@example.id", "password": "salah"})[0] == 429
    assert attacker.post(b, "/auth/login", {"email": "z@example.id", "password": "salah"})[0] == 429


def test_the_access_log_holds_no_query_string_and_no_nik(portal):
    browser = Browser(_client_ip())
    browser.get(portal["A"], f"/auth/login?next=/bpjs/&cari={NIK}")
    browser.get(portal["B"], f"/bpjs/pekerja/{NIK}")
    time.sleep(0.5)  # gunicorn writes the line after the response
    log = portal["log"].read_text()
    assert '"GET /auth/login HTTP/1.1" 200' in log
    assert "/bpjs/pekerja/****************" in log
    assert NIK not in log and "cari=" not in log and "next=" not in log


def test_a_page_kept_by_either_process_gives_way_to_a_change_made_anywhere(portal, database):
    """Each process keeps its own rendered pages; the table versions in Redis say when one is
    out of date, whoever made the change: the other process, or a `flask` command."""
    a, b = portal["A"], portal["B"]
    browser = Browser(_client_ip())
    assert browser.post(a, "/auth/login", {"email": EMAIL, "password": PASSWORD})[0] == 302
    for port in (a, b):
        browser.get(port, "/bpjs/queue")
        browser.get(port, "/bpjs/queue")
        status, headers, _ = browser.get(port, "/bpjs/queue")
        assert status == 200 and headers.get("X-Page-Cache") == "hit"

    # A command in a third process writes the users table, which every page reads.
    env = {
        **{k: v for k, v in os.environ.items() if k.startswith(("PATH", "LANG", "HOME"))},
        "PORTAL_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(32),
        "DATABASE_URL": database,
        "REDIS_URL": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": portal["prefix"],
        "FLASK_APP": "wsgi.py",
    }
    email = f"petugas.{uuid.uuid4().hex[:6]}@example.id"
    done = subprocess.run(
        [sys.executable, "-m", "flask", "create-user", "--email", email, "--name", "Petugas Tiga"]
        + ["--role", "bpjs_officer", "--password", PASSWORD],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    for port in (a, b):
        status, headers, _ = browser.get(port, "/bpjs/queue")
        assert status == 200 and headers.get("X-Page-Cache") is None

    # Logging out on B: a copy of the cookie gets the login page from A, not A's kept page.
    copied = dict(browser.cookies)
    browser.get(a, "/bpjs/queue")
    assert browser.get(a, "/bpjs/queue")[1].get("X-Page-Cache") == "hit"
    assert browser.post(b, "/auth/logout", {}, token_from="/bpjs/queue")[0] == 302
    thief = Browser(browser.client_ip)
    thief.cookies = copied
    status, headers, _ = thief.get(a, "/bpjs/queue")
    assert status == 302 and "/auth/login" in headers["Location"]
