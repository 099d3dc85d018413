"""BPJS's system records official participant counts and reads them back over the API: the
dashboard form's command, rules and audit (issue 18, `coverage:write`)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import ApiIdempotentAnswer, AuditEvent, OfficialCount
from portal.services.coverage.periods import current_month
from tests.factories_dashboard import EstimateFactory, OfficialCountFactory
from tests.integration.api.conftest import Caller

URL = "/api/v1/official-counts"
LAST = str(current_month().shift(-1))
FUTURE = str(current_month().shift(1))


@pytest.fixture
def estimates(app):
    for code in ("61.72.01", "61.72.02"):
        EstimateFactory(kecamatan_code=code, period="2025-01", estimated_workforce=1000)
    db.session.commit()


@pytest.fixture
def bpjs_counts(client, new_client) -> Caller:
    _client, token = new_client(["coverage:write"])
    return Caller(client, token)


def body(**overrides) -> dict:
    data = {
        "month": LAST,
        "kecamatan_code": "61.72.01",
        "category": "PU",
        "count": 270,
        "source": "Laporan peserta aktif Kantor Cabang",
    }
    data.update(overrides)
    return data


def counts() -> int:
    return db.session.scalar(select(func.count(OfficialCount.id)))


def test_records_a_count_through_the_forms_command(bpjs_counts, estimates):
    response = bpjs_counts.post(URL, json=body())
    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    assert answer["outcome"] == "added"
    assert answer["count"]["month"] == LAST and answer["count"]["count"] == 270
    row = db.session.scalar(select(OfficialCount))
    assert (row.period, row.kecamatan_code, row.category) == (LAST, "61.72.01", "PU")
    assert row.source_document == "Laporan peserta aktif Kantor Cabang"
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "coverage.official_count_recorded")
    )
    assert event.actor.name == "API: Sistem BPJS"


def test_an_existing_month_is_replaced_only_with_replace_true(bpjs_counts, estimates):
    assert bpjs_counts.post(URL, json=body()).status_code == 200
    refused = bpjs_counts.post(URL, json=body(count=300))
    assert refused.status_code == 422
    assert refused.mimetype == "application/problem+json"
    assert [e["field"] for e in refused.get_json()["errors"]] == ["replace"]
    assert db.session.scalar(select(OfficialCount.active_participants)) == 270
    ok = bpjs_counts.post(URL, json=body(count=300, replace=True))
    assert ok.status_code == 200 and ok.get_json()["outcome"] == "replaced"
    assert counts() == 1 and db.session.scalar(select(OfficialCount.active_participants)) == 300
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "coverage.official_count_replaced")
    )
    assert json.loads(event.summary)["previous"] == 270


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"count": -5}, "count"),
        ({"count": 1001}, "count"),
        ({"kecamatan_code": "61.72.99"}, "kecamatan_code"),
        ({"month": FUTURE}, "month"),
        ({"month": "2026-13"}, "month"),
        ({"source": "  "}, "source"),
        ({"category": "nelayan"}, "category"),
        ({"count": "12"}, "count"),
        ({"extra": 1}, "extra"),
    ],
    ids=[
        "negative",
        "above-workforce",
        "kecamatan",
        "future",
        "bad-month",
        "no-source",
        "category",
        "wrong-type",
        "unknown-field",
    ],
)
def test_bad_input_is_refused_at_its_field(bpjs_counts, estimates, overrides, field):
    response = bpjs_counts.post(URL, json=body(**overrides))
    assert response.status_code == 422, response.get_json()
    assert field in {e["field"] for e in response.get_json()["errors"]}
    assert counts() == 0


def test_a_repeat_with_the_same_idempotency_key_records_once(bpjs_counts, estimates):
    headers = {"Idempotency-Key": "count-2026-01"}
    first = bpjs_counts.post(URL, json=body(), headers=headers)
    again = bpjs_counts.post(URL, json=body(), headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert counts() == 1
    assert db.session.scalar(select(func.count(ApiIdempotentAnswer.id))) == 1


def test_wrong_scope_agency_and_no_token(client, new_client, estimates):
    _c, reader = new_client(["coverage:read"])
    assert Caller(client, reader).post(URL, json=body()).status_code == 403
    _c, labour = new_client(["coverage:write"], agency_code="disnaker", name="Disnaker")
    assert Caller(client, labour).post(URL, json=body()).status_code == 403
    assert Caller(client).post(URL, json=body()).status_code == 401
    assert Caller(client).get(URL).status_code == 401
    _c, other = new_client(["enrolment:read"], name="Lain")
    assert Caller(client, other).get(URL).status_code == 403
    assert counts() == 0


def test_lists_counts_by_month_with_cursor_pages_and_etag(client, new_client):
    OfficialCountFactory(period="2026-02", kecamatan_code="61.72.01")
    OfficialCountFactory(period="2026-03", kecamatan_code="61.72.01")
    OfficialCountFactory(period="2026-03", kecamatan_code="61.72.02")
    db.session.commit()
    _c, token = new_client(["coverage:read"], agency_code="disnaker", name="Open data")
    reader = Caller(client, token)
    first = reader.get(f"{URL}?month=2026-03&limit=1")
    assert first.status_code == 200 and first.headers["ETag"]
    page = first.get_json()
    assert [c["month"] for c in page["items"]] == ["2026-03"]
    second = reader.get(f"{URL}?month=2026-03&limit=1&cursor={page['next_cursor']}")
    assert second.get_json()["next_cursor"] is None
    kecs = {c["kecamatan_code"] for c in page["items"] + second.get_json()["items"]}
    assert kecs == {"61.72.01", "61.72.02"}
    same = reader.get(
        f"{URL}?month=2026-03&limit=1", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert same.status_code == 304
    assert len(reader.get(URL).get_json()["items"]) == 3
    # A writer reads what it wrote; a bad month is a problem at its field.
    _c, writer = new_client(["coverage:write"])
    assert Caller(client, writer).get(URL).status_code == 200
    bad = reader.get(f"{URL}?month=March")
    assert bad.status_code == 422 and bad.get_json()["errors"][0]["field"] == "month"
