"""Factories for the BPJS area: enrolment requests, memberships, batches, payments."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import factory

from portal.models import (
    ContributionPayment,
    EnrolmentRequest,
    FundedBatch,
    Membership,
)

from .factories import BaseFactory, EmploymentFactory

_kpj_serial = itertools.count(1)


class EnrolmentRequestFactory(BaseFactory):
    """A submitted request for a PU employment (as the employer area creates them)."""

    class Meta:
        model = EnrolmentRequest

    employment = factory.SubFactory(EmploymentFactory)
    business = factory.LazyAttribute(lambda o: o.employment.business)
    worker = factory.LazyAttribute(lambda o: o.employment.worker)
    category = "PU"
    with_jht = True
    with_jp = True
    monthly_amount = 3_000_000
    monthly_contribution = 277_200
    employer_share = 187_200
    worker_share = 90_000
    state = "submitted"
    submitted_at = factory.LazyFunction(lambda: datetime.now(UTC) - timedelta(days=1))
    sla_due = factory.LazyFunction(lambda: date.today() + timedelta(days=5))


def next_kpj() -> str:
    return f"{90_000_000_000 + next(_kpj_serial):011d}"


class MembershipFactory(BaseFactory):
    """An employer-paid PU membership."""

    class Meta:
        model = Membership

    employment = factory.SubFactory(EmploymentFactory)
    worker = factory.LazyAttribute(lambda o: o.employment.worker)
    business = factory.LazyAttribute(lambda o: o.employment.business)
    kpj = factory.LazyFunction(next_kpj)
    category = "PU"
    with_jht = True
    with_jp = True
    monthly_amount = 3_000_000
    risk_class = "sangat_rendah"
    funding_source = "employer"
    start_date = date(2026, 1, 1)
    state = "active"


class FundedBatchFactory(BaseFactory):
    class Meta:
        model = FundedBatch

    name = "Program Perlindungan Pekerja Rentan dan Pekerja Sawit"
    funder_type = "apbd"
    funder_name = "Pemerintah Kota Singkawang"
    category = "rentan"
    period_start = date(2025, 12, 1)
    period_end = date(2026, 12, 31)
    quota = 10
    monthly_premium = 16_800
    budget = factory.LazyAttribute(lambda o: o.quota * o.monthly_premium * 13)


class PaymentFactory(BaseFactory):
    class Meta:
        model = ContributionPayment

    membership = factory.SubFactory(MembershipFactory)
    period = "2026-01"
    amount = 277_200
    paid_on = date(2026, 2, 10)
    channel = "bank"
