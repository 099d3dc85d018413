"""What the BPJS pages list and show about memberships: the register, one membership and its
dues, and employers' arrears. Read-only; a fixed number of queries per page.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...domain.clock import today_wib
from ...exports import ExportTable
from ...extensions import db
from ...models import Business, FundingSource, Membership, MembershipState, Worker
from ..access import one_or_404
from ..errors import NotFound
from ..pages import page_of
from .dues import Arrears, DueMonth, arrears_of, payments_by_membership, schedule

MEMBERSHIP_STATES = frozenset(s.value for s in MembershipState)
FUNDING_SOURCES = frozenset(f.value for f in FundingSource)


def membership_page(
    q: str = "", state: str = "", funding: str = "", page: object = 1
) -> Pagination:
    """The membership register, newest first: `q` is a KPJ (digits, exact) or the start of
    the worker's name; an unknown `state` or `funding` filters nothing."""
    stmt = select(Membership).options(
        joinedload(Membership.worker),
        joinedload(Membership.business),
        joinedload(Membership.funded_batch),
    )
    if q.isdigit():
        stmt = stmt.where(Membership.kpj == q)
    elif q:
        stmt = stmt.where(
            Membership.worker_id.in_(
                select(Worker.id).where(Worker.full_name.ilike(q.replace("%", "") + "%"))
            )
        )
    if state in MEMBERSHIP_STATES:
        stmt = stmt.where(Membership.state == state)
    if funding in FUNDING_SOURCES:
        stmt = stmt.where(Membership.funding_source == funding)
    return page_of(stmt.order_by(Membership.id.desc()), page)


#: What a membership's page shows beside it, loaded in the same query.
WITH_PARTIES = (
    joinedload(Membership.worker),
    joinedload(Membership.business),
    joinedload(Membership.funded_batch),
    joinedload(Membership.employment),
)


def load_membership(membership_id: int) -> Membership:
    """One membership with its worker, business, batch and employment; NotFound if none."""
    return one_or_404(
        select(Membership).where(Membership.id == membership_id).options(*WITH_PARTIES)
    )


def membership_for_request(request_id: int) -> Membership | None:
    """The membership an enrolment request created, if it did."""
    return db.session.scalar(
        select(Membership).where(Membership.enrolment_request_id == request_id)
    )


def membership_dues(membership: Membership) -> tuple[list[DueMonth], Arrears]:
    """Every month's dues and payment (newest first) and what is in arrears."""
    rows = schedule(membership, payments_by_membership([membership.id])[membership.id])
    return rows, arrears_of(rows)


# --- Employers' arrears --------------------------------------------------------------------


def _employer_paid():
    return Membership.funding_source == FundingSource.EMPLOYER.value


def arrears_page(page: object = 1) -> Pagination:
    """Businesses with employer-paid memberships, by name (their totals: `business_arrears`)."""
    stmt = (
        select(Business)
        .where(Business.id.in_(select(Membership.business_id).where(_employer_paid())))
        .order_by(Business.name)
    )
    return page_of(stmt, page)


def business_arrears(business_ids: list[int], today: date | None = None) -> dict[int, Arrears]:
    """Arrears per business over its employer-paid memberships: two queries in all."""
    out = {bid: Arrears() for bid in business_ids}
    if not business_ids:
        return out
    memberships = list(
        db.session.scalars(
            select(Membership).where(Membership.business_id.in_(business_ids), _employer_paid())
        )
    )
    paid = payments_by_membership(m.id for m in memberships)
    today = today or today_wib()
    for membership in memberships:
        result = arrears_of(schedule(membership, paid[membership.id], today))
        total = out[membership.business_id]
        total.months += result.months
        total.amount += result.amount
        total.fine += result.fine
    return out


def load_business(business_id: int) -> Business:
    """The business whose arrears BPJS looks at; NotFound if none."""
    business = db.session.get(Business, business_id)
    if business is None:
        raise NotFound()
    return business


def arrears_lines(business: Business) -> list[tuple[Membership, list[DueMonth]]]:
    """The months in arrears of the business's employer-paid memberships (as the totals)."""
    memberships = list(
        db.session.scalars(
            select(Membership)
            .where(Membership.business_id == business.id, _employer_paid())
            .options(joinedload(Membership.worker))
            .order_by(Membership.id)
        )
    )
    paid = payments_by_membership(m.id for m in memberships)
    lines = []
    for membership in memberships:
        rows = [r for r in schedule(membership, paid[membership.id]) if r.in_arrears]
        if rows:
            lines.append((membership, rows))
    return lines


def arrears_table(business: Business) -> ExportTable:
    """Unpaid months of one business, one row per month, for CSV or XLSX."""
    return ExportTable(
        headers=[
            "KPJ",
            _("Worker"),
            _("Period"),
            _("Amount"),
            _("Due date"),
            _("Months late"),
            _("Late fine"),
        ],
        rows=[
            [m.kpj, m.worker.full_name, r.period, r.amount, r.due, r.months_late, r.fine]
            for m, rows in arrears_lines(business)
            for r in rows
        ],
        sheet_title=_("Arrears"),
    )
