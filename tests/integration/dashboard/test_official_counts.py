"""BPJS's official participant counts: the form, the upload's dry run and confirmation, bad
input, history, and what the public page shows from them (issue 13)."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, OfficialCount, OfficialCountUpload
from portal.services.coverage.periods import current_month
from tests.factories_dashboard import EstimateFactory, OfficialCountFactory
from tests.races import logged_in_clients, needs_postgres, race

LAST = str(current_month().shift(-1))
FUTURE = str(current_month().shift(1))


@pytest.fixture
def estimates(app):
    for code in ("61.72.01", "61.72.02", "61.72.03", "61.72.04", "61.72.05"):
        EstimateFactory(kecamatan_code=code, period="2025-01", estimated_workforce=1000)
    db.session.commit()


def form(**overrides) -> dict:
    data = {
        "period": LAST,
        "kecamatan_code": "61.72.01",
        "category": "PU",
        "active_participants": "270",
        "source_document": "Laporan peserta aktif Kantor Cabang",
    }
    data.update(overrides)
    return data


def counts() -> int:
    return db.session.scalar(select(func.count(OfficialCount.id)))


def test_bpjs_records_a_count_with_who_and_source(client, login_as, estimates):
    officer = login_as("bpjs_officer")
    response = client.post("/dashboard/official-counts", data=form(active_participants="270"))
    assert response.status_code == 302
    row = db.session.scalar(select(OfficialCount))
    assert (row.period, row.kecamatan_code, row.category) == (LAST, "61.72.01", "PU")
    assert row.active_participants == 270 and row.recorded_by_id == officer.id
    assert row.source_document == "Laporan peserta aktif Kantor Cabang"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"active_participants": "-5"}, "active_participants", "negatif"),
        ({"active_participants": "1001"}, "active_participants", "perkiraan angkatan kerja"),
        ({"kecamatan_code": "61.72.99"}, "kecamatan_code", "Kecamatan tidak dikenal"),
        ({"category": "nelayan"}, "category", "Kategori tidak dikenal"),
        ({"period": FUTURE}, "period", "masa depan"),
        ({"period": "2026-13"}, "period", "tahun-bulan"),
    ],
    ids=["negative", "above-workforce", "kecamatan", "category", "future", "bad-month"],
)
def test_bad_counts_are_refused_next_to_their_field(
    client, login_as, estimates, overrides, field, message
):
    login_as("bpjs_head")
    response = client.post("/dashboard/official-counts", data=form(**overrides))
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert message in body
    assert 'value="Laporan peserta aktif Kantor Cabang"' in body  # input kept
    assert counts() == 0


def test_replacing_a_month_needs_confirmation_and_keeps_the_old_value_in_the_trail(
    client, login_as, estimates
):
    login_as("bpjs_officer")
    client.post("/dashboard/official-counts", data=form())
    again = client.post("/dashboard/official-counts", data=form(active_participants="300"))
    assert again.status_code == 400 and "ganti" in again.get_data(as_text=True).lower()
    assert db.session.scalar(select(OfficialCount.active_participants)) == 270
    ok = client.post(
        "/dashboard/official-counts", data=form(active_participants="300", replace="y")
    )
    assert ok.status_code == 302
    assert counts() == 1 and db.session.scalar(select(OfficialCount.active_participants)) == 300
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "coverage.official_count_replaced")
    )
    summary = json.loads(event.summary)
    assert summary["previous"] == 270 and summary["active_participants"] == 300
    page = client.get("/dashboard/official-counts").get_data(as_text=True)
    changes = page.split('id="official-changes"', 1)[1]
    assert "270" in changes and "300" in changes  # the history shows before and after


def test_other_staff_cannot_record_counts(client, login_as, estimates):
    login_as("labour_officer")
    assert client.get("/dashboard/official-counts").status_code == 403
    assert client.post("/dashboard/official-counts", data=form()).status_code == 403


def _csv(*lines: str) -> tuple[io.BytesIO, str]:
    text = "period,kecamatan,category,active_participants\n" + "\n".join(lines) + "\n"
    return io.BytesIO(text.encode()), "peserta.csv"


def test_upload_dry_run_then_confirm_saves_every_row(client, login_as, estimates):
    login_as("bpjs_officer")
    template = client.get("/dashboard/official-counts/template.xlsx")
    sheet = load_workbook(io.BytesIO(template.data)).active
    assert [c.value for c in sheet[1]] == [
        "period",
        "kecamatan",
        "category",
        "active_participants",
    ]
    response = client.post(
        "/dashboard/official-counts/upload",
        data={
            "file": _csv(f"{LAST},61.72.01,PU,200", f"{LAST},Singkawang Barat,jasa konstruksi,50"),
            "source_document": "Laporan Mei",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert counts() == 0  # dry run: nothing saved yet
    review = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Singkawang Barat" in review
    done = client.post(response.headers["Location"], data={})
    assert done.status_code == 302
    assert counts() == 2
    again = client.post(response.headers["Location"], data={})
    assert again.status_code == 400 and counts() == 2  # never twice


def test_upload_with_a_bad_row_saves_nothing(client, login_as, estimates):
    login_as("bpjs_officer")
    response = client.post(
        "/dashboard/official-counts/upload",
        data={
            "file": _csv(
                f"{LAST},61.72.01,PU,200",
                f"{LAST},61.72.01,PU,210",  # the same cell twice
                f"{FUTURE},61.72.02,PU,-1",
            ),
            "source_document": "Laporan",
        },
        content_type="multipart/form-data",
    )
    upload = db.session.scalar(select(OfficialCountUpload))
    assert upload.error_count == 2
    review = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Baris 2" in review or "Line 2" in review
    assert client.post(response.headers["Location"], data={}).status_code == 400
    assert counts() == 0


def test_uploading_a_recorded_month_again_replaces_only_with_confirmation(
    client, login_as, estimates
):
    OfficialCountFactory(period=LAST, kecamatan_code="61.72.01", category="PU")
    db.session.commit()
    login_as("bpjs_officer")
    response = client.post(
        "/dashboard/official-counts/upload",
        data={"file": _csv(f"{LAST},61.72.01,PU,250"), "source_document": "Koreksi"},
        content_type="multipart/form-data",
    )
    url = response.headers["Location"]
    assert client.post(url, data={}).status_code == 400
    assert db.session.scalar(select(OfficialCount.active_participants)) == 10
    assert client.post(url, data={"replace": "y"}).status_code == 302
    assert counts() == 1 and db.session.scalar(select(OfficialCount.active_participants)) == 250


def test_public_page_shows_the_fallback_month_and_the_portal_share(client, small_city, clock):
    page = client.get("/dashboard/public?period=2026-04").get_data(as_text=True)
    assert 'id="official-fallback"' in page and "2026-03" in page
    assert "23,3" in page  # 17 of 73, the last month with counts
    assert 'id="kpi-portal-share"' in page
    assert "2029" in page


def test_public_figures_are_cached_until_a_count_changes(client, app, small_city):
    from portal.services.coverage import figures_cache

    app.config["FIGURES_CACHE_SECONDS"] = 300
    figures_cache.clear()
    try:
        first = client.get("/dashboard/public?period=2026-03").get_data(as_text=True)
        assert "23,3" in first
        # A change that bypasses the commands is not seen while the cache holds …
        row = db.session.scalar(
            select(OfficialCount).where(
                OfficialCount.period == "2026-03", OfficialCount.kecamatan_code == "61.72.05"
            )
        )
        row.active_participants = 13  # city 27 of 73 = 37,0%
        db.session.commit()
        assert "23,3" in client.get("/dashboard/public?period=2026-03").get_data(as_text=True)
        # … and a new figures version (what every command bumps) recomputes.
        from portal.services.coverage.figures_cache import bump_figures_version

        bump_figures_version()
        db.session.commit()
        assert "37" in client.get("/dashboard/public?period=2026-03").get_data(as_text=True)
    finally:
        app.config["FIGURES_CACHE_SECONDS"] = 0
        figures_cache.clear()


def test_an_estimate_below_the_official_count_is_refused(client, login_as, app):
    OfficialCountFactory(period="2026-03", kecamatan_code="61.72.01", active_participants=500)
    db.session.commit()
    login_as("labour_officer")
    response = client.post(
        "/dashboard/estimates",
        data={"kecamatan_code": "61.72.01", "period": "2026-03", "estimated_workforce": "400"},
    )
    assert response.status_code == 400
    assert "500 peserta resmi BPJS" in response.get_data(as_text=True)


@needs_postgres[0]
@needs_postgres[1]
def test_two_officers_recording_the_same_month_at_once_save_it_once(app):
    """PostgreSQL: both see no count yet; the unique cell lets one insert, the other gets a
    message next to the form (never a 500, never two rows)."""
    EstimateFactory(kecamatan_code="61.72.01", period="2025-01", estimated_workforce=1000)
    db.session.commit()
    clients = logged_in_clients(app, "bpjs_officer", 2)
    url = "/dashboard/official-counts"
    calls = [(url, form()), (url, form(active_participants="280"))]
    assert sorted(r.status_code for r in race(clients, calls)) == [302, 400]
    db.session.expire_all()
    assert counts() == 1


def test_staff_coverage_page_is_cached_the_same_way_and_says_when_it_was_computed(
    client, app, small_city, login_as, count_queries
):
    from portal.services.coverage import figures_cache
    from portal.services.coverage.figures_cache import bump_figures_version

    login_as("labour_officer")
    app.config["FIGURES_CACHE_SECONDS"] = 300
    figures_cache.clear()
    try:
        url = "/dashboard/?period=2026-03&lang=en"
        first = client.get(url).get_data(as_text=True)
        assert "23.3" in first and 'id="figures-as-of"' in first
        assert "at least every 5 minutes" in first
        with count_queries() as cached_page:
            client.get(url)
        row = db.session.scalar(
            select(OfficialCount).where(
                OfficialCount.period == "2026-03", OfficialCount.kecamatan_code == "61.72.05"
            )
        )
        row.active_participants = 13
        db.session.commit()
        assert "23.3" in client.get(url).get_data(as_text=True)
        bump_figures_version()
        db.session.commit()
        with count_queries() as fresh_page:
            fresh = client.get(url).get_data(as_text=True)
        assert "37.0" in fresh
        # A cached page skips the aggregates: only the login, the version and the page's own.
        assert cached_page.count < fresh_page.count
    finally:
        app.config["FIGURES_CACHE_SECONDS"] = 0
        figures_cache.clear()
    # With the cache off the page says when it was computed and nothing about minutes.
    page = client.get("/dashboard/?period=2026-03&lang=en").get_data(as_text=True)
    assert (
        'id="figures-as-of"' in page and "minutes" not in page.split('id="figures-as-of"')[1][:300]
    )
