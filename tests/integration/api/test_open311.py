"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2): discovery, services, public
requests and filing a complaint with an api_key (issue 18)."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, Complaint
from tests.factories_complaints import ComplaintFactory
from tests.integration.api.conftest import Caller


def _lapor(new_client) -> str:
    _c, token = new_client(["complaints:write"], agency_code=None, name="SP4N-LAPOR!")
    return token


def _post_form(**overrides) -> dict:
    data = {
        "service_code": "enrolment_slow",
        "description": "Sudah tiga minggu pendaftaran dua pekerja kami belum diproses.",
        "first_name": "Ani",
        "last_name": "Pelapor",
        "phone": "081298765432",
        "email": "ani@example.id",
        "attribute[agency]": "bpjs",
    }
    data.update(overrides)
    return data


def test_discovery_and_services(client):
    api = Caller(client)
    discovery = api.get("/open311/v2/discovery.json")
    assert discovery.get_json()["endpoints"][0]["url"].endswith("/open311/v2")
    services = api.get("/open311/v2/services.json").get_json()
    codes = [s["service_code"] for s in services]
    assert "enrolment_slow" in codes
    assert all(s["metadata"] is True and s["type"] == "batch" for s in services)
    definition = api.get("/open311/v2/services/enrolment_slow.json").get_json()
    agency = definition["attributes"][0]
    assert agency["code"] == "agency" and agency["required"] is True
    assert {"bpjs", "disnaker"} <= {v["key"] for v in agency["values"]}
    missing = api.get("/open311/v2/services/nothing.json")
    assert missing.status_code == 404
    assert missing.get_json()[0]["code"] == 404


def test_post_creates_a_complaint_through_the_public_intake(client, new_client):
    token = _lapor(new_client)
    api = Caller(client)
    response = api.post("/open311/v2/requests.json", data=_post_form(api_key=token))
    assert response.status_code == 201, response.get_json()
    (created,) = response.get_json()
    complaint = db.session.get(Complaint, int(created["service_request_id"]))
    assert created["token"] == complaint.tracking_code
    assert complaint.state == "submitted" and complaint.reporter_name == "Ani Pelapor"
    assert complaint.agency.code == "bpjs"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "complaint.submitted"))
    assert '"channel": "open311:SP4N-LAPOR!"' in event.summary
    assert event.actor.name == "API: SP4N-LAPOR!"
    # The public list shows it without personal data.
    listed = api.get(f"/open311/v2/requests/{complaint.id}.json").get_json()
    assert listed[0]["status"] == "open" and listed[0]["agency_responsible"]
    text = str(listed)
    assert "Ani" not in text and "0812" not in text and "tiga minggu" not in text


def test_post_refusals_use_the_open311_error_format(client, new_client):
    token = _lapor(new_client)
    api = Caller(client)
    short = api.post(
        "/open311/v2/requests.json?lang=en",
        data=_post_form(api_key=token, description="short", phone="", email=""),
    )
    assert short.status_code == 400
    assert short.get_json()[0]["code"] == 400
    assert short.get_json()[0]["description"].startswith("description: ")
    unknown = api.post(
        "/open311/v2/requests.json", data=_post_form(api_key=token, nik="3171234567890123")
    )
    assert unknown.status_code == 400
    assert unknown.get_json()[0]["description"].startswith("nik: ")
    bad_agency = api.post(
        "/open311/v2/requests.json", data=_post_form(api_key=token, **{"attribute[agency]": "x"})
    )
    assert bad_agency.get_json()[0]["description"].startswith("attribute[agency]: ")
    no_key = api.post("/open311/v2/requests.json", data=_post_form())
    assert no_key.status_code == 401
    assert db.session.scalar(select(func.count()).select_from(Complaint)) == 0


def test_public_list_filters(client):
    done = ComplaintFactory(state="closed")
    waiting = ComplaintFactory()
    db.session.commit()
    api = Caller(client)
    closed = api.get("/open311/v2/requests.json?status=closed").get_json()
    assert [r["service_request_id"] for r in closed] == [str(done.id)]
    both = api.get(f"/open311/v2/requests.json?service_request_id={done.id},{waiting.id}")
    assert len(both.get_json()) == 2
    bad = api.get("/open311/v2/requests.json?status=maybe")
    assert bad.status_code == 400 and bad.get_json()[0]["code"] == 400
    assert api.get("/open311/v2/requests/999999.json").status_code == 404
