"""Memberships (BPJS only), coverage figures and complaints over the API (issue 18)."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Complaint
from tests.factories_bpjs import MembershipFactory
from tests.factories_complaints import ComplaintFactory, OpenComplaintFactory
from tests.integration.api.conftest import Caller


def test_memberships_by_kpj_and_by_nik(client, new_client):
    membership = MembershipFactory()
    db.session.commit()
    _c, token = new_client(["enrolment:read"])
    api = Caller(client, token)
    one = api.get(f"/api/v1/memberships/{membership.kpj}")
    assert one.status_code == 200
    assert one.get_json()["worker"]["nik"] == membership.worker.nik
    found = api.post("/api/v1/memberships/search", json={"nik": membership.worker.nik})
    assert [m["kpj"] for m in found.get_json()["items"]] == [membership.kpj]
    bad = api.post("/api/v1/memberships/search?lang=en", json={"nik": "123"})
    assert bad.status_code == 422
    assert bad.get_json()["errors"] == [{"field": "nik", "message": "A NIK has 16 digits."}]
    assert api.get("/api/v1/memberships/99999999999").status_code == 404
    lookups = db.session.scalars(
        select(AuditEvent.summary).where(AuditEvent.action == "membership.looked_up")
    ).all()
    assert len(lookups) == 2  # by KPJ and by NIK; the refused NIK looked nothing up
    assert membership.worker.nik not in "".join(lookups)


def test_coverage_reads_the_public_pages_figures(client, new_client):
    _c, token = new_client(["coverage:read"], agency_code=None, name="Satu Data")
    api = Caller(client, token)
    response = api.get("/api/v1/coverage?months=6")
    assert response.status_code == 200
    body = response.get_json()
    assert body["months"] == 6 and len(body["series"]) == 6
    public = client.get(f"/dashboard/public?months=6&period={body['period']}")
    assert public.status_code == 200
    bad = api.get("/api/v1/coverage?period=2014-01&months=7&kecamatan=nowhere")
    assert bad.status_code == 422
    assert {e["field"] for e in bad.get_json()["errors"]} == {"period", "months", "kecamatan"}


def test_complaints_of_the_clients_agency_only(client, new_client):
    ours = ComplaintFactory(agency_code="bpjs", hide_identity=True)
    theirs = ComplaintFactory(agency_code="disperindagkop")
    db.session.commit()
    _c, token = new_client(["complaints:read"], agency_code="bpjs")
    api = Caller(client, token)
    listed = api.get("/api/v1/complaints?state=all")
    assert [c["id"] for c in listed.get_json()["items"]] == [ours.id]
    one = api.get(f"/api/v1/complaints/{ours.id}")
    assert one.get_json()["reporter"] is None  # asked to be hidden from the agency concerned
    assert api.get(f"/api/v1/complaints/{theirs.id}").status_code == 404


def test_complaint_steps_go_through_the_workflow(client, new_client):
    complaint = OpenComplaintFactory(agency_code="bpjs")
    other = OpenComplaintFactory(agency_code="disperindagkop")
    db.session.commit()
    _c, token = new_client(["complaints:read", "complaints:write"], agency_code="bpjs")
    api = Caller(client, token)
    url = f"/api/v1/complaints/{complaint.id}/steps?lang=en"
    no_answer = api.post(url, json={"step": "resolve"})
    assert no_answer.status_code == 422
    assert no_answer.get_json()["errors"] == [
        {"field": "note", "message": "Write the answer for the reporter."}
    ]
    triage = api.post(url, json={"step": "verify"})
    assert triage.status_code == 403  # the labour office triages, not the agency concerned
    started = api.post(url, json={"step": "start"})
    assert started.status_code == 200 and started.get_json()["state"] == "in_progress"
    resolved = api.post(url, json={"step": "resolve", "note": "Sudah diproses hari ini."})
    assert resolved.get_json()["state"] == "resolved"
    assert resolved.get_json()["version"] == db.session.get(Complaint, complaint.id).version
    again = api.post(url, json={"step": "start"})
    assert again.status_code == 409
    assert api.post(f"/api/v1/complaints/{other.id}/steps", json={"step": "start"}).status_code == (
        404
    )
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.record_type == "Complaint")
    ).all()
    assert actions == ["complaint.in_progress", "complaint.resolved"]


def test_labour_office_client_triages(client, new_client):
    complaint = ComplaintFactory(agency_code="bpjs")
    db.session.commit()
    _c, token = new_client(["complaints:write"], agency_code="disnaker", name="Disnaker")
    api = Caller(client, token)
    response = api.post(f"/api/v1/complaints/{complaint.id}/steps", json={"step": "verify"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["state"] == "verified"
