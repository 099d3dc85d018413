"""Factories for the dashboard's tests: members, requests, complaints, reprimands, batches,
workforce estimates and targets. Dates are explicit in tests that check numbers."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime

import factory

from portal.models import (
    Complaint,
    ContributionPayment,
    CoverageEstimate,
    EnrolmentRequest,
    FundedBatch,
    FundedBatchMember,
    Membership,
    OfficialCount,
    OutreachEvent,
    Referral,
    Reprimand,
    Target,
)
from tests.factories import BaseFactory, BusinessFactory, UserFactory, WorkerFactory, agency

_kpj = itertools.count(1)
_tracking = itertools.count(1)
_letter = itertools.count(1)


def wib_noon(day: date) -> datetime:
    """Midday WIB on `day`, as the UTC datetime the columns store."""
    return datetime(day.year, day.month, day.day, 5, 0, tzinfo=UTC)


class MemberFactory(BaseFactory):
    """An active membership in Singkawang Tengah (kelurahan 61.72.01.1001) by default."""

    class Meta:
        model = Membership

    worker = factory.SubFactory(WorkerFactory)
    kpj = factory.LazyFunction(lambda: f"77{next(_kpj):09d}")
    category = "PU"
    monthly_amount = 3_000_000
    funding_source = "employer"
    kelurahan_code = "61.72.01.1001"
    start_date = date(2025, 1, 1)
    state = "active"


class RequestFactory(BaseFactory):
    class Meta:
        model = EnrolmentRequest

    worker = factory.SubFactory(WorkerFactory)
    category = "BPU"
    monthly_amount = 1_000_000
    monthly_contribution = 16_800
    state = "submitted"
    submitted_at = factory.LazyFunction(lambda: wib_noon(date(2026, 3, 2)))


class ComplaintFactory(BaseFactory):
    class Meta:
        model = Complaint

    tracking_code = factory.LazyFunction(lambda: f"DSH-{next(_tracking):06d}")
    reporter_name = "Pelapor"
    category_code = "contribution"
    agency_id = factory.LazyFunction(lambda: agency("bpjs").id)
    subject = "Iuran"
    description = "Keluhan"
    state = "submitted"
    submitted_at = factory.LazyFunction(lambda: wib_noon(date(2026, 3, 2)))
    sla_due = date(2026, 3, 9)


class ReprimandFactory(BaseFactory):
    class Meta:
        model = Reprimand

    letter_number = factory.LazyFunction(lambda: f"800/D{next(_letter):04d}/DPMTK-TEG/2026")
    issuing_agency_id = factory.LazyFunction(lambda: agency("disnaker").id)
    addressed_agency_id = factory.LazyFunction(lambda: agency("bpjs").id)
    subject = "Keterlambatan"
    finding = "Terlambat"
    required_action = "Percepat"
    deadline = date(2026, 3, 20)
    state = "issued"
    created_by_id = factory.LazyFunction(lambda: UserFactory(role="labour_head").id)
    issued_at = factory.LazyFunction(lambda: wib_noon(date(2026, 3, 5)))


class BatchFactory(BaseFactory):
    class Meta:
        model = FundedBatch

    name = factory.Sequence(lambda n: f"Batch {n}")
    funder_type = "apbd"
    funder_name = "Pemerintah Kota Singkawang"
    category = "rentan"
    period_start = date(2026, 1, 1)
    period_end = date(2026, 5, 31)
    quota = 100
    monthly_premium = 16_800
    budget = 100 * 16_800 * 5


class BatchMemberFactory(BaseFactory):
    class Meta:
        model = FundedBatchMember

    batch = factory.SubFactory(BatchFactory)
    membership = factory.SubFactory(MemberFactory, category="rentan", funding_source="apbd")
    start_date = date(2026, 1, 1)
    end_date = date(2026, 5, 31)


class PaymentFactory(BaseFactory):
    class Meta:
        model = ContributionPayment

    membership = factory.SubFactory(MemberFactory)
    period = "2026-01"
    amount = 16_800
    paid_on = date(2026, 1, 10)
    channel = "bank"


class EstimateFactory(BaseFactory):
    class Meta:
        model = CoverageEstimate

    kecamatan_code = "61.72.01"
    period = "2025-01"
    estimated_workforce = 10


class TargetFactory(BaseFactory):
    class Meta:
        model = Target

    kecamatan_code = None
    period = "2025-01"
    target_pct = 40


class OutreachFactory(BaseFactory):
    class Meta:
        model = OutreachEvent

    held_on = date(2026, 3, 4)
    place = "Aula"
    kelurahan_code = "61.72.01.1001"
    agencies_present = "disperindagkop"
    attendance = 20
    created_by_id = factory.LazyFunction(lambda: UserFactory(role="trade_officer").id)


class ReferralFactory(BaseFactory):
    class Meta:
        model = Referral

    business = factory.SubFactory(BusinessFactory)
    referred_by_id = factory.LazyFunction(lambda: UserFactory(role="trade_officer").id)
    reason = "Belum terdaftar"
    contact_person = "Pemilik"
    state = "open"
    created_at = factory.LazyFunction(lambda: wib_noon(date(2026, 3, 3)))


class OfficialCountFactory(BaseFactory):
    """BPJS's official active participants for a month, kecamatan and category."""

    class Meta:
        model = OfficialCount

    period = "2026-03"
    kecamatan_code = "61.72.01"
    category = "PU"
    active_participants = 10
    source_document = "Laporan kepesertaan BPJS"
