"""A funded member continues self-paid when his batch ends: one step, no gap.

Rules: a member of a funded batch (APBD/CSR) that has not ended chooses once (unique per
funded membership, so a double click chooses once): *continue* creates a new self-paid BPU
membership (JKK + JKM on the lowest declared income unless he chooses more) starting the day
after the batch's last day, so he is covered every day; *stop* records that he does not.
BPJS sees who chose what (`choices_of_ending_batches`) and, for each member who continues,
enters the KPJ its own system issued (`start_self_paid`: the portal never invents one); that
creates the self-paid membership from the day after the batch with the terms he chose.
A member without an account is helped by the field agent who registered him: the agent
records the member's choice for him (`chosen_by` is the agent, the audit event says so).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...domain.clock import today_wib
from ...extensions import db
from ...models import (
    BatchContinuation,
    ContinuationChoice,
    EnrolmentRequest,
    FundedBatch,
    FundingSource,
    Membership,
    MembershipState,
    User,
)
from ..access import one_or_404
from ..audit.trail import record_event
from ..enrolment.own_account import bpu_contribution, income_range, income_range_message
from ..errors import NotFound, ServiceError
from ..membership.common import insert_membership, issued_kpj, running_self_paid
from ..pages import page_of
from ..saving import flush_or_refuse, update_rows
from ..undo import check_undo, undo_open_until
from .reminders import batches_ending


def _check_choosable(membership: Membership) -> FundedBatch:
    batch = membership.funded_batch
    if batch is None or not membership.is_funded or membership.is_ended:
        raise ServiceError(None, _("Only a member of a funded programme can choose this."))
    if batch.period_end < today_wib():
        raise ServiceError(None, _("This programme has already ended."))
    return batch


def _record_choice(
    membership: Membership,
    choice: ContinuationChoice,
    actor: User | None,
    *,
    income: int | None = None,
    with_jht: bool = False,
):
    row = BatchContinuation(
        membership_id=membership.id,
        choice=choice.value,
        chosen_by_id=actor.id if actor else None,
        monthly_amount=income,
        with_jht=with_jht,
    )
    flush_or_refuse(row, taken=ServiceError(None, _("This choice has already been made.")))
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
    choice = _record_choice(
        membership, ContinuationChoice.CONTINUE, actor, income=income, with_jht=with_jht
    )
    # The self-paid membership needs the KPJ BPJS's own system issues (the portal never
    # invents one): BPJS sees this choice on its batch-choices page and starts it there.
    record_event(
        "membership.continues_self_paid",
        membership,
        {
            "from": continuation_start(batch).isoformat(),
            "income": income,
            "with_jht": with_jht,
            **_on_behalf(membership, actor),
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
    record_event("membership.stops_after_batch", membership, _on_behalf(membership, actor))
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


def continuation_start(batch: FundedBatch) -> date:
    """The first day of the self-paid membership: the day after the batch's last day."""
    return batch.period_end + timedelta(days=1)


def _on_behalf(membership: Membership, actor: User | None) -> dict:
    """Who chose, when it is not the member himself (his field agent)."""
    if actor is not None and actor.id != membership.worker.account_id:
        return {"chosen_by": actor.id, "on_behalf_of_member": True}
    return {}


def start_self_paid(choice_id: int, kpj: str | None, actor: User) -> Membership:
    """BPJS starts the self-paid membership a member chose, with the KPJ its system issued.

    The membership starts the day after the batch (no gap and no overlap with the funded
    one), on the income and programmes the member chose, in his category and kelurahan.
    Writes `membership.self_paid_after_batch`. Raises ServiceError: an unknown choice, a
    choice to stop, one already started (also when two officers enter it at once), a KPJ
    that is malformed or used, a person who meanwhile has another running self-paid cover.
    """
    choice = db.session.get(BatchContinuation, choice_id)
    if choice is None or not choice.is_continue:
        raise NotFound()
    if choice.new_membership_id is not None:
        raise ServiceError("kpj", _("This member's self-paid membership has already started."))
    kpj = issued_kpj(kpj)
    funded = choice.membership
    batch = funded.funded_batch
    worker = funded.worker
    if _has_running_self_paid(worker.id):
        raise ServiceError(
            "kpj",
            _("%(name)s already has a running self-paid membership.", name=worker.full_name),
        )
    membership = Membership(
        worker_id=worker.id,
        kpj=kpj,
        category=funded.category,
        with_jht=choice.with_jht,
        monthly_amount=choice.monthly_amount or income_range()[0],
        funding_source=FundingSource.SELF.value,
        kelurahan_code=funded.kelurahan_code or worker.kelurahan_code,
        start_date=continuation_start(batch),
    )
    insert_membership(membership)
    started = update_rows(
        BatchContinuation,
        BatchContinuation.id == choice.id,
        BatchContinuation.new_membership_id.is_(None),
        new_membership_id=membership.id,
    )
    if not started:
        raise ServiceError("kpj", _("This member's self-paid membership has already started."))
    db.session.refresh(choice)
    record_event(
        "membership.self_paid_after_batch",
        membership,
        {
            "kpj": kpj,
            "after_membership": funded.id,
            "batch": batch.id,
            "from": membership.start_date.isoformat(),
            "by": actor.id,
        },
    )
    return membership


