"""Factories for the trade office's records: outreach events, referrals, compliance cases,
invitations, and the memberships/payments that clear a case."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import factory

from portal.extensions import db
from portal.models import (
    BusinessInvitation,
    ComplianceCase,
    ContributionPayment,
    EnrolmentRequest,
    Membership,
    OutreachEvent,
    Referral,
)
from portal.models._common import utcnow
from portal.services.businesses.field_registration import token_digest

from .factories import BaseFactory, BusinessFactory, UserFactory, WorkerFactory

_kpj = itertools.count(10_000_000_001)


class TradeOfficerFactory(UserFactory):
    role = "trade_officer"


class BpjsOfficerFactory(UserFactory):
    role = "bpjs_officer"


class PendingBusinessFactory(BusinessFactory):
    verification_state = "pending"


class FieldBusinessFactory(PendingBusinessFactory):
    """Registered in the field by an officer; no owner yet."""

    owner = None
    registered_by = factory.SubFactory(TradeOfficerFactory)


class OutreachEventFactory(BaseFactory):
    class Meta:
        model = OutreachEvent

    held_on = date(2026, 3, 10)
    place = "Aula Kelurahan Roban"
    kelurahan_code = "61.72.01.1001"
    agencies_present = "bpjs,disperindagkop"
    attendance = 25
    created_by_id = factory.LazyFunction(lambda: TradeOfficerFactory().id)


class ReferralFactory(BaseFactory):
    class Meta:
        model = Referral

    business = factory.SubFactory(BusinessFactory)
    referred_by = factory.SubFactory(TradeOfficerFactory)
    reason = "Lima pekerja belum terdaftar"
    contact_person = "Ibu Mei"
    contact_phone = "081200001111"
    state = "open"


class ComplianceCaseFactory(BaseFactory):
    class Meta:
        model = ComplianceCase

    business = factory.SubFactory(BusinessFactory)
    state = "warning_1"
    finding = "Tidak mendaftarkan 6 pekerja"
    sp1_issued_on = date(2026, 2, 2)
    sp1_due = date(2026, 2, 16)
    opened_by_id = factory.LazyFunction(lambda: BpjsOfficerFactory().id)


class InvitationFactory(BaseFactory):
    """Pass `token=...`; only its digest is stored."""

    class Meta:
        model = BusinessInvitation
        exclude = ("token",)

    token = "invitation-token-for-tests"
    business = factory.SubFactory(FieldBusinessFactory)
    token_hash = factory.LazyAttribute(lambda o: token_digest(o.token))
    created_by_id = factory.LazyFunction(lambda: TradeOfficerFactory().id)
    expires_at = factory.LazyFunction(lambda: utcnow() + timedelta(days=14))


class MembershipFactory(BaseFactory):
    class Meta:
        model = Membership

    worker = factory.SubFactory(WorkerFactory)
    kpj = factory.LazyFunction(lambda: str(next(_kpj)))
    category = "PU"
    monthly_amount = 3_000_000
    funding_source = "employer"
    business = factory.SubFactory(BusinessFactory)
    start_date = date(2026, 3, 1)
    state = "active"


class PaymentFactory(BaseFactory):
    class Meta:
        model = ContributionPayment

    membership = factory.SubFactory(MembershipFactory)
    period = "2026-03"
    amount = 200_000
    paid_on = date(2026, 3, 15)
    channel = "bank"


def linked_request(referral, state: str = "submitted"):
    """An enrolment request of the referred business, linked to the referral (not committed)."""
    request = EnrolmentRequest(
        business_id=referral.business_id,
        worker=WorkerFactory(),
        referral_id=referral.id,
        category="PU",
        monthly_amount=3_000_000,
        monthly_contribution=200_000,
        state=state,
    )
    db.session.add(request)
    return request
