"""What an owner sees of their own businesses: the list, what needs their action, the ones
the trade office rejected and the compliance cases against them. Every query is scoped to
the owner."""

from __future__ import annotations

from dataclasses import dataclass

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from ...extensions import db
from ...models import Business, ComplianceCase, EnrolmentRequest, EnrolmentState, VerificationState
from ..enrolment.submission import owner_requests, returned_requests
from ..pages import page_of

#: Not (yet) verified: enrolment cannot be submitted for these.
UNVERIFIED_STATES = (VerificationState.PENDING.value, VerificationState.REJECTED.value)


def owner_business_page(owner_id: int, page: object = 1) -> Pagination:
    """The owner's businesses by name, with sector and kelurahan."""
    return page_of(
        select(Business)
        .where(Business.owner_id == owner_id)
        .options(selectinload(Business.sector), selectinload(Business.kelurahan))
        .order_by(Business.name, Business.id),
        page,
    )


@dataclass
class OwnerTodo:
    """What needs the owner's action: requests BPJS returned (the latest few and how many in
    all) and businesses not verified."""

    returned: list[EnrolmentRequest]
    returned_count: int
    unverified_count: int

    def __bool__(self) -> bool:
        return bool(self.returned_count or self.unverified_count)


def owner_todo(owner_id: int, shown: int = 10) -> OwnerTodo:
    """The home page's to-dos: two queries, however many businesses and requests."""
    returned_count, unverified_count = db.session.execute(
        select(
            select(func.count())
            .select_from(
                owner_requests(owner_id)
                .where(EnrolmentRequest.state == EnrolmentState.RETURNED)
                .subquery()
            )
            .scalar_subquery(),
            select(func.count(Business.id))
            .where(
                Business.owner_id == owner_id,
                Business.verification_state.in_(UNVERIFIED_STATES),
            )
            .scalar_subquery(),
        )
    ).one()
    return OwnerTodo(
        returned=returned_requests(owner_id, shown),
        returned_count=returned_count,
        unverified_count=unverified_count,
    )


def rejected_businesses(owner_id: int) -> list[Business]:
    """The owner's businesses the trade office rejected (to correct and resubmit), by name."""
    return list(
        db.session.scalars(
            select(Business)
            .where(
                Business.owner_id == owner_id,
                Business.verification_state == VerificationState.REJECTED,
            )
            .order_by(Business.name)
        )
    )


def owner_case_page(owner_id: int, page: object = 1) -> Pagination:
    """Compliance cases against the owner's businesses, newest first."""
    return page_of(
        select(ComplianceCase)
        .options(joinedload(ComplianceCase.business))
        .join(Business, Business.id == ComplianceCase.business_id)
        .where(Business.owner_id == owner_id)
        .order_by(ComplianceCase.created_at.desc(), ComplianceCase.id.desc()),
        page,
    )
