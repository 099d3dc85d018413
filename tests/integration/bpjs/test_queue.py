"""The enrolment queue: filters, claim, enrol, return, reject, reassign, bulk actions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, EnrolmentRequest, Membership
from tests.factories import BusinessFactory, EmploymentFactory, UserFactory
from tests.factories_bpjs import EnrolmentRequestFactory, MembershipFactory


def _reload(req_id: int) -> EnrolmentRequest:
    db.session.expire_all()
    return db.session.get(EnrolmentRequest, req_id)


def test_queue_lists_open_requests_soonest_deadline_first_with_overdue_marked(client, officer):
    late = EnrolmentRequestFactory(sla_due=date.today() - timedelta(days=2))
    soon = EnrolmentRequestFactory(sla_due=date.today() + timedelta(days=1))
    EnrolmentRequestFactory(state="enrolled", kpj="12345678901")
    db.session.commit()
    page = client.get("/bpjs/queue")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.index(late.worker.full_name) < html.index(soon.worker.full_name)
    assert html.count('data-request-id="') == 2
    assert "table-danger" in html


def test_queue_filters_by_overdue_category_business_and_kecamatan(client, officer):
    far = BusinessFactory(name="Toko Jauh", kelurahan_code="61.72.03.1001")
    EnrolmentRequestFactory(
        employment=EmploymentFactory(business=far), sla_due=date.today() - timedelta(days=1)
    )
    near = EnrolmentRequestFactory()
    db.session.commit()
    assert client.get("/bpjs/queue?overdue=y").get_data(as_text=True).count("data-request-id") == 1
    body = client.get("/bpjs/queue?kecamatan=61.72.03").get_data(as_text=True)
    assert "Toko Jauh" in body and near.business.name not in body
    body = client.get("/bpjs/queue?business=Toko+J").get_data(as_text=True)
    assert body.count("data-request-id") == 1
    body = client.get(f"/bpjs/queue?business={near.business.nib}").get_data(as_text=True)
    assert near.worker.full_name in body and "Toko Jauh" not in body
    body = client.get("/bpjs/queue?category=BPU").get_data(as_text=True)
    assert body.count("data-request-id") == 0


def test_queue_with_unknown_filter_values_falls_back_instead_of_failing(client, officer):
    EnrolmentRequestFactory()
    db.session.commit()
    assert client.get("/bpjs/queue?state=bogus&kecamatan=zz&page=x").status_code == 200


def test_queue_runs_the_same_number_of_queries_for_few_and_many_requests(
    client, officer, count_queries
):
    EnrolmentRequestFactory()
    db.session.commit()
    with count_queries() as few:
        assert client.get("/bpjs/queue").status_code == 200
    for _ in range(15):
        EnrolmentRequestFactory()
    db.session.commit()
    with count_queries() as many:
        assert client.get("/bpjs/queue").status_code == 200
    assert few.count == many.count


def test_officer_claims_a_request_and_it_becomes_theirs(client, officer):
    req = EnrolmentRequestFactory()
    db.session.commit()
    response = client.post(f"/bpjs/queue/{req.id}/claim")
    assert response.status_code == 302
    req = _reload(req.id)
    assert (req.state, req.assignee_id) == ("in_review", officer.id)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "enrolment.claimed"))


def test_request_held_by_another_officer_cannot_be_claimed_or_decided(client, officer):
    holder = UserFactory(role="bpjs_officer", name="Rina Pemegang")
    req = EnrolmentRequestFactory(state="in_review", assignee=holder)
    db.session.commit()
    for url, data in [
        ("claim", {}),
        ("enrol", {"kpj": "26000000555"}),
        ("return", {"ret-reason": "Data tidak lengkap"}),
        ("reject", {"rej-reason": "Bukan pekerja"}),
    ]:
        response = client.post(f"/bpjs/queue/{req.id}/{url}", data=data)
        assert response.status_code == 409, url
        assert "Rina Pemegang" in response.get_data(as_text=True)
    req = _reload(req.id)
    assert (req.state, req.assignee_id) == ("in_review", holder.id)
    assert db.session.scalar(select(Membership.id)) is None


def test_enrol_with_entered_kpj_creates_the_membership(client, officer):
    req = EnrolmentRequestFactory()
    db.session.commit()
    client.post(f"/bpjs/queue/{req.id}/claim")
    response = client.post(f"/bpjs/queue/{req.id}/enrol", data={"kpj": "26000000123"})
    assert response.status_code == 302
    membership = db.session.scalar(select(Membership))
    assert membership.kpj == "26000000123"
    assert membership.funding_source == "employer"
    assert membership.business_id == req.business_id
    assert membership.enrolment_request_id == req.id
    assert _reload(req.id).state == "enrolled"
    assert _reload(req.id).kpj == "26000000123"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "enrolment.enrolled"))
    assert "26000000123" in event.summary


def test_enrol_without_kpj_is_refused_the_portal_never_invents_one(client, officer):
    """Issue 12 rule 8: the KPJ comes from BPJS's own system; without it nothing happens."""
    req = EnrolmentRequestFactory()
    db.session.commit()
    response = client.post(f"/bpjs/queue/{req.id}/enrol", data={"kpj": ""})
    assert response.status_code == 400
    assert 'id="kpj-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(Membership.id)) is None
    assert _reload(req.id).state == "submitted"


