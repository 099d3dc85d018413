"""Who may open which dashboard page, and what unknown filters in the URL get."""

from __future__ import annotations

import pytest

STAFF_AND_ADMIN = [
    "bpjs_officer",
    "bpjs_head",
    "trade_officer",
    "trade_head",
    "labour_officer",
    "labour_head",
    "admin",
]
REPORT_PAGES = [
    "/dashboard/",
    "/dashboard/pipeline",
    "/dashboard/service",
    "/dashboard/batches",
    "/dashboard/export/coverage-kecamatan.csv",
    "/dashboard/export/complaints.xlsx",
    "/dashboard/summary.pdf",
]
LABOUR_PAGES = ["/dashboard/estimates", "/dashboard/targets"]


@pytest.mark.parametrize("role", STAFF_AND_ADMIN)
def test_every_staff_role_and_admin_sees_the_reports(client, login_as, role):
    login_as(role)
    for url in REPORT_PAGES:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ["labour_officer", "labour_head"])
def test_labour_office_sees_the_estimate_and_target_forms(client, login_as, role):
    login_as(role)
    for url in LABOUR_PAGES:
        assert client.get(url).status_code == 200, url
    assert "/dashboard/estimates" in client.get("/dashboard/").get_data(as_text=True)


@pytest.mark.parametrize("role", ["bpjs_officer", "bpjs_head", "trade_head", "admin"])
def test_other_roles_cannot_keep_estimates_or_targets(client, login_as, role):
    login_as(role)
    for url in LABOUR_PAGES:
        assert client.get(url).status_code == 403
        assert client.post(url, data={"period": "2026-01"}).status_code == 403
    assert "/dashboard/estimates" not in client.get("/dashboard/").get_data(as_text=True)


def test_business_owner_is_refused_the_staff_dashboard(client, login_as):
    login_as("business_owner")
    for url in REPORT_PAGES + LABOUR_PAGES:
        assert client.get(url).status_code == 403, url


def test_anonymous_visitor_is_sent_to_login_but_reads_the_public_page(client):
    for url in REPORT_PAGES + LABOUR_PAGES:
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert client.get("/dashboard/public").status_code == 200
    assert client.get("/dashboard/public?download=public-service.csv").status_code == 200


def test_public_page_shows_no_personal_data(client, small_city):
    from portal.extensions import db
    from portal.models import Worker

    page = client.get("/dashboard/public?period=2026-03").get_data(as_text=True)
    for worker in db.session.query(Worker):
        assert worker.nik not in page and worker.full_name not in page
    assert "23,3" in page or "23.3" in page  # official 17 of 73 in March


@pytest.mark.parametrize(
    "query",
    [
        "kecamatan=61.72.99",
        "kecamatan=Tengah",
        "period=2026-13",
        "period=Maret",
        "period=2014-12",
        "period=2999-01",
        "months=7",
    ],
)
@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/",
        "/dashboard/pipeline",
        "/dashboard/service",
        "/dashboard/batches",
        "/dashboard/export/coverage-monthly.csv",
        "/dashboard/export/funded-batches.csv",
        "/dashboard/summary.pdf",
    ],
)
def test_unknown_filters_get_a_clear_message_not_a_500(client, login_as, url, query):
    login_as("labour_officer")
    response = client.get(f"{url}?{query}")
    assert response.status_code == 400
    assert "alert-danger" in response.get_data(as_text=True)


@pytest.mark.parametrize("query", ["kecamatan=61.72.99", "period=2026-00"])
def test_public_page_with_unknown_filters_answers_400(client, query):
    response = client.get(f"/dashboard/public?{query}")
    assert response.status_code == 400
    assert client.get(f"/dashboard/public?download=public-service.csv&{query}").status_code == 400


def test_unknown_export_table_or_format_is_404(client, login_as):
    login_as("bpjs_officer")
    assert client.get("/dashboard/export/nothing.csv").status_code == 404
    assert client.get("/dashboard/export/complaints.pdf").status_code == 404
    assert client.get("/dashboard/public?download=complaints.csv").status_code == 404


def test_filter_message_names_the_problem_next_to_the_field(client, login_as):
    login_as("trade_officer")
    page = client.get("/dashboard/?kecamatan=61.72.99").get_data(as_text=True)
    assert 'id="kecamatan-error"' in page
    assert 'id="period-error"' in client.get("/dashboard/?period=2026-13").get_data(as_text=True)
