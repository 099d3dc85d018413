"""Referrals: the trade office refers, BPJS sees them in its inbox and records the outcome."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import EnrolmentRequest, Referral
from portal.services.outreach.referrals import active_referral_id
from tests.factories import BusinessFactory, WorkerFactory
from tests.factories_trade import ReferralFactory


def _text(response) -> str:
    return response.get_data(as_text=True)


REFER = {
    "confirmed": "yes",
    "reason": "Tujuh pekerja belum terdaftar",
    "contact_person": "Pak Acong",
    "contact_phone": "",
}


def test_officer_refers_a_business(client, officer, audit_actions):
    business = BusinessFactory()
    db.session.commit()
    response = client.post(f"/disperindagkop/businesses/{business.id}/refer", data=REFER)
    assert response.status_code == 302
    referral = db.session.scalar(select(Referral))
    assert referral.state == "open"
    assert referral.referred_by_id == officer.id
    assert active_referral_id(business.id) == referral.id
    assert "referral.created" in audit_actions()


def test_a_second_referral_in_progress_is_refused(client, officer):
    business = BusinessFactory()
    ReferralFactory(business=business, state="contacted")
    db.session.commit()
    response = client.post(f"/disperindagkop/businesses/{business.id}/refer", data=REFER)
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Referral.id))) == 1


def test_a_business_can_be_referred_again_after_a_closed_referral(client, officer):
    business = BusinessFactory()
    ReferralFactory(business=business, state="declined")
    db.session.commit()
    assert (
        client.post(f"/disperindagkop/businesses/{business.id}/refer", data=REFER).status_code
        == 302
    )


def test_referring_without_a_reason_is_refused(client, officer):
    business = BusinessFactory()
    db.session.commit()
    response = client.post(
        f"/disperindagkop/businesses/{business.id}/refer", data={**REFER, "reason": ""}
    )
    assert response.status_code == 400


def test_bpjs_sees_open_referrals_in_its_inbox(client, bpjs_officer):
    ReferralFactory(business=BusinessFactory(name="Usaha Dirujuk"))
    ReferralFactory(business=BusinessFactory(name="Usaha Ditolak"), state="declined")
    db.session.commit()
    inbox = _text(client.get("/bpjs/referrals"))
    assert "Usaha Dirujuk" in inbox
    assert "Usaha Ditolak" not in inbox
    assert "Usaha Ditolak" in _text(client.get("/bpjs/referrals?state=declined"))


def _outcome(client, referral, **data):
    db.session.refresh(referral)
    return client.post(
        f"/bpjs/referrals/{referral.id}/outcome", data={"version": referral.version, **data}
    )


def test_bpjs_records_contacted_then_registered_with_workers(client, bpjs_officer, audit_actions):
    referral = ReferralFactory()
    db.session.commit()
    assert _outcome(client, referral, outcome="contacted", note="Ditelepon").status_code == 302
    assert _outcome(client, referral, outcome="registered", workers_enrolled="6").status_code == 302
    db.session.refresh(referral)
    assert referral.state == "registered"
    assert referral.workers_enrolled == 6
    assert referral.outcome_by_id == bpjs_officer.id
    assert audit_actions().count("referral.outcome") == 2


def test_declined_needs_a_reason(client, bpjs_officer):
    referral = ReferralFactory()
    db.session.commit()
    response = _outcome(client, referral, outcome="declined", note="")
    assert response.status_code == 400
    db.session.refresh(referral)
    assert referral.state == "open"
    assert _outcome(client, referral, outcome="declined", note="Tutup usaha").status_code == 302


def test_registered_needs_the_number_of_workers(client, bpjs_officer):
    referral = ReferralFactory()
    db.session.commit()
    assert _outcome(client, referral, outcome="registered").status_code == 400


def test_a_closed_referral_cannot_move_again(client, bpjs_officer):
    referral = ReferralFactory(state="registered", workers_enrolled=3)
    db.session.commit()
    response = _outcome(client, referral, outcome="contacted")
    assert response.status_code == 400
    db.session.refresh(referral)
    assert referral.state == "registered"


def test_a_stale_form_is_refused(client, bpjs_officer):
    referral = ReferralFactory()
    db.session.commit()
    response = client.post(
        f"/bpjs/referrals/{referral.id}/outcome",
        data={"version": referral.version + 5, "outcome": "contacted"},
    )
    assert response.status_code == 400
    db.session.refresh(referral)
    assert referral.state == "open"


def test_referral_page_lists_the_enrolment_requests_submitted_under_it(client, bpjs_officer):
    referral = ReferralFactory()
    for _ in range(2):
        db.session.add(
            EnrolmentRequest(
                business_id=referral.business_id,
                worker=WorkerFactory(full_name="Pekerja Rujukan"),
                referral_id=referral.id,
                category="PU",
                monthly_amount=3_000_000,
                monthly_contribution=200_000,
                state="submitted",
            )
        )
    db.session.commit()
    page = _text(client.get(f"/bpjs/referrals/{referral.id}"))
    assert page.count("Pekerja Rujukan") == 2
    assert "(2)" in page


@pytest.mark.parametrize("role", ["business_owner", "labour_officer"])
def test_only_bpjs_records_outcomes(client, login_as, role):
    login_as(role)
    referral = ReferralFactory()
    db.session.commit()
    assert client.get("/bpjs/referrals").status_code == 403
    assert _outcome(client, referral, outcome="contacted").status_code == 403


def test_trade_office_cannot_record_the_outcome(client, officer):
    referral = ReferralFactory()
    db.session.commit()
    assert _outcome(client, referral, outcome="contacted").status_code == 403
    assert client.get(f"/disperindagkop/referrals/{referral.id}").status_code == 200


def test_referral_lists_run_a_fixed_number_of_queries(client, bpjs_officer, count_queries):
    def measure() -> int:
        with count_queries() as q:
            assert client.get("/bpjs/referrals").status_code == 200
        return q.count

    ReferralFactory()
    db.session.commit()
    small = measure()
    ReferralFactory.create_batch(12)
    db.session.commit()
    assert measure() == small