def test_duplicate_kpj_is_refused_next_to_the_field_and_nothing_changes(client, officer):
    MembershipFactory(kpj="26000000999")
    req = EnrolmentRequestFactory()
    db.session.commit()
    response = client.post(f"/bpjs/queue/{req.id}/enrol", data={"kpj": "26000000999"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "26000000999" in html and "invalid-feedback" in html
    assert _reload(req.id).state == "submitted"
    assert db.session.query(Membership).count() == 1


@pytest.mark.parametrize("kpj", ["123", "12345abc901", "1234567890123456"])
def test_malformed_kpj_is_refused(client, officer, kpj):
    req = EnrolmentRequestFactory()
    db.session.commit()
    response = client.post(f"/bpjs/queue/{req.id}/enrol", data={"kpj": kpj})
    assert response.status_code == 400
    assert _reload(req.id).state == "submitted"


@pytest.mark.parametrize("action,prefix", [("return", "ret"), ("reject", "rej")])
def test_return_and_reject_need_a_reason(client, officer, action, prefix):
    req = EnrolmentRequestFactory()
    db.session.commit()
    response = client.post(f"/bpjs/queue/{req.id}/{action}", data={f"{prefix}-reason": " "})
    assert response.status_code == 400
    assert "invalid-feedback" in response.get_data(as_text=True)
    assert _reload(req.id).state == "submitted"


def test_return_records_the_reason_for_the_owner(client, officer):
    req = EnrolmentRequestFactory()
    db.session.commit()
    response = client.post(
        f"/bpjs/queue/{req.id}/return", data={"ret-reason": "Upah di bawah UMK, mohon cek"}
    )
    assert response.status_code == 302
    req = _reload(req.id)
    assert req.state == "returned"
    assert req.return_reason == "Upah di bawah UMK, mohon cek"
    assert req.decided_by_id == officer.id


def test_reject_records_the_reason(client, officer):
    req = EnrolmentRequestFactory()
    db.session.commit()
    reason = "Sudah terdaftar di cabang lain"
    client.post(f"/bpjs/queue/{req.id}/reject", data={"rej-reason": reason, "confirmed": "yes"})
    req = _reload(req.id)
    assert (req.state, req.reject_reason) == ("rejected", "Sudah terdaftar di cabang lain")


def test_acting_on_an_already_decided_request_is_refused(client, officer):
    req = EnrolmentRequestFactory()
    db.session.commit()
    client.post(
        f"/bpjs/queue/{req.id}/reject",
        data={"rej-reason": "Bukan pekerja sini", "confirmed": "yes"},
    )
    response = client.post(f"/bpjs/queue/{req.id}/enrol", data={"kpj": "26000000556"})
    assert response.status_code == 409
    assert "already been decided" in response.get_data(as_text=True) or "sudah" in (
        response.get_data(as_text=True)
    )
    assert db.session.scalar(select(Membership.id)) is None


def test_officer_can_release_a_claim(client, officer):
    req = EnrolmentRequestFactory()
    db.session.commit()
    client.post(f"/bpjs/queue/{req.id}/claim")
    client.post(f"/bpjs/queue/{req.id}/release")
    req = _reload(req.id)
    assert (req.state, req.assignee_id) == ("submitted", None)


def test_head_reassigns_a_held_request_and_the_new_officer_can_act(client, head, other_officer):
    holder = UserFactory(role="bpjs_officer")
    req = EnrolmentRequestFactory(state="in_review", assignee=holder)
    db.session.commit()
    page = client.get(f"/bpjs/queue/{req.id}")
    assert "Petugas Lain" in page.get_data(as_text=True)
    response = client.post(f"/bpjs/queue/{req.id}/reassign", data={"officer_id": other_officer.id})
    assert response.status_code == 302
    assert _reload(req.id).assignee_id == other_officer.id


def test_officer_cannot_reassign(client, officer, other_officer):
    req = EnrolmentRequestFactory()
    db.session.commit()
    response = client.post(f"/bpjs/queue/{req.id}/reassign", data={"officer_id": other_officer.id})
    assert response.status_code == 403
    assert _reload(req.id).assignee_id is None


def test_reassign_to_a_non_bpjs_user_is_refused(client, head):
    trade = UserFactory(role="trade_officer")
    req = EnrolmentRequestFactory()
    db.session.commit()
    response = client.post(f"/bpjs/queue/{req.id}/reassign", data={"officer_id": trade.id})
    assert response.status_code == 400
    assert _reload(req.id).assignee_id is None


def test_bulk_enrol_is_not_offered_each_enrolment_needs_its_kpj(client, officer):
    free = EnrolmentRequestFactory()
    db.session.commit()
    client.post("/bpjs/queue/bulk", data={"action": "enrol", "ids": [free.id]})
    assert _reload(free.id).state == "submitted"
    assert db.session.query(Membership).count() == 0


def test_bulk_ignores_ids_that_are_not_plain_numbers(client, officer):
    req = EnrolmentRequestFactory()
    db.session.commit()
    response = client.post(
        "/bpjs/queue/bulk",
        data={"action": "claim", "ids": ["²", "9" * 30, "-1", "1e3", str(req.id)]},
    )
    assert response.status_code == 302
    assert _reload(req.id).state == "in_review"


def test_bulk_return_without_reason_changes_nothing(client, officer):
    reqs = [EnrolmentRequestFactory() for _ in range(2)]
    db.session.commit()
    client.post("/bpjs/queue/bulk", data={"action": "return", "ids": [r.id for r in reqs]})
    assert {_reload(r.id).state for r in reqs} == {"submitted"}


def test_bulk_reject_with_reason_rejects_all(client, officer):
    reqs = [EnrolmentRequestFactory() for _ in range(3)]
    db.session.commit()
    client.post(
        "/bpjs/queue/bulk",
        data={"action": "reject", "ids": [r.id for r in reqs], "reason": "Data ganda"},
    )
    assert {_reload(r.id).state for r in reqs} == {"rejected"}


def test_bulk_claim_claims_the_selection(client, officer):
    reqs = [EnrolmentRequestFactory() for _ in range(2)]
    db.session.commit()
    client.post("/bpjs/queue/bulk", data={"action": "claim", "ids": [r.id for r in reqs]})
    assert {_reload(r.id).assignee_id for r in reqs} == {officer.id}


def test_unknown_request_is_404(client, officer):
    assert client.get("/bpjs/queue/999").status_code == 404
    assert client.post("/bpjs/queue/999/claim").status_code == 404


@pytest.mark.parametrize("role", ["business_owner", "trade_officer", "labour_head", "admin"])
def test_other_roles_cannot_use_the_queue(client, login_as, role):
    req = EnrolmentRequestFactory()
    db.session.commit()
    login_as(role)
    assert client.get("/bpjs/queue").status_code == 403
    assert client.post(f"/bpjs/queue/{req.id}/claim").status_code == 403
    assert _reload(req.id).state == "submitted"


def test_anonymous_is_sent_to_login(client):
    assert client.get("/bpjs/queue").status_code == 302
