"""The bpjs demo seed enrols demo employees, records payments and fills a funded batch, once."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.demo import bpjs as demo
from portal.demo.accounts import seed_demo_users
from portal.demo.records import seed_demo_businesses
from portal.extensions import db
from portal.models import ContributionPayment, FundedBatch, FundedBatchMember, Membership


def _counts():
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Membership, ContributionPayment, FundedBatch, FundedBatchMember)
    )


def test_demo_seed_is_complete_and_idempotent(app):
    seed_demo_users()
    seed_demo_businesses()
    demo.seed()
    db.session.commit()
    first = _counts()
    memberships, payments, batches, members = first
    assert memberships >= 2 + len(demo.DEMO_VULNERABLE)
    assert payments >= 2 and batches == 1 and members == len(demo.DEMO_VULNERABLE)
    batch = db.session.scalar(select(FundedBatch))
    assert (batch.funder_type, batch.monthly_premium) == ("apbd", 16_800)
    demo.seed()
    db.session.commit()
    assert _counts() == first
