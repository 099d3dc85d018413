"""What an owner's businesses owe BPJS: this month's figures and the arrears, read in SQL.

Dues always come from the memberships' own figures through `bpjs_dues`
(`monthly_due`, `schedule`), the same figures BPJS's pages use; editing an employee carries
the new figures into the running membership (`employer_employees.update_employee`). Reads
only; every function runs a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Integer, and_, case, cast, exists, func, literal, or_, select
from sqlalchemy.orm import joinedload

from ...extensions import db
from ...models import (
    DECIDED_STATES,
    Business,
    ContributionPayment,
    Employment,
    EnrolmentRequest,
    FundingSource,
    Membership,
    MembershipState,
)
from ...pdf import PortalPDF
from ..access import one_or_404
from ..audit.trail import record_event
from ..coverage.periods import Month, sql_month_index
from ..pages import page_of
from .cards import member_card
from .common import add_months, month_start
from .dues import (
    FUNDED,
    Arrears,
    DueMonth,
    arrears_of,
    due_date_for,
    monthly_due,
    payments_by_membership,
    schedule,
)
from .queries import WITH_PARTIES


@dataclass
class BusinessFigures:
    employees: int = 0  # still employed today
    enrolled: int = 0  # of those, with a running BPJS membership through this job
    due: int = 0  # this month's dues of the business's running, non-funded memberships

    @property
    def not_enrolled(self) -> int:
        return self.employees - self.enrolled

    def add(self, other: BusinessFigures) -> None:
        self.employees += other.employees
        self.enrolled += other.enrolled
        self.due += other.due


@dataclass(frozen=True)
class _Terms:
    """The membership columns `monthly_due` reads: memberships sharing them owe the same."""

    category: str
    monthly_amount: int
    risk_class: str | None
    with_jht: bool
    with_jp: bool
    funding_source: str
    past_terms: None = None  # this month's dues: the current figures always apply


def owner_figures(owner_id: int, today: date) -> dict[int, BusinessFigures]:
    """Employees, enrolled and this month's dues for every business of the owner.

    Two queries for all the owner's businesses, however many: one counts employments, one
    groups running memberships by their figures (dues are computed once per group).
    Businesses without employees are absent; use `figures.get(id, BusinessFigures())`.
    """
    figures: dict[int, BusinessFigures] = defaultdict(BusinessFigures)
    running = exists().where(
        Membership.employment_id == Employment.id,
        Membership.state != MembershipState.ENDED.value,
    )
    rows = db.session.execute(
        select(
            Employment.business_id,
            func.count(Employment.id),
            func.count(case((running, 1))),
        )
        .join(Business, Business.id == Employment.business_id)
        .where(Business.owner_id == owner_id, Employment.working_after(today))
        .group_by(Employment.business_id)
    )
    for business_id, employees, enrolled in rows:
        figures[business_id].employees = employees
        figures[business_id].enrolled = enrolled
    month = month_start(today)
    terms = (
        Membership.category,
        Membership.monthly_amount,
        Membership.risk_class,
        Membership.with_jht,
        Membership.with_jp,
        Membership.funding_source,
    )
    groups = db.session.execute(
        select(Membership.business_id, *terms, func.count(Membership.id))
        .join(Business, Business.id == Membership.business_id)
        .where(
            Business.owner_id == owner_id,
            Membership.state != MembershipState.ENDED.value,
            Membership.funding_source.not_in(FUNDED),
            or_(Membership.end_date.is_(None), Membership.end_date >= month),
        )
        .group_by(Membership.business_id, *terms)
    )
    for business_id, *values, members in groups:
        figures[business_id].due += monthly_due(_Terms(*values), month) * members
    return figures


def totals_of(figures: dict[int, BusinessFigures]) -> BusinessFigures:
    total = BusinessFigures()
    for one in figures.values():
        total.add(one)
    return total


# --- Arrears ---------------------------------------------------------------------------------


def _period_index(column):
    """'YYYY-MM' → the same month index as `sql_month_index` (SQLite and PostgreSQL)."""
    return (
        cast(func.substr(column, 1, 4), Integer) * 12 + cast(func.substr(column, 6, 2), Integer) - 1
    )


def last_overdue_month(today: date) -> date:
    """The latest month whose employer due date (15th of the next month, moved off days
    off by `bpjs_dues.due_date`) has passed by `today`."""
    month = add_months(today, -1)
    while due_date_for(True, month) >= today:
        month = add_months(month, -1)
    return month


def in_arrears_clause(today: date):
    """SQL condition: an employer-paid membership with a month past its due date and unpaid.

    From the start month to the last overdue month (or the end month, if earlier) every month
    needs its one payment row (unique per membership and period); fewer rows in that range
    means a month in arrears, exactly as `schedule` finds it.
    """
    last = Month.of(last_overdue_month(today)).index
    end = sql_month_index(Membership.end_date)
    upto = case((and_(Membership.end_date.is_not(None), end < last), end), else_=literal(last))
    start = sql_month_index(Membership.start_date)
    paid = (
        select(func.count(ContributionPayment.id))
        .where(
            ContributionPayment.membership_id == Membership.id,
            _period_index(ContributionPayment.period) >= start,
            _period_index(ContributionPayment.period) <= upto,
        )
        .scalar_subquery()
    )
    return and_(
        Membership.funding_source == FundingSource.EMPLOYER.value,
        upto - start + 1 > paid,
    )


def owner_arrears_statement(owner_id: int, today: date, business_id: int | None = None):
    """The owner's memberships in arrears, by business then KPJ (add the options you need)."""
    stmt = (
        select(Membership)
        .join(Business, Business.id == Membership.business_id)
        .where(Business.owner_id == owner_id, in_arrears_clause(today))
        .order_by(Business.name, Business.id, Membership.kpj)
    )
    if business_id is not None:
        stmt = stmt.where(Business.id == business_id)
    return stmt


