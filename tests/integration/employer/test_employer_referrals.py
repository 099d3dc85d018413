"""A trade-office referral links to the enrolments the business then submits itself."""

from __future__ import annotations

import re

from sqlalchemy import select

from portal.extensions import db
from portal.models import EnrolmentRequest, Membership
from tests.factories import EmploymentFactory, UserFactory, WorkerFactory
from tests.factories_trade import ReferralFactory


def submit_all(client, business):
    return client.post(f"/employer/businesses/{business.id}/enrolments", data={"submit_all": "1"})


def employee(business, name: str):
    return EmploymentFactory(
        business=business, worker=WorkerFactory(full_name=name), full_name=name
    )


def workers_enrolled(html: str) -> str:
    found = re.search(r"Pekerja terdaftar</dt><dd[^>]*>(\d+)</dd>", html)
    assert found, "workers enrolled not shown"
    return found.group(1)


def test_owner_submit_links_the_referral_and_the_referral_shows_the_enrolments(
    client, owner, business, switch_to
):
    referral = ReferralFactory(business=business)  # open, from the trade office
    employee(business, "Pekerja Rujukan Satu")
    employee(business, "Pekerja Rujukan Dua")
    trade_officer = UserFactory(role="trade_officer")
    bpjs_officer = UserFactory(role="bpjs_officer")
    db.session.commit()
    referral_id = referral.id

    # The owner submits through the business page's form, as on the site.
    assert submit_all(client, business).status_code == 302
    requests = db.session.scalars(select(EnrolmentRequest).order_by(EnrolmentRequest.id)).all()
    assert len(requests) == 2
    assert {r.referral_id for r in requests} == {referral_id}

    # The trade office sees both requests under its referral.
    switch_to(trade_officer)
    page = client.get(f"/disperindagkop/referrals/{referral_id}").get_data(as_text=True)
    assert "(2)" in page
    assert "Pekerja Rujukan Satu" in page and "Pekerja Rujukan Dua" in page
    assert page.count("Diajukan") >= 2 and workers_enrolled(page) == "0"

    # BPJS enrols one and records the outcome; both offices see it on the referral.
    switch_to(bpjs_officer)
    response = client.post(f"/bpjs/queue/{requests[0].id}/enrol", data={"kpj": "26000000777"})
    assert response.status_code == 302
    assert db.session.scalar(select(Membership.kpj)) == "26000000777"
    db.session.refresh(referral)
    response = client.post(
        f"/bpjs/referrals/{referral_id}/outcome",
        data={"version": referral.version, "outcome": "registered", "workers_enrolled": "1"},
    )
    assert response.status_code == 302
    bpjs_page = client.get(f"/bpjs/referrals/{referral_id}").get_data(as_text=True)
    switch_to(trade_officer)
    trade_page = client.get(f"/disperindagkop/referrals/{referral_id}").get_data(as_text=True)
    for html in (bpjs_page, trade_page):
        assert "(2)" in html
        assert workers_enrolled(html) == "1"
        assert "Terdaftar" in html and "Diajukan" in html  # one enrolled, one still waiting


def test_a_closed_referral_does_not_collect_later_submissions(client, owner, business):
    ReferralFactory(business=business, state="declined")
    employee(business, "Pekerja Tanpa Rujukan")
    db.session.commit()
    assert submit_all(client, business).status_code == 302
    request = db.session.scalar(select(EnrolmentRequest))
    assert request is not None and request.referral_id is None