def _has_running_self_paid(worker_id: int) -> bool:
    return (
        db.session.scalar(
            select(Membership.id).where(Membership.worker_id == worker_id, running_self_paid())
        )
        is not None
    )


def waiting_for_kpj(page: object = 1) -> Pagination:
    """Members who chose to continue and whose self-paid membership BPJS has not started yet,
    the earliest batch end first (two queries: the page and its count)."""
    return page_of(
        select(BatchContinuation)
        .join(Membership, Membership.id == BatchContinuation.membership_id)
        .join(FundedBatch, FundedBatch.id == Membership.funded_batch_id)
        .where(
            BatchContinuation.choice == ContinuationChoice.CONTINUE.value,
            BatchContinuation.new_membership_id.is_(None),
        )
        .options(
            joinedload(BatchContinuation.membership).joinedload(Membership.worker),
            joinedload(BatchContinuation.membership).joinedload(Membership.funded_batch),
        )
        .order_by(FundedBatch.period_end, BatchContinuation.id),
        page,
    )


def agent_ending_members(agent_id: int) -> list[EndingMember]:
    """The agent's people in a funded batch that ends within the notice period, with what
    each chose (three queries): the agent helps those without an account to choose."""
    return _ending_members(batches_ending(), Membership.worker_id.in_(_people_of(agent_id)))


def _ending_members(batches: list[FundedBatch], *where, limit: int = 500) -> list[EndingMember]:
    """The running members of these batches (and `where`) with their choices (two queries)."""
    members = list(
        db.session.scalars(
            select(Membership)
            .where(
                Membership.funded_batch_id.in_([b.id for b in batches] or [-1]),
                Membership.state != MembershipState.ENDED.value,
                *where,
            )
            .options(joinedload(Membership.worker), joinedload(Membership.funded_batch))
            .order_by(Membership.id)
            .limit(limit)
        )
    )
    chosen = choices_of([m.id for m in members])
    return [EndingMember(m, chosen.get(m.id)) for m in members]


def _people_of(agent_id: int):
    """The workers a field agent registered (a subquery)."""
    return select(EnrolmentRequest.worker_id).where(EnrolmentRequest.registered_by_id == agent_id)


def agent_funded_membership(agent_id: int, membership_id: int) -> Membership:
    """A funded membership of one of the agent's people; NotFound for anyone else's."""
    return one_or_404(
        select(Membership).where(
            Membership.id == membership_id,
            Membership.funded_batch_id.is_not(None),
            Membership.worker_id.in_(_people_of(agent_id)),
        )
    )


def choices_of(membership_ids: list[int]) -> dict[int, BatchContinuation]:
    return {
        c.membership_id: c
        for c in db.session.scalars(
            select(BatchContinuation)
            .where(BatchContinuation.membership_id.in_(membership_ids or [-1]))
            .options(joinedload(BatchContinuation.new_membership))
        )
    }


@dataclass
class EndingMember:
    membership: Membership
    choice: BatchContinuation | None

    @property
    def can_choose(self) -> bool:
        return self.choice is None

    @property
    def waits_for_kpj(self) -> bool:
        choice = self.choice
        return choice is not None and choice.is_continue and choice.new_membership_id is None


def choices_of_ending_batches(limit: int = 500) -> list[tuple[FundedBatch, list[EndingMember]]]:
    """Each batch ending within the notice period with its members' choices (3 queries)."""
    batches = batches_ending()
    members = _ending_members(batches, limit=limit)
    return [
        (b, [row for row in members if row.membership.funded_batch_id == b.id]) for b in batches
    ]
