"""The area's demo records, and the rate limit on the public invitation page."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.demo import trade as demo
from portal.demo.records import seed_demo_businesses
from portal.extensions import db
from portal.models import Business, ComplianceCase, OutreachEvent, Referral
from tests.factories import UserFactory


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_demo_seed_adds_one_of_each_and_is_idempotent(app):
    for role in ("business_owner", "trade_officer", "trade_head", "bpjs_officer"):
        UserFactory(role=role)
    seed_demo_businesses()
    demo.seed()
    demo.seed()
    db.session.commit()
    field = db.session.scalar(select(Business).where(Business.nib == demo.FIELD_NIB))
    assert field.verification_state == "pending"
    assert field.owner_id is None
    assert _count(OutreachEvent) == 1
    assert db.session.scalar(select(Referral.state)) == "open"
    assert db.session.scalar(select(ComplianceCase.state)) == "warning_1"
    assert (_count(Referral), _count(ComplianceCase)) == (1, 1)


def test_demo_seed_without_staff_does_nothing(app):
    demo.seed()
    assert _count(Business) == 0


def test_the_invitation_page_is_rate_limited(client):
    statuses = {
        client.post("/disperindagkop/invitation/guess", data={}).status_code for _ in range(31)
    }
    assert 429 in statuses
