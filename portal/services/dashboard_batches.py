"""Funded batches (APBD, CSR) on the dashboard: members, budget used and remaining, renewals.

The rules are the BPJS area's (portal.services.bpjs_batches): members are the batch's member
rows, budget used = monthly premium × started months of each member in the batch up to
today, remaining = budget − used, and a batch needs renewal when it ends within
`RENEWAL_WINDOW_DAYS`. The dashboard adds: active members today, and "renewal due" only
while no later batch renews it.

The BPJS area computes "used" in Python over every member row; a city's batches hold
thousands of members, so here the same rule is one aggregate in SQL (a test checks both
agree). A page of batches costs a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, case, extract, func, literal, select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import FundedBatch, FundedBatchMember, Membership
from .bpjs_batches import RENEWAL_WINDOW_DAYS, needs_renewal
from .dashboard_periods import today_wib


@dataclass
class BatchRow:
    batch: FundedBatch
    members: int
    active: int
    used: int
    renewed: bool
    today: date

    @property
    def remaining(self) -> int:
        return self.batch.budget - self.used

    @property
    def renewal_due(self) -> bool:
        return not self.renewed and needs_renewal(self.batch, self.today)


def _renewed():
    later = aliased(FundedBatch)
    return select(later.id).where(later.renewed_from_id == FundedBatch.id).exists()


def _due(today: date):
    ending = FundedBatch.period_end.between(today, today + timedelta(days=RENEWAL_WINDOW_DAYS))
    return and_(ending, ~_renewed())


def batch_page(page: int, per_page: int = 25, *, due_only: bool = False):
    """(pagination, rows) of batches, latest ending first, with their figures (read-only)."""
    today = today_wib()
    stmt = select(FundedBatch)
    if due_only:
        stmt = stmt.where(_due(today))
    stmt = stmt.order_by(FundedBatch.period_end.desc(), FundedBatch.id.desc())
    pagination = db.paginate(stmt, page=page, per_page=per_page, error_out=False)
    batches = list(pagination.items)
    ids = [b.id for b in batches]
    figures = member_figures(ids, today)
    renewed: set[int] = set()
    if ids:
        renewed = set(
            db.session.scalars(
                select(FundedBatch.renewed_from_id).where(FundedBatch.renewed_from_id.in_(ids))
            )
        )
    rows = [
        BatchRow(
            batch=b,
            members=figures.get(b.id, (0, 0, 0))[0],
            active=figures.get(b.id, (0, 0, 0))[1],
            used=figures.get(b.id, (0, 0, 0))[2],
            renewed=b.id in renewed,
            today=today,
        )
        for b in batches
    ]
    return pagination, rows


def _month_index(column):
    return extract("year", column) * 12 + extract("month", column)


def member_figures(batch_ids: list[int], today: date) -> dict[int, tuple[int, int, int]]:
    """batch id → (member rows, active today, budget used), one grouped query."""
    if not batch_ids:
        return {}
    until = case(
        (FundedBatchMember.end_date < today, FundedBatchMember.end_date), else_=literal(today)
    )
    months = _month_index(until) - _month_index(FundedBatchMember.start_date) + 1
    started = FundedBatchMember.start_date <= today
    active = and_(Membership.state == "active", started, FundedBatchMember.end_date >= today)
    stmt = (
        select(
            FundedBatchMember.batch_id,
            func.count(),
            func.sum(case((active, 1), else_=0)),
            func.sum(case((started, months * FundedBatch.monthly_premium), else_=0)),
        )
        .join(Membership, Membership.id == FundedBatchMember.membership_id)
        .join(FundedBatch, FundedBatch.id == FundedBatchMember.batch_id)
        .where(FundedBatchMember.batch_id.in_(batch_ids))
        .group_by(FundedBatchMember.batch_id)
    )
    return {
        batch_id: (n, int(n_active or 0), int(used or 0))
        for batch_id, n, n_active, used in db.session.execute(stmt)
    }


def renewals_due_count() -> int:
    """Batches that end within the renewal window and that no later batch renews."""
    stmt = select(func.count(FundedBatch.id)).where(_due(today_wib()))
    return db.session.scalar(stmt) or 0


def batch_totals() -> tuple[int, int, int, int]:
    """(batches, member rows, budget, used) over every batch, for the PDF summary."""
    batches, budget = db.session.execute(
        select(func.count(FundedBatch.id), func.coalesce(func.sum(FundedBatch.budget), 0))
    ).one()
    ids = list(db.session.scalars(select(FundedBatch.id)))
    figures = member_figures(ids, today_wib()).values()
    members = sum(n for n, _, _ in figures)
    used = sum(u for _, _, u in figures)
    return batches, members, budget or 0, used
