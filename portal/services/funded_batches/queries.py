"""What the BPJS batch pages show: the list, one batch with its figures, renewal and members."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...domain.clock import today_wib
from ...extensions import db
from ...models import FundedBatch, FundedBatchMember, Membership
from ..errors import NotFound
from ..pages import page_of
from .batches import BatchFigures, figures_for, needs_renewal, period_months, renewal_overdue
from .report import BatchRow, batch_page


def batch_list(page: object = 1) -> tuple[Pagination, list[BatchRow]]:
    """A page of every batch, latest ending first, with members, budget used and renewal
    flags (the dashboard's rows: one rule for both)."""
    return batch_page(page, per_page=None)


def load_batch(batch_id: int) -> FundedBatch:
    """One funded batch; NotFound if none."""
    batch = db.session.get(FundedBatch, batch_id)
    if batch is None:
        raise NotFound()
    return batch


def successor_of(batch: FundedBatch) -> FundedBatch | None:
    """The batch that renewed `batch`, if any (at most one)."""
    return db.session.scalar(select(FundedBatch).where(FundedBatch.renewed_from_id == batch.id))


@dataclass
class BatchSummary:
    """A batch's figures and where it stands on renewal, for its page."""

    figures: BatchFigures
    successor: FundedBatch | None
    renew_soon: bool  # ends within the renewal window
    ended: bool  # ended (a late renewal is still possible)
    months: int  # months in its period

    @property
    def needs_renewal(self) -> bool:
        return self.renew_soon and self.successor is None

    @property
    def ended_unrenewed(self) -> bool:
        return self.ended and self.successor is None


def batch_summary(batch: FundedBatch, today: date | None = None) -> BatchSummary:
    today = today or today_wib()
    return BatchSummary(
        figures=figures_for([batch.id], today)[batch.id],
        successor=successor_of(batch),
        renew_soon=needs_renewal(batch, today),
        ended=renewal_overdue(batch, today),
        months=period_months(batch.period_start, batch.period_end),
    )


def member_page(batch: FundedBatch, page: object = 1) -> Pagination:
    """The batch's members in the order they were added, with membership and worker."""
    stmt = (
        select(FundedBatchMember)
        .where(FundedBatchMember.batch_id == batch.id)
        .options(joinedload(FundedBatchMember.membership).joinedload(Membership.worker))
        .order_by(FundedBatchMember.id)
    )
    return page_of(stmt, page)
