"""BPJS's system reads the enrolment queue and posts results back (issue 18)."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import ApiIdempotentAnswer, AuditEvent, EnrolmentRequest, Membership
from tests.factories_bpjs import EnrolmentRequestFactory


def _requests(n: int = 1) -> list[EnrolmentRequest]:
    rows = [EnrolmentRequestFactory() for _ in range(n)]
    db.session.commit()
    return rows


def test_reads_the_queue_with_cursor_pages(bpjs_api):
    rows = _requests(3)
    first = bpjs_api.get("/api/v1/enrolment-requests?limit=2")
    assert first.status_code == 200
    body = first.get_json()
    assert [r["id"] for r in body["items"]] == [rows[0].id, rows[1].id]
    assert body["items"][0]["worker"]["nik"] == rows[0].worker.nik
    second = bpjs_api.get(f"/api/v1/enrolment-requests?limit=2&cursor={body['next_cursor']}")
    assert [r["id"] for r in second.get_json()["items"]] == [rows[2].id]
    assert second.get_json()["next_cursor"] is None


def test_updated_since_and_state_filter(bpjs_api):
    rows = _requests(2)
    later = rows[1].updated_at.isoformat()
    found = bpjs_api.get("/api/v1/enrolment-requests", query_string={"updated_since": later})
    assert [r["id"] for r in found.get_json()["items"]] == [rows[1].id]
    none = bpjs_api.get("/api/v1/enrolment-requests?state=enrolled")
    assert none.get_json()["items"] == []


def test_bad_filters_are_problems_at_their_field(bpjs_api):
    response = bpjs_api.get("/api/v1/enrolment-requests?state=bogus&limit=0")
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    fields = {e["field"] for e in response.get_json()["errors"]}
    assert fields == {"state"}  # the first refusal stops the read
    bad_cursor = bpjs_api.get("/api/v1/enrolment-requests?cursor=xyz")
    assert bad_cursor.status_code == 422
    assert bad_cursor.get_json()["errors"][0]["field"] == "cursor"
    since = bpjs_api.get("/api/v1/enrolment-requests?updated_since=yesterday")
    assert since.get_json()["errors"][0]["field"] == "updated_since"


def test_one_request_has_an_etag_and_answers_304(bpjs_api):
    (req,) = _requests()
    first = bpjs_api.get(f"/api/v1/enrolment-requests/{req.id}")
    assert first.status_code == 200 and first.headers["ETag"]
    again = bpjs_api.get(
        f"/api/v1/enrolment-requests/{req.id}", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
    assert bpjs_api.get("/api/v1/enrolment-requests/999999").status_code == 404


def test_enrolled_with_kpj_as_the_queue_page_does(bpjs_api):
    (req,) = _requests()
    response = bpjs_api.post(
        f"/api/v1/enrolment-requests/{req.id}/result",
        json={"outcome": "enrolled", "kpj": "12345678901"},
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["request"]["state"] == "enrolled"
    assert body["membership"]["kpj"] == "12345678901"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "enrolment.enrolled"))
    assert event.actor_label.startswith("api-") and event.actor_id is not None
    assert event.actor.name == "API: Sistem BPJS"
    # Decided: a second result is refused by the same rule as the page (409).
    again = bpjs_api.post(
        f"/api/v1/enrolment-requests/{req.id}/result",
        json={"outcome": "rejected", "reason": "x" * 6},
    )
    assert again.status_code == 409


def test_the_services_messages_come_back_at_their_field(bpjs_api):
    (req,) = _requests()
    bad_kpj = bpjs_api.post(
        f"/api/v1/enrolment-requests/{req.id}/result", json={"outcome": "enrolled", "kpj": "12"}
    )
    assert bad_kpj.status_code == 422
    assert [e["field"] for e in bad_kpj.get_json()["errors"]] == ["kpj"]
    no_reason = bpjs_api.post(
        f"/api/v1/enrolment-requests/{req.id}/result?lang=en", json={"outcome": "returned"}
    )
    assert no_reason.get_json()["errors"] == [
        {"field": "reason", "message": "Give a reason of at least 5 characters."}
    ]
    assert db.session.scalar(select(func.count()).select_from(Membership)) == 0


def test_unknown_fields_wrong_types_and_malformed_json_are_refused(bpjs_api):
    (req,) = _requests()
    url = f"/api/v1/enrolment-requests/{req.id}/result?lang=en"
    unknown = bpjs_api.post(url, json={"outcome": "enrolled", "npp": "1"})
    assert unknown.status_code == 422
    assert unknown.get_json()["errors"] == [
        {"field": "npp", "message": "This field is not known here."}
    ]
    wrong = bpjs_api.post(url, json={"outcome": "enrolled", "kpj": 1234567890})
    assert wrong.get_json()["errors"][0]["field"] == "kpj"
    missing = bpjs_api.post(url, json={})
    assert missing.get_json()["errors"] == [
        {"field": "outcome", "message": "This field is required."}
    ]
    not_json = bpjs_api.post(url, data="{not json", headers={"Content-Type": "application/json"})
    assert not_json.status_code == 400
    form = bpjs_api.post(url, data={"outcome": "enrolled"})
    assert form.status_code == 415
    huge = bpjs_api.post(url, json={"outcome": "returned", "reason": "x" * 70_000})
    assert huge.status_code == 413
    db.session.expire_all()
    assert db.session.get(EnrolmentRequest, req.id).state == "submitted"


def test_idempotency_key_replays_the_first_answer(bpjs_api):
    (req,) = _requests()
    url = f"/api/v1/enrolment-requests/{req.id}/result"
    key = {"Idempotency-Key": "bpjs-42"}
    result = {"outcome": "enrolled", "kpj": "26120500017"}
    first = bpjs_api.post(url, json=result, headers=key)
    second = bpjs_api.post(url, json=result, headers=key)
    assert first.status_code == second.status_code == 200
    assert first.get_json() == second.get_json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert db.session.scalar(select(func.count()).select_from(Membership)) == 1
    other = bpjs_api.post(url, json={"outcome": "rejected", "reason": "lainnya"}, headers=key)
    assert other.status_code == 422
    stored = db.session.scalar(select(ApiIdempotentAnswer))
    assert json.loads(stored.body) == first.get_json()


def test_a_refused_command_frees_its_idempotency_key(bpjs_api):
    (req,) = _requests()
    url = f"/api/v1/enrolment-requests/{req.id}/result"
    key = {"Idempotency-Key": "k1"}
    assert bpjs_api.post(url, json={"outcome": "returned"}, headers=key).status_code == 422
    ok = bpjs_api.post(url, json={"outcome": "returned", "reason": "NIK salah ketik"}, headers=key)
    assert ok.status_code == 200
