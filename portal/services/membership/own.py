"""A person's own view of his BPJS registration: his requests, memberships, dues, card.

Rows are found through the person's account (`Worker.account_id`): anyone else's request or
membership is "not found" (404), whatever id is typed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...domain.clock import today_wib
from ...extensions import db
from ...models import BatchContinuation, EnrolmentRequest, Membership, Worker
from ...pdf import PortalPDF
from ..audit.trail import record_event
from ..errors import NotFound
from .cards import member_card
from .dues import (
    Arrears,
    DueMonth,
    arrears_of,
    lowest_bpu_dues,
    payments_by_membership,
    schedule,
)


@dataclass
class OwnMembership:
    membership: Membership
    rows: list[DueMonth]
    arrears: Arrears
    choice: BatchContinuation | None = None

    @property
    def can_continue(self) -> bool:
        """A funded member whose programme still runs and who has not chosen yet."""
        m = self.membership
        return (
            m.is_funded
            and not m.is_ended
            and m.funded_batch is not None
            and m.funded_batch.period_end >= today_wib()
            and self.choice is None
        )

    @property
    def this_month(self) -> DueMonth | None:
        return self.rows[0] if self.rows else None


@dataclass
class OwnOverview:
    worker: Worker | None
    requests: list[EnrolmentRequest]
    memberships: list[OwnMembership]
    #: The least a self-paid member pays a month (the sign-up call and the continue button).
    lowest_dues: int = 0

    @property
    def can_register(self) -> bool:
        """No open request and no membership that still runs: the form is offered."""
        return not any(r.is_open and not r.is_returned for r in self.requests) and not any(
            not m.membership.is_ended for m in self.memberships
        )


def own_worker(account_id: int) -> Worker | None:
    return db.session.scalar(select(Worker).where(Worker.account_id == account_id))


def own_overview(account_id: int) -> OwnOverview:
    """The person's requests (newest first) and memberships with their dues: four queries."""
    worker = own_worker(account_id)
    if worker is None:
        return OwnOverview(None, [], [], lowest_bpu_dues())
    requests = list(
        db.session.scalars(
            select(EnrolmentRequest)
            .where(EnrolmentRequest.worker_id == worker.id, EnrolmentRequest.business_id.is_(None))
            .order_by(EnrolmentRequest.id.desc())
            .limit(10)
        )
    )
    memberships = list(
        db.session.scalars(
            select(Membership)
            .where(Membership.worker_id == worker.id)
            .options(joinedload(Membership.funded_batch), joinedload(Membership.business))
            .order_by(Membership.start_date.desc(), Membership.id.desc())
            .limit(5)
        ).unique()
    )
    paid = payments_by_membership(m.id for m in memberships)
    chosen = {
        c.membership_id: c
        for c in db.session.scalars(
            select(BatchContinuation).where(
                BatchContinuation.membership_id.in_([m.id for m in memberships] or [-1])
            )
        )
    }
    today = today_wib()
    own = []
    for m in memberships:
        rows = schedule(m, paid[m.id], today)
        own.append(OwnMembership(m, rows, arrears_of(rows), chosen.get(m.id)))
    return OwnOverview(worker, requests, own, lowest_bpu_dues(today))


def load_own_membership(membership_id: int, account_id: int) -> Membership:
    membership = db.session.scalar(
        select(Membership)
        .join(Worker, Worker.id == Membership.worker_id)
        .where(Membership.id == membership_id, Worker.account_id == account_id)
    )
    if membership is None:
        raise NotFound()
    return membership


def own_member_card(membership: Membership) -> PortalPDF:
    """The person's own card; writes `membership.card_downloaded`."""
    record_event("membership.card_downloaded", membership, {"kpj": membership.kpj, "by": "self"})
    return member_card(membership, full_nik=True)  # his own card: his own NIK
