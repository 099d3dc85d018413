"""Start page, language switch, navigation per role, error pages and the 503 page."""

from __future__ import annotations

import re

import pytest
from flask import abort

from portal.web.access import public
from tests.conftest import make_app


def test_start_page_is_indonesian_by_default(client):
    body = client.get("/").get_data(as_text=True)
    assert 'lang="id"' in body
    assert "Jaminan sosial untuk setiap pekerja di Singkawang" in body
    assert "27%" in body and "%%" not in body


def test_language_switch_to_english_and_back(client):
    response = client.post("/language/en", data={"next": "/auth/login"})
    assert response.status_code == 302 and response.headers["Location"] == "/auth/login"
    body = client.get("/auth/login").get_data(as_text=True)
    assert 'lang="en"' in body and "Log in" in body
    client.post("/language/id", data={"next": "/"})
    assert "Masuk" in client.get("/auth/login").get_data(as_text=True)


def test_language_switch_ignores_unknown_languages_and_foreign_targets(client):
    response = client.post("/language/xx", data={"next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    assert 'lang="id"' in client.get("/").get_data(as_text=True)


def test_bootstrap_is_served_locally(client):
    body = client.get("/").get_data(as_text=True)
    assert "/static/vendor/bootstrap/bootstrap.min.css" in body
    assert "cdn" not in body.lower()
    with client.get("/static/vendor/bootstrap/bootstrap.min.css") as css:
        assert css.status_code == 200


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        ("business_owner", ["/employer/"], ["/bpjs/", "/admin/", "/dashboard/"]),
        ("bpjs_officer", ["/bpjs/", "/dashboard/"], ["/employer/", "/admin/"]),
        ("trade_head", ["/disperindagkop/", "/dashboard/"], ["/bpjs/", "/admin/"]),
        ("labour_officer", ["/disnaker/", "/dashboard/"], ["/bpjs/", "/employer/"]),
        ("admin", ["/admin/"], ["/employer/", "/bpjs/"]),
    ],
)
def test_navigation_shows_each_role_its_own_areas(client, login_as, role, shown, hidden):
    login_as(role)
    nav = client.get("/auth/password").get_data(as_text=True).split("</nav>")[0]
    for href in shown:
        assert f'href="{href}"' in nav, href
    for href in hidden:
        assert f'href="{href}"' not in nav, href


def test_flash_message_after_logout(client, login_as):
    login_as("business_owner")
    response = client.post("/auth/logout", follow_redirects=True)
    assert "Anda telah keluar." in response.get_data(as_text=True)


def test_404_page_in_indonesian(client):
    response = client.get("/tidak-ada")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.get_data(as_text=True)


def test_403_page_in_indonesian(client, login_as):
    login_as("business_owner")
    response = client.get("/bpjs/")
    assert response.status_code == 403
    assert "Akses ditolak" in response.get_data(as_text=True)


def test_json_callers_get_json_errors(client):
    response = client.get("/tidak-ada", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.get_json()["error"] == "Halaman tidak ditemukan"


def test_500_page_for_an_unexpected_error(database_url, app):
    broken = make_app(database_url)

    @broken.route("/boom")
    @public
    def boom():
        raise RuntimeError("boom")

    response = broken.test_client().get("/boom")
    assert response.status_code == 500
    assert "Terjadi kesalahan" in response.get_data(as_text=True)


def test_http_errors_raised_by_views_use_the_error_page(database_url, app):
    other = make_app(database_url)

    @other.route("/gone")
    @public
    def gone():
        abort(413)

    response = other.test_client().get("/gone")
    assert response.status_code == 413
    assert "Berkas terlalu besar" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "bad_url",
    [
        "postgresql+psycopg://nobody@127.0.0.1:1/nowhere?connect_timeout=2",
        "sqlite:////nonexistent-dir/portal.sqlite3",
    ],
)
def test_database_outage_shows_the_503_page(app, bad_url):
    down = make_app(bad_url)
    client = down.test_client()
    response = client.post(
        "/auth/login", data={"email": "a@example.id", "password": "Salah-Sandi-2026"}
    )
    assert response.status_code == 503
    assert "Layanan sementara tidak tersedia" in response.get_data(as_text=True)
    assert "Retry-After" in response.headers
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.get_json()["database"] == "down"


def test_database_outage_with_a_session_cookie_still_shows_503(app, client, login_as):
    login_as("bpjs_officer")
    cookie = client.get_cookie("session").value
    down = make_app("postgresql+psycopg://nobody@127.0.0.1:1/nowhere?connect_timeout=2")
    down_client = down.test_client()
    down_client.set_cookie("session", cookie)
    response = down_client.get("/bpjs/")
    assert response.status_code == 503


def test_healthz_answers_ok(client):
    assert client.get("/healthz").get_json()["status"] == "ok"


@pytest.mark.parametrize(
    "url",
    [
        "/employer/businesses/99999999999999999999999",
        "/bpjs/queue/99999999999999999999999",
        "/disnaker/reprimands/99999999999999999999999",
    ],
)
def test_an_id_too_large_for_the_database_is_not_found(client, login_as, url):
    roles = {"employer": "business_owner", "bpjs": "bpjs_officer", "disnaker": "labour_head"}
    login_as(roles[url.split("/")[1]])
    assert client.get(url).status_code == 404


def test_behind_a_proxy_the_client_address_comes_from_x_forwarded_for(app):
    from flask import request

    proxied = make_app(app.config["SQLALCHEMY_DATABASE_URI"], PROXY_HOPS=1)

    @proxied.get("/_probe_ip")
    @public
    def probe():
        return request.remote_addr or ""

    client = proxied.test_client()
    seen = client.get("/_probe_ip", headers={"X-Forwarded-For": "36.80.1.2"})
    assert seen.get_data(as_text=True) == "36.80.1.2"


def test_static_files_are_versioned_by_content_and_cached_for_a_year(client):
    body = client.get("/").get_data(as_text=True)
    css = re.search(r'href="(/static/css/portal\.css\?v=([0-9a-f]{10}))"', body)
    assert css, "static URLs carry a content hash"
    response = client.get(css.group(1))
    assert response.status_code == 200
    assert response.cache_control.max_age == 365 * 24 * 3600
    response.close()
    assert 'rel="icon"' in body
