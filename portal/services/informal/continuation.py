"""A funded member continues self-paid when his batch ends: one step, no gap.

Rules: a member of a funded batch (APBD/CSR) that has not ended chooses once (unique per
funded membership, so a double click chooses once): *continue* creates a new self-paid BPU
membership (JKK + JKM on the lowest declared income unless he chooses more) starting the day
after the batch's last day, so he is covered every day; *stop* records that he does not.
BPJS sees who chose what (`choices_of_ending_batches`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ...domain.clock import today_wib
from ...extensions import db
from ...models import (
    BatchContinuation,
    ContinuationChoice,
    FundedBatch,
    Membership,
    MembershipState,
    User,
)
from ..audit.trail import record_event
from ..enrolment.own_account import bpu_contribution, income_range, income_range_message
from ..errors import ServiceError
from ..undo import check_undo, undo_open_until
from .reminders import batches_ending


def _check_choosable(membership: Membership) -> FundedBatch:
    batch = membership.funded_batch
    if batch is None or not membership.is_funded or membership.is_ended:
        raise ServiceError(None, _("Only a member of a funded programme can choose this."))
    if batch.period_end < today_wib():
        raise ServiceError(None, _("This programme has already ended."))
    return batch


def _record_choice(membership: Membership, choice: ContinuationChoice, actor: User | None):
    row = BatchContinuation(
        membership_id=membership.id, choice=choice.value, chosen_by_id=actor.id if actor else None
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        raise ServiceError(None, _("This choice has already been made.")) from None
    return row


def continue_self_paid(
    membership: Membership,
    actor: User | None,
    *,
    income: int | None = None,
    with_jht: bool = False,
) -> BatchContinuation:
    """Choose to continue self-paid from the day after the batch. Writes
    `membership.continues_self_paid`. Raises ServiceError (not funded, ended, chosen)."""
    batch = _check_choosable(membership)
    income = income or income_range()[0]
    if bpu_contribution(income, with_jht) is None:
        raise ServiceError("income", income_range_message(*income_range()))
    choice = _record_choice(membership, ContinuationChoice.CONTINUE, actor)
    # The self-paid membership needs the KPJ BPJS's own system issues (the portal never
    # invents one): BPJS sees this choice on its batch-choices page and enrols from it.
    record_event(
        "membership.continues_self_paid",
        membership,
        {
            "from": (batch.period_end + timedelta(days=1)).isoformat(),
            "income": income,
            "with_jht": with_jht,
        },
    )
    return choice


def check_stop(membership: Membership) -> FundedBatch:
    """Refuse what `stop_after_batch` would refuse; changes nothing. Returns the batch (its
    last day is the last day of cover)."""
    batch = _check_choosable(membership)
    if choices_of([membership.id]):
        raise ServiceError(None, _("This choice has already been made."))
    return batch


def stop_after_batch(membership: Membership, actor: User | None) -> BatchContinuation:
    """Choose to stop when the funded programme ends: cover ends with the batch (asked
    first; the member may take the choice back within a day, `undo_stop`)."""
    _check_choosable(membership)
    row = _record_choice(membership, ContinuationChoice.STOP, actor)
    record_event("membership.stops_after_batch", membership, {})
    return row


def stop_undo_until(choice: BatchContinuation | None, user: User):
    """Until when `user` may take back a choice to stop; None when not."""
    if choice is None or choice.choice != ContinuationChoice.STOP:
        return None
    return undo_open_until(choice.created_at, choice.chosen_by_id, user)


def undo_stop(membership: Membership, actor: User) -> None:
    """Take back a choice to stop within a day of making it, while the programme still runs:
    the member may choose again. Who: whoever chose (NotAllowed otherwise). Writes
    `membership.stop_undone` (the choice's own event stays)."""
    choice = choices_of([membership.id]).get(membership.id)
    if choice is None or choice.choice != ContinuationChoice.STOP:
        raise ServiceError(None, _("There is no choice to stop to take back."))
    check_undo(choice.created_at, choice.chosen_by_id, actor)
    _check_choosable(membership)
    db.session.delete(choice)
    db.session.flush()
    record_event("membership.stop_undone", membership, {"chosen_at": choice.created_at})


def choices_of(membership_ids: list[int]) -> dict[int, BatchContinuation]:
    return {
        c.membership_id: c
        for c in db.session.scalars(
            select(BatchContinuation).where(
                BatchContinuation.membership_id.in_(membership_ids or [-1])
            )
        )
    }


@dataclass
class EndingMember:
    membership: Membership
    choice: BatchContinuation | None


def choices_of_ending_batches(limit: int = 500) -> list[tuple[FundedBatch, list[EndingMember]]]:
    """Each batch ending within the notice period with its members' choices (3 queries)."""
    batches = batches_ending()
    members = list(
        db.session.scalars(
            select(Membership)
            .where(
                Membership.funded_batch_id.in_([b.id for b in batches] or [-1]),
                Membership.state != MembershipState.ENDED.value,
            )
            .options(joinedload(Membership.worker))
            .order_by(Membership.id)
            .limit(limit)
        )
    )
    chosen = choices_of([m.id for m in members])
    return [
        (b, [EndingMember(m, chosen.get(m.id)) for m in members if m.funded_batch_id == b.id])
        for b in batches
    ]
