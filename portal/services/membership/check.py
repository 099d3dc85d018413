"""The public "Cek kepesertaan": NIK + birth date → active, lapsed or unknown, and for an
active membership the month it is paid through. Nothing else is ever told.

A wrong birth date answers exactly like an unknown NIK, with the same queries in the same
order (the work does not depend on whether the NIK exists), so neither the answer nor its
time tells that a NIK is registered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import func, select

from ...extensions import db
from ...models import ContributionPayment, FundedBatch, Membership, MembershipState, Worker
from .common import month_start, period_key


class CheckAnswer(StrEnum):
    ACTIVE = "active"
    LAPSED = "lapsed"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class CheckResult:
    answer: CheckAnswer
    paid_through: str | None = None  # YYYY-MM, active memberships only

    @property
    def is_active(self) -> bool:
        return self.answer == CheckAnswer.ACTIVE

    @property
    def is_lapsed(self) -> bool:
        return self.answer == CheckAnswer.LAPSED


def check_membership(nik: str, birth_date: date) -> CheckResult:
    """Always three queries, whatever the NIK and the date."""
    row = db.session.execute(
        select(Worker.birth_date, Membership.id, Membership.state, Membership.funded_batch_id)
        .join(Membership, Membership.worker_id == Worker.id)
        .where(Worker.nik == nik, Membership.state != MembershipState.ENDED.value)
        .order_by(Membership.start_date.desc(), Membership.id.desc())
        .limit(1)
    ).first()
    matches = row is not None and row.birth_date == birth_date
    membership_id = row.id if matches else -1
    batch_id = row.funded_batch_id if matches and row.funded_batch_id else -1
    paid = db.session.scalar(
        select(func.max(ContributionPayment.period)).where(
            ContributionPayment.membership_id == membership_id
        )
    )
    batch_end = db.session.scalar(select(FundedBatch.period_end).where(FundedBatch.id == batch_id))
    if not matches:
        return CheckResult(CheckAnswer.UNKNOWN)
    if row.state == MembershipState.LAPSED.value:
        return CheckResult(CheckAnswer.LAPSED)
    through = paid
    if batch_end is not None:
        funded = period_key(month_start(batch_end))
        through = max(through or funded, funded)
    return CheckResult(CheckAnswer.ACTIVE, through)
