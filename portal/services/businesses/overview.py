"""What the trade office's pages count and link: the figures on its landing page, what is
still open for one business, and the number of businesses waiting for verification."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ...extensions import db
from ...models import (
    CLOSED_COMPLIANCE_STATES,
    Business,
    ComplianceCase,
    ComplianceState,
    Referral,
    VerificationState,
)
from ..compliance.queries import awaiting_withholding
from ..outreach.referrals import ACTIVE_STATES


@dataclass(frozen=True)
class TradeOfficeCounts:
    pending: int  # businesses waiting for verification
    referrals: int  # referrals in progress (open or contacted)
    withholding_requested: int  # fined cases where BPJS asked the city to withhold services
    withheld: int  # cases with services withheld


def trade_office_counts() -> TradeOfficeCounts:
    """What is waiting for the trade office (one SQL query)."""
    row = db.session.execute(
        select(
            select(func.count(Business.id))
            .where(Business.verification_state == VerificationState.PENDING)
            .scalar_subquery()
            .label("pending"),
            select(func.count(Referral.id))
            .where(Referral.state.in_(ACTIVE_STATES))
            .scalar_subquery()
            .label("referrals"),
            select(func.count(ComplianceCase.id))
            .where(awaiting_withholding())
            .scalar_subquery()
            .label("withholding_requested"),
            select(func.count(ComplianceCase.id))
            .where(ComplianceCase.state == ComplianceState.SERVICES_WITHHELD)
            .scalar_subquery()
            .label("withheld"),
        )
    ).one()
    return TradeOfficeCounts(**row._mapping)


def pending_count() -> int:
    """Businesses waiting for verification (the admin's home page shows it)."""
    return db.session.scalar(
        select(func.count(Business.id)).where(
            Business.verification_state == VerificationState.PENDING
        )
    )


@dataclass(frozen=True)
class OpenMatters:
    referral_id: int | None  # the referral in progress, if any
    case_id: int | None  # the compliance case not cleared yet, if any


def open_matters(business_id: int) -> OpenMatters:
    """The referral in progress and the open compliance case of a business (one SQL query)."""
    row = db.session.execute(
        select(
            select(Referral.id)
            .where(Referral.business_id == business_id, Referral.state.in_(ACTIVE_STATES))
            .scalar_subquery()
            .label("referral_id"),
            select(ComplianceCase.id)
            .where(
                ComplianceCase.business_id == business_id,
                ComplianceCase.state.not_in(CLOSED_COMPLIANCE_STATES),
            )
            .scalar_subquery()
            .label("case_id"),
        )
    ).one()
    return OpenMatters(**row._mapping)
