"""Funded batches (APBD / CSR): creation, members, budget, renewal.

Rules:
- Budget = quota × monthly premium × months in the period (each calendar month the period
  touches counts as a whole month).
- Budget used = for each member of the batch, monthly premium × months from the member's start
  in the batch to today (or the batch end), counting the started month; remaining = budget −
  used. Computed in SQL-free Python over one aggregate query per page.
- Quota: the number of members (FundedBatchMember rows). Adding members first bumps the batch
  row (UPDATE ... version + 1), which locks it on PostgreSQL, so two officers cannot both take
  the last place.
- A batch ending within 30 days is flagged for renewal; a batch that ended without renewal
  is flagged as overdue and can still be renewed late. Renewal creates a new batch
  (renewed_from_id) and carries every still-eligible member: membership still in this batch
  and active — or ended only because this batch ended (the sweep ends members on the day
  after the batch ends) — the worker has no other membership and no current wage-earner (PU)
  employment elsewhere (an employer must pay for them). Carried memberships keep their KPJ
  and move to the new batch; memberships ended with the batch become active again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlalchemy.orm.exc import StaleDataError

from ..extensions import db
from ..models import (
    Employment,
    FundedBatch,
    FundedBatchMember,
    Membership,
    MembershipState,
    User,
    Worker,
    WorkerCategory,
)
from .audit import record_event
from .bpjs_common import BpjsError, insert_membership, is_valid_kpj, kpj_taken, months_between
from .bpjs_common import today_wib as _today

RENEWAL_WINDOW_DAYS = 30
DEFAULT_PREMIUM = 16_800
FUNDED_DECLARED_INCOME = 1_000_000  # JKK + JKM on Rp 1,000,000 = Rp 16,800


def period_months(start: date, end: date) -> int:
    return len(months_between(start, end))


def compute_budget(quota: int, premium: int, start: date, end: date) -> int:
    return quota * premium * period_months(start, end)


def needs_renewal(batch: FundedBatch, today: date | None = None) -> bool:
    """The batch ends within RENEWAL_WINDOW_DAYS (renew it before the members lose cover)."""
    today = today or _today()
    return today <= batch.period_end <= today + timedelta(days=RENEWAL_WINDOW_DAYS)


def renewal_overdue(batch: FundedBatch, today: date | None = None) -> bool:
    """The batch has ended (a late renewal still carries its eligible members)."""
    return batch.period_end < (today or _today())


@dataclass
class BatchFigures:
    members: int = 0
    used: int = 0

    def remaining(self, batch: FundedBatch) -> int:
        return batch.budget - self.used


def figures_for(batch_ids: list[int], today: date | None = None) -> dict[int, BatchFigures]:
    """Members and budget used for these batches, from one query over member rows."""
    today = today or _today()
    out = {bid: BatchFigures() for bid in batch_ids}
    if not batch_ids:
        return out
    rows = db.session.execute(
        select(
            FundedBatchMember.batch_id,
            FundedBatchMember.start_date,
            FundedBatchMember.end_date,
            FundedBatch.monthly_premium,
        )
        .join(FundedBatch, FundedBatch.id == FundedBatchMember.batch_id)
        .where(FundedBatchMember.batch_id.in_(batch_ids))
    )
    for batch_id, start, end, premium in rows:
        figures = out[batch_id]
        figures.members += 1
        if start <= today:
            figures.used += premium * period_months(start, min(end, today))
    return out


def create_batch(
    *,
    name: str,
    funder_type: str,
    funder_name: str,
    category: str,
    period_start: date,
    period_end: date,
    quota: int,
    monthly_premium: int,
    actor: User,
    renewed_from: FundedBatch | None = None,
) -> FundedBatch:
    """Create a funded batch; the budget is computed from quota, premium and period.

    Who: BPJS officer or head. Raises BpjsError for a period ending before it starts, a
    quota or premium not above zero.
    """
    if period_end < period_start:
        raise BpjsError(_("The period must end after it starts."), "period_end")
    if quota <= 0:
        raise BpjsError(_("The quota must be above zero."), "quota")
    if monthly_premium <= 0:
        raise BpjsError(_("The monthly premium must be above zero."), "monthly_premium")
    batch = FundedBatch(
        name=name,
        funder_type=funder_type,
        funder_name=funder_name,
        category=category,
        period_start=period_start,
        period_end=period_end,
        quota=quota,
        monthly_premium=monthly_premium,
        budget=compute_budget(quota, monthly_premium, period_start, period_end),
        renewed_from_id=renewed_from.id if renewed_from else None,
        created_by_id=actor.id,
    )
    db.session.add(batch)
    db.session.flush()
    record_event(
        "batch.created",
        batch,
        {"name": name, "funder": funder_name, "quota": quota, "budget": batch.budget},
    )
    return batch


def _lock_and_count(batch: FundedBatch) -> int:
    """Bump the batch row (serialising adders on PostgreSQL) and count its members."""
    db.session.execute(
        update(FundedBatch)
        .where(FundedBatch.id == batch.id)
        .values(version=FundedBatch.version + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(batch)
    return db.session.scalar(
        select(func.count())
        .select_from(FundedBatchMember)
        .where(FundedBatchMember.batch_id == batch.id)
    )


@dataclass
class NewWorker:
    nik: str
    full_name: str
    birth_date: date
    sex: str
    phone: str | None = None
    kelurahan_code: str | None = None
    occupation: str | None = None


@dataclass(frozen=True)
class MemberLookup:
    """Workers by NIK and which of them already hold a membership (not ended)."""

    workers: dict[str, Worker]
    covered: frozenset[int]


def member_lookup(niks: Iterable[str]) -> MemberLookup:
    """Two queries whatever the number of NIKs (a member file checks every row with them)."""
    wanted = sorted(set(niks) - {""})
    workers = {w.nik: w for w in db.session.scalars(select(Worker).where(Worker.nik.in_(wanted)))}
    covered = db.session.scalars(
        select(Membership.worker_id)
        .join(Worker, Worker.id == Membership.worker_id)
        .where(Worker.nik.in_(wanted), Membership.state != MembershipState.ENDED.value)
    )
    return MemberLookup(workers, frozenset(covered))


def check_batch_member(
    batch: FundedBatch, nik: str, lookup: MemberLookup | None = None
) -> Worker | None:
    """Refusals that do not depend on the quota: the batch ended, the worker already covered."""
    if batch.period_end < _today():
        raise BpjsError(_("This batch has ended; renew it first."))
    lookup = lookup or member_lookup([nik])
    worker = lookup.workers.get(nik)
    if worker is not None and worker.id in lookup.covered:
        raise BpjsError(_("This person already has a membership."), "nik")
    return worker


def add_member(
    batch: FundedBatch, person: NewWorker, actor: User, kpj: str | None = None
) -> Membership:
    """Add one person to a funded batch: a worker (created if new) and a funded membership.

    A worker with no employer is fine (vulnerable informal workers come this way).
    Who: BPJS officer or head. Raises BpjsError when the batch is full or ended, the person
    already has a membership, or the KPJ is bad or taken; nothing is saved then.
    """
    if kpj and not is_valid_kpj(kpj):
        raise BpjsError(_("A KPJ has 10 to 15 digits."), "kpj")
    if kpj and kpj_taken(kpj):
        raise BpjsError(_("KPJ %(kpj)s is already used by another membership.", kpj=kpj), "kpj")
    worker = check_batch_member(batch, person.nik)
    if _lock_and_count(batch) >= batch.quota:
        raise BpjsError(_("This batch is full (quota %(quota)d).", quota=batch.quota))
    if worker is None:
        worker = Worker(
            nik=person.nik,
            full_name=person.full_name,
            birth_date=person.birth_date,
            sex=person.sex,
            phone=person.phone,
            kelurahan_code=person.kelurahan_code,
            occupation=person.occupation,
            category=batch.category,
        )
        try:
            with db.session.begin_nested():
                db.session.add(worker)
                db.session.flush()
        except IntegrityError:
            # Someone registered the same NIK at this very moment.
            raise BpjsError(_("This person already has a membership."), "nik") from None
    start = max(batch.period_start, _today())
    membership = Membership(
        worker_id=worker.id,
        kpj=kpj or "",
        category=batch.category,
        monthly_amount=FUNDED_DECLARED_INCOME,
        funding_source=batch.funder_type,
        funded_batch_id=batch.id,
        kelurahan_code=worker.kelurahan_code,
        start_date=start,
        end_date=batch.period_end,
    )
    insert_membership(membership, generate=not kpj)
    db.session.add(
        FundedBatchMember(
            batch_id=batch.id,
            membership_id=membership.id,
            start_date=start,
            end_date=batch.period_end,
            added_by_id=actor.id,
        )
    )
    db.session.flush()
    record_event("batch.member_added", batch, {"kpj": membership.kpj, "worker": worker.id})
    return membership


def eligible_for_renewal(batch: FundedBatch, today: date | None = None) -> list[Membership]:
    """Members still eligible (see the module rules); works before and after the batch ends."""
    today = today or _today()
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


def renew(
    batch: FundedBatch,
    *,
    name: str,
    funder_name: str,
    period_start: date,
    period_end: date,
    quota: int,
    monthly_premium: int,
    actor: User,
) -> tuple[FundedBatch, int]:
    """Create the next batch and carry the still-eligible members into it.

    Also after the batch has ended (late renewal): members ended with it are carried and
    become active again. Who: BPJS officer or head. Raises BpjsError if the batch was
    already renewed, the new period starts before the old one ends, or the eligible members
    exceed the new quota.
    Returns (new batch, members carried).
    """
    already = db.session.scalar(
        select(FundedBatch.id).where(FundedBatch.renewed_from_id == batch.id)
    )
    if already is not None:
        raise BpjsError(_("This batch has already been renewed."))
    if period_start <= batch.period_end:
        raise BpjsError(_("The new period must start after the current one ends."), "period_start")
    carried = eligible_for_renewal(batch)
    if len(carried) > quota:
        raise BpjsError(
            _("%(n)d members are still eligible: the quota must be at least that.", n=len(carried)),
            "quota",
        )
    try:
        with db.session.begin_nested():
            new = create_batch(
                name=name,
                funder_type=batch.funder_type,
                funder_name=funder_name,
                category=batch.category,
                period_start=period_start,
                period_end=period_end,
                quota=quota,
                monthly_premium=monthly_premium,
                actor=actor,
                renewed_from=batch,
            )
    except IntegrityError:
        # Another officer renewed it at the same moment (unique renewed_from_id).
        raise BpjsError(_("This batch has already been renewed.")) from None
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
        raise BpjsError(_("A member was changed by someone else. Try again.")) from None
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