@dataclass
class OwnerArrears:
    """Unpaid months per membership id, arrears per business (with its name) and in all."""

    lines: dict[int, list[DueMonth]]
    per_business: list[tuple[int, str, Arrears]]
    total: Arrears


def owner_arrears(owner_id: int, today: date, business_id: int | None = None) -> OwnerArrears:
    """Every unpaid month of the owner's memberships in arrears: two queries in all.

    Only memberships in arrears are read (`in_arrears_clause`); a paginated page takes its
    lines from here by membership id.
    """
    memberships = db.session.scalars(
        owner_arrears_statement(owner_id, today, business_id).options(
            joinedload(Membership.business)
        )
    ).all()
    paid = payments_by_membership(m.id for m in memberships)
    lines: dict[int, list[DueMonth]] = {}
    by_business: dict[int, tuple[str, Arrears]] = {}
    total = Arrears()
    for membership in memberships:
        rows = schedule(membership, paid[membership.id], today)
        lines[membership.id] = [r for r in rows if r.in_arrears]
        found = arrears_of(rows)
        _name, subtotal = by_business.setdefault(
            membership.business_id, (membership.business.name, Arrears())
        )
        for one in (subtotal, total):
            one.months += found.months
            one.amount += found.amount
            one.fine += found.fine
    return OwnerArrears(
        lines=lines,
        per_business=[(bid, name, sub) for bid, (name, sub) in by_business.items()],
        total=total,
    )


# --- The owner's membership pages -------------------------------------------------------------


def _owned_business_ids(owner_id: int):
    return select(Business.id).where(Business.owner_id == owner_id)


def owner_membership_page(owner_id: int, page: object = 1) -> Pagination:
    """Memberships through the owner's businesses, by state then newest, with the worker as
    the business recorded them (their employment)."""
    return page_of(
        select(Membership)
        .where(Membership.business_id.in_(_owned_business_ids(owner_id)))
        .options(joinedload(Membership.employment), joinedload(Membership.business))
        .order_by(Membership.state, Membership.id.desc()),
        page,
    )


def dues_this_month(memberships: list[Membership], today: date) -> dict[int, int]:
    """This month's dues of each membership not ended, from its own figures (what the
    schedule and arrears use), by membership id."""
    month = month_start(today)
    return {m.id: monthly_due(m, month) for m in memberships if m.state != MembershipState.ENDED}


def latest_decisions(owner_id: int, limit: int = 20) -> list[EnrolmentRequest]:
    """BPJS's latest decisions on the owner's enrolment requests."""
    return list(
        db.session.scalars(
            select(EnrolmentRequest)
            .where(
                EnrolmentRequest.business_id.in_(_owned_business_ids(owner_id)),
                EnrolmentRequest.state.in_([s.value for s in DECIDED_STATES]),
            )
            .options(joinedload(EnrolmentRequest.employment), joinedload(EnrolmentRequest.business))
            .order_by(EnrolmentRequest.decided_at.desc(), EnrolmentRequest.id.desc())
            .limit(limit)
        )
    )


def load_owner_membership(membership_id: int, owner_id: int) -> Membership:
    """A membership through one of the owner's businesses; NotFound for any other."""
    return one_or_404(
        select(Membership)
        .where(
            Membership.id == membership_id,
            Membership.business_id.in_(_owned_business_ids(owner_id)),
        )
        .options(*WITH_PARTIES)
    )


def membership_statement(membership: Membership) -> tuple[list[DueMonth], Arrears]:
    """Every month's dues with its payment, newest first, and what is in arrears."""
    rows = schedule(membership, payments_by_membership([membership.id])[membership.id])
    return rows, arrears_of(rows)


def owner_member_card(membership: Membership) -> PortalPDF:
    """The member card for the owner to hand over; writes `membership.card_downloaded`."""
    record_event("membership.card_downloaded", membership, {"kpj": membership.kpj, "by": "owner"})
    return member_card(membership)


def owner_arrears_page(
    owner_id: int, today: date, business_id: int | None = None, page: object = 1
) -> Pagination:
    """One page of the owner's memberships in arrears (lines from `owner_arrears`)."""
    return page_of(
        owner_arrears_statement(owner_id, today, business_id).options(
            joinedload(Membership.business), joinedload(Membership.employment)
        ),
        page,
    )
