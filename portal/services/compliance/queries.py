"""What the compliance pages list and open (trade office, BPJS and the owner alike)."""

from __future__ import annotations

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import joinedload

from ...extensions import db
from ...models import CLOSED_COMPLIANCE_STATES, Business, ComplianceCase, ComplianceState
from ..errors import NotFound
from ..pages import page_of


def awaiting_withholding() -> ColumnElement[bool]:
    """SQL for `ComplianceCase.awaits_withholding`: fined, and BPJS asked to withhold."""
    return (ComplianceCase.state == ComplianceState.FINED) & (
        ComplianceCase.withholding_requested_on.is_not(None)
    )


def case_page(view: str, page: object = 1) -> Pagination:
    """Compliance cases, newest first. `view`: "action" (withholding requested or in force),
    "open" or "all"."""
    stmt = select(ComplianceCase).options(
        joinedload(ComplianceCase.business).joinedload(Business.kelurahan)
    )
    if view == "action":
        stmt = stmt.where(
            or_(ComplianceCase.state == ComplianceState.SERVICES_WITHHELD, awaiting_withholding())
        )
    elif view == "open":
        stmt = stmt.where(ComplianceCase.state.not_in(CLOSED_COMPLIANCE_STATES))
    return page_of(stmt.order_by(ComplianceCase.created_at.desc(), ComplianceCase.id.desc()), page)


def load_case(case_id: int, business_owner_id: int | None = None) -> ComplianceCase:
    """The case with its business; NotFound when absent or (for an owner) not theirs."""
    stmt = (
        select(ComplianceCase)
        .options(joinedload(ComplianceCase.business).joinedload(Business.kelurahan))
        .where(ComplianceCase.id == case_id)
    )
    if business_owner_id is not None:
        stmt = stmt.join(Business, Business.id == ComplianceCase.business_id).where(
            Business.owner_id == business_owner_id
        )
    case = db.session.scalar(stmt)
    if case is None:
        raise NotFound()
    return case
