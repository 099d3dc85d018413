"""Response headers (issue 15, finding 9): CSP everywhere, HSTS in production, no-store on
personal data, one charset on CSV, a real SECRET_KEY in production."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from portal import create_app
from portal.extensions import db
from portal.security_headers import CONTENT_SECURITY_POLICY
from tests.conftest import make_app
from tests.factories import BusinessFactory

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def _no_inline_code(body: str) -> list[str]:
    return [
        m.group(0) for rx in (INLINE_SCRIPT, INLINE_STYLE, EVENT_HANDLER) for m in rx.finditer(body)
    ]


def _plain_get_endpoints(app: Flask) -> list[str]:
    """URLs of every GET endpoint that needs no URL values (lists, forms, dashboards)."""
    urls = []
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.arguments - set(rule.defaults or {}):
            continue
        if rule.endpoint == "static" or rule.endpoint.endswith(".static"):
            continue
        urls.append(adapter.build(rule.endpoint, method="GET"))
    return sorted(set(urls))


def test_every_page_carries_a_content_security_policy_without_inline_code(client):
    for path in ("/", "/auth/login", "/complaints/track", "/no-such-page", "/healthz"):
        response = client.get(path)
        policy = response.headers["Content-Security-Policy"]
        assert policy == CONTENT_SECURITY_POLICY, path
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "default-src 'self'" in policy and "script-src 'self'" in policy
        assert "style-src 'self'" in policy and "frame-ancestors 'self'" in policy


@pytest.mark.parametrize("role", [None, "admin", "business_owner", "labour_head"])
def test_no_rendered_page_needs_inline_script_or_style(app, client, login_as, role):
    """The CSP forbids inline code, so a page that still had some would break in a browser."""
    if role:
        login_as(role)
    BusinessFactory()
    db.session.commit()
    offenders = {}
    for url in _plain_get_endpoints(app):
        if url in ("/auth/logout",):
            continue
        response = client.get(url)
        if response.mimetype == "text/html":
            found = _no_inline_code(response.get_data(as_text=True))
            if found:
                offenders[url] = found[:3]
        response.close()
    assert not offenders


def test_pages_of_a_logged_in_user_are_never_stored(client, login_as):
    login_as("labour_officer")
    response = client.get("/disnaker/")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_exports_of_personal_data_are_never_stored(client, login_as):
    login_as("trade_officer")
    BusinessFactory(name="Ani;=1+1")
    db.session.commit()
    response = client.get("/disperindagkop/directory/export.csv")
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"  # once, not twice
    assert '"Ani;\'=1+1"' in response.get_data(as_text=True)


def test_anonymous_pages_are_not_stored_either(client):
    """An anonymous reporter tracking a complaint sees personal data too; every page carries
    a per-session CSRF token."""
    assert client.get("/complaints/track").headers["Cache-Control"] == "no-store"


def test_static_files_stay_cacheable(client):
    response = client.get("/static/css/portal.css")
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert response.cache_control.max_age == 365 * 24 * 3600
    assert "Content-Security-Policy" in response.headers
    response.close()


def test_no_hsts_outside_production(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_hsts_in_production(monkeypatch, database_url, app):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    production = make_app(database_url)
    response = production.test_client().get("/auth/login")
    hsts = response.headers["Strict-Transport-Security"]
    assert hsts.startswith("max-age=31536000")


def test_production_refuses_a_short_secret_key(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "k")
    with pytest.raises(RuntimeError, match="at least 32 bytes"):
        create_app("production")
    monkeypatch.setenv("SECRET_KEY", "k" * 31)
    with pytest.raises(RuntimeError, match="at least 32 bytes"):
        create_app("production")
    monkeypatch.setenv("SECRET_KEY", "k" * 32)
    assert create_app("production").config["SECRET_KEY"] == "k" * 32


def test_pdfs_stay_viewable_in_the_browser_and_are_never_stored(client, login_as):
    """Chrome's PDF viewer breaks under object-src 'none' and the inline-style ban; a PDF
    gets a policy that only forbids framing by other sites."""
    login_as("labour_head")
    response = client.get("/dashboard/summary.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Security-Policy"] == "frame-ancestors 'self'"
    assert response.headers["Cache-Control"] == "no-store"
