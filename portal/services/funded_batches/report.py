"""Funded batches (APBD, CSR) on the dashboard: members, budget used and remaining, renewals.

The rules are the BPJS area's (portal.services.funded_batches.batches): members are the
batch's member rows, budget used = monthly premium × started months of each member in the
batch up to today, remaining = budget − used, and a batch needs renewal when it ends within
`RENEWAL_WINDOW_DAYS`. The dashboard adds: active members today, and "renewal due" only
while no later batch renews it.

The BPJS area computes "used" in Python over every member row; a city's batches hold
thousands of members, so here the same rule is one aggregate in SQL (a test checks both
agree). A page of batches costs a fixed number of queries.

Filters (`BatchFilter`) are SQL conditions on the batch query, so paging counts and exports
see the same rows: a month keeps the batches whose period overlaps it; a kecamatan keeps the
batches with at least one member living there and adds that kecamatan's member counts (the
budget figures stay the batch's own: a budget is not split by area).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, and_, case, func, literal, select
from sqlalchemy.orm import aliased

from ...domain.clock import today_wib
from ...extensions import db
from ...models import FundedBatch, FundedBatchMember, Membership, Region
from ..coverage.periods import Month, sql_month_index
from ..pages import page_of
from .batches import RENEWAL_WINDOW_DAYS, needs_renewal


@dataclass(frozen=True)
class BatchFilter:
    """Which batches a page or export shows (nothing set: every batch)."""

    month: Month | None = None  # batches whose period overlaps this month
    kecamatan: str | None = None  # batches with members living in this kecamatan (checked)
    due_only: bool = False  # batches due for renewal


@dataclass
class BatchRow:
    batch: FundedBatch
    members: int
    active: int
    used: int
    renewed: bool
    today: date
    area_members: int | None = None  # with a kecamatan filter: members living there
    area_active: int | None = None

    @property
    def remaining(self) -> int:
        return self.batch.budget - self.used

    @property
    def renewal_due(self) -> bool:
        return not self.renewed and needs_renewal(self.batch, self.today)

    @property
    def ended(self) -> bool:
        return self.batch.period_end < self.today


def _renewed():
    later = aliased(FundedBatch)
    return select(later.id).where(later.renewed_from_id == FundedBatch.id).exists()


def _due(today: date):
    ending = FundedBatch.period_end.between(today, today + timedelta(days=RENEWAL_WINDOW_DAYS))
    return and_(ending, ~_renewed())


def _has_members_in(kecamatan: str):
    return (
        select(FundedBatchMember.id)
        .join(Membership, Membership.id == FundedBatchMember.membership_id)
        .join(Region, Region.code == Membership.kelurahan_code)
        .where(FundedBatchMember.batch_id == FundedBatch.id, Region.parent_code == kecamatan)
        .exists()
    )


def _batches(flt: BatchFilter, today: date) -> Select:
    stmt = select(FundedBatch)
    if flt.due_only:
        stmt = stmt.where(_due(today))
    if flt.month is not None:
        stmt = stmt.where(
            FundedBatch.period_start <= flt.month.last_day,
            FundedBatch.period_end >= flt.month.first_day,
        )
    if flt.kecamatan:
        stmt = stmt.where(_has_members_in(flt.kecamatan))
    return stmt.order_by(FundedBatch.period_end.desc(), FundedBatch.id.desc())


def _rows(batches: list[FundedBatch], ids, flt: BatchFilter, today: date) -> list[BatchRow]:
    """Figures for `batches`; `ids` selects the same batches (a list or a subquery)."""
    if not batches:
        return []
    figures = member_figures(ids, today, flt.kecamatan)
    renewed = set(
        db.session.scalars(
            select(FundedBatch.renewed_from_id).where(FundedBatch.renewed_from_id.in_(ids))
        )
    )
    rows = []
    for b in batches:
        members, active, used, area_members, area_active = figures.get(b.id, (0, 0, 0, 0, 0))
        rows.append(
            BatchRow(
                batch=b,
                members=members,
                active=active,
                used=used,
                renewed=b.id in renewed,
                today=today,
                area_members=area_members if flt.kecamatan else None,
                area_active=area_active if flt.kecamatan else None,
            )
        )
    return rows


def batch_page(page: object = 1, per_page: int | None = 25, flt: BatchFilter | None = None):
    """(pagination, rows) of the filtered batches, latest ending first (read-only).
    `per_page` None: the app's PAGE_SIZE."""
    flt = flt or BatchFilter()
    today = today_wib()
    pagination = page_of(_batches(flt, today), page, per_page)
    batches = list(pagination.items)
    return pagination, _rows(batches, [b.id for b in batches], flt, today)


def batch_rows(flt: BatchFilter | None = None) -> list[BatchRow]:
    """Every filtered batch with its figures, for exports: no page limit, fixed queries."""
    flt = flt or BatchFilter()
    today = today_wib()
    stmt = _batches(flt, today)
    batches = list(db.session.scalars(stmt))
    # Never correlated: the figure queries select from funded_batches too.
    ids = stmt.with_only_columns(FundedBatch.id).order_by(None).correlate(None)
    return _rows(batches, ids, flt, today)


def member_figures(
    batch_ids: list[int] | Select, today: date, kecamatan: str | None = None
) -> dict[int, tuple[int, int, int, int, int]]:
    """batch id → (member rows, active today, budget used, members living in `kecamatan`,
    of them active today), one grouped query. `batch_ids` is a list or a select of ids."""
    if isinstance(batch_ids, list) and not batch_ids:
        return {}
    until = case(
        (FundedBatchMember.end_date < today, FundedBatchMember.end_date), else_=literal(today)
    )
    months = sql_month_index(until) - sql_month_index(FundedBatchMember.start_date) + 1
    started = FundedBatchMember.start_date <= today
    active = and_(Membership.state == "active", started, FundedBatchMember.end_date >= today)
    in_area = Region.parent_code == kecamatan if kecamatan else literal(False)
    stmt = (
        select(
            FundedBatchMember.batch_id,
            func.count(),
            func.sum(case((active, 1), else_=0)),
            func.sum(case((started, months * FundedBatch.monthly_premium), else_=0)),
            func.sum(case((in_area, 1), else_=0)),
            func.sum(case((and_(in_area, active), 1), else_=0)),
        )
        .join(Membership, Membership.id == FundedBatchMember.membership_id)
        .join(FundedBatch, FundedBatch.id == FundedBatchMember.batch_id)
        .where(FundedBatchMember.batch_id.in_(batch_ids))
        .group_by(FundedBatchMember.batch_id)
    )
    if kecamatan:  # the area columns need where members live; without one they stay 0
        stmt = stmt.outerjoin(Region, Region.code == Membership.kelurahan_code)
    return {
        batch_id: (n, int(n_active or 0), int(used or 0), int(n_area or 0), int(area_active or 0))
        for batch_id, n, n_active, used, n_area, area_active in db.session.execute(stmt)
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
    figures = member_figures(select(FundedBatch.id), today_wib()).values()
    members = sum(f[0] for f in figures)
    used = sum(f[2] for f in figures)
    return batches, members, budget or 0, used
