"""Pages run a fixed number of SQL queries whatever the number of rows they show."""

from __future__ import annotations

from portal.extensions import db
from tests.factories import BusinessFactory
from tests.factories_trade import (
    ComplianceCaseFactory,
    OutreachEventFactory,
    ReferralFactory,
    linked_request,
)


def _measure(client, count_queries, url: str) -> int:
    with count_queries() as q:
        assert client.get(url).status_code == 200
    return q.count


def _add_requests(referral, n: int) -> None:
    for _ in range(n):
        linked_request(referral)
    db.session.commit()


def test_referral_page_with_one_or_many_linked_requests(client, bpjs_officer, count_queries):
    referral = ReferralFactory()
    _add_requests(referral, 1)
    url = f"/bpjs/referrals/{referral.id}"
    small = _measure(client, count_queries, url)
    _add_requests(referral, 12)
    assert _measure(client, count_queries, url) == small


def test_owner_compliance_page_with_one_or_many_cases(client, login_as, count_queries):
    owner = login_as("business_owner")
    ComplianceCaseFactory(business=BusinessFactory(owner=owner))
    db.session.commit()
    small = _measure(client, count_queries, "/employer/compliance")
    for _ in range(6):
        ComplianceCaseFactory(business=BusinessFactory(owner=owner), state="cleared")
        BusinessFactory(owner=owner, verification_state="rejected", rejection_reason="x")
    db.session.commit()
    assert _measure(client, count_queries, "/employer/compliance") == small


def test_outreach_event_page_with_few_or_many_businesses(client, officer, count_queries):
    event = OutreachEventFactory(businesses=[BusinessFactory()])
    db.session.commit()
    url = f"/disperindagkop/outreach/{event.id}"
    small = _measure(client, count_queries, url)
    event.businesses.extend(BusinessFactory.create_batch(10, sector_code="crafts"))
    db.session.commit()
    assert _measure(client, count_queries, url) == small


def test_index_and_funnel_pages_with_little_or_much_data(client, officer, count_queries):
    urls = ["/disperindagkop/", "/disperindagkop/funnel?start=2026-01-01&end=2026-12-31"]
    small = [_measure(client, count_queries, u) for u in urls]
    for _ in range(5):
        OutreachEventFactory(businesses=BusinessFactory.create_batch(3))
        ReferralFactory()
        ComplianceCaseFactory()
    db.session.commit()
    assert [_measure(client, count_queries, u) for u in urls] == small
