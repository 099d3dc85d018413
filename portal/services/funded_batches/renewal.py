"""Renewing a funded batch: the next period, with the members still eligible.

Rules:
- Renewal creates a new batch (renewed_from_id, unique: two officers renewing at the same
  moment cannot both win) and carries every still-eligible member: membership still in this
  batch and active — or ended only because this batch ended (the sweep ends members on the
  day after the batch ends) — the worker has no other membership and no current wage-earner
  (PU) employment elsewhere (an employer must pay for them).
- Carried memberships keep their KPJ and move to the new batch; memberships ended with the
  batch become active again. A late renewal (after the batch ended) is allowed.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, exists, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlalchemy.orm.exc import StaleDataError

from ...domain.clock import today_wib
from ...extensions import db
from ...models import (
    Employment,
    FundedBatch,
    FundedBatchMember,
    Membership,
    MembershipState,
    User,
    WorkerCategory,
)
from ..audit.trail import record_event
from ..membership.common import BpjsError
from .batches import BatchTerms, create_batch, period_months, renewal_overdue


def eligible_for_renewal(batch: FundedBatch, today: date | None = None) -> list[Membership]:
    """Members still eligible (see the module rules); works before and after the batch ends."""
    today = today or today_wib()
    employed_pu = exists().where(
        Employment.worker_id == Membership.worker_id,
        Employment.end_date.is_(None),
        Employment.category == WorkerCategory.PU.value,
    )
    other = aliased(Membership)
    covered_otherwise = exists().where(
        other.worker_id == Membership.worker_id,
        other.id != Membership.id,
        other.state != MembershipState.ENDED.value,
    )
    state_ok = Membership.state == MembershipState.ACTIVE.value
    if renewal_overdue(batch, today):
        state_ok = or_(
            state_ok,
            and_(
                Membership.state == MembershipState.ENDED.value,
                Membership.end_date == batch.period_end,
            ),
        )
    return list(
        db.session.scalars(
            select(Membership)
            .join(FundedBatchMember, FundedBatchMember.membership_id == Membership.id)
            .where(
                FundedBatchMember.batch_id == batch.id,
                Membership.funded_batch_id == batch.id,
                state_ok,
                ~employed_pu,
                ~covered_otherwise,
            )
            .order_by(Membership.id)
        )
    )


def renew(batch: FundedBatch, terms: BatchTerms, actor: User) -> tuple[FundedBatch, int]:
    """Create the next batch and carry the still-eligible members into it.

    Also after the batch has ended (late renewal): members ended with it are carried and
    become active again. Who: BPJS officer or head. Raises BpjsError if the batch was
    already renewed, the new period starts before the old one ends, or the eligible members
    exceed the new quota.
    Returns (new batch, members carried).
    """
    # The new batch funds the same kind of workers through the same kind of funder.
    terms = replace(terms, funder_type=batch.funder_type, category=batch.category)
    period_start, period_end, quota = terms.period_start, terms.period_end, terms.quota
    already = db.session.scalar(
        select(FundedBatch.id).where(FundedBatch.renewed_from_id == batch.id)
    )
    if already is not None:
        raise BpjsError(None, _("This batch has already been renewed."))
    if period_start <= batch.period_end:
        raise BpjsError("period_start", _("The new period must start after the current one ends."))
    carried = eligible_for_renewal(batch)
    if len(carried) > quota:
        raise BpjsError(
            "quota",
            _("%(n)d members are still eligible: the quota must be at least that.", n=len(carried)),
        )
    try:
        with db.session.begin_nested():
            new = create_batch(terms, actor, renewed_from=batch)
    except IntegrityError:
        # Another officer renewed it at the same moment (unique renewed_from_id).
        raise BpjsError(None, _("This batch has already been renewed.")) from None
    resumed: list[Membership] = []
    for membership in carried:
        membership.funded_batch_id = new.id
        membership.end_date = period_end
        if membership.state == MembershipState.ENDED.value:
            # Late renewal: the sweep ended it with the old batch; cover resumes.
            membership.state = MembershipState.ACTIVE.value
            resumed.append(membership)
        db.session.add(
            FundedBatchMember(
                batch_id=new.id,
                membership_id=membership.id,
                start_date=period_start,
                end_date=period_end,
                added_by_id=actor.id,
            )
        )
    try:
        db.session.flush()
    except StaleDataError:
        raise BpjsError(None, _("A member was changed by someone else. Try again.")) from None
    for membership in resumed:
        record_event(
            "membership.active",
            membership,
            {"kpj": membership.kpj, "before": "ended", "after": "active", "batch": new.id},
        )
    record_event(
        "batch.renewed",
        new,
        {"from": batch.id, "carried": len(carried), "resumed": len(resumed)},
    )
    return new, len(carried)


def suggested_renewal(batch: FundedBatch) -> dict:
    """What the renewal form starts with: the same name, funder, quota and premium, and a
    period as long as this one starting the day after it ends."""
    months = period_months(batch.period_start, batch.period_end)
    return {
        "name": batch.name,
        "funder_name": batch.funder_name,
        "period_start": batch.period_end + timedelta(days=1),
        "period_end": batch.period_end + timedelta(days=31 * months),
        "quota": batch.quota,
        "monthly_premium": batch.monthly_premium,
    }
