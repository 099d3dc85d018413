"""Funded batches (APBD / CSR): creation, members, budget; renewal is in `bpjs_batch_renewal`.

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
  is flagged as overdue and can still be renewed late.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from ...domain.clock import today_wib
from ...extensions import db
from ...models import (
    FundedBatch,
    FundedBatchMember,
    Membership,
    MembershipState,
    User,
    Worker,
    WorkerCategory,
)
from ..audit.trail import add_recorded, record_events
from ..membership.common import BpjsError, issued_kpj, months_between
from ..saving import update_rows

RENEWAL_WINDOW_DAYS = 30
#: The worker categories a funded batch covers.
FUNDED_CATEGORIES = (WorkerCategory.RENTAN.value, WorkerCategory.SAWIT.value)
DEFAULT_PREMIUM = 16_800
FUNDED_DECLARED_INCOME = 1_000_000  # JKK + JKM on Rp 1,000,000 = Rp 16,800


def period_months(start: date, end: date) -> int:
    return len(months_between(start, end))


def compute_budget(quota: int, premium: int, start: date, end: date) -> int:
    return quota * premium * period_months(start, end)


def needs_renewal(batch: FundedBatch, today: date | None = None) -> bool:
    """The batch ends within RENEWAL_WINDOW_DAYS (renew it before the members lose cover)."""
    today = today or today_wib()
    return today <= batch.period_end <= today + timedelta(days=RENEWAL_WINDOW_DAYS)


def renewal_overdue(batch: FundedBatch, today: date | None = None) -> bool:
    """The batch has ended (a late renewal still carries its eligible members)."""
    return batch.period_end < (today or today_wib())


@dataclass
class BatchFigures:
    members: int = 0
    used: int = 0

    def remaining(self, batch: FundedBatch) -> int:
        return batch.budget - self.used


def figures_for(batch_ids: list[int], today: date | None = None) -> dict[int, BatchFigures]:
    """Members and budget used for these batches, from one query over member rows."""
    today = today or today_wib()
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


@dataclass(frozen=True)
class BatchTerms:
    """What a funded batch is: who pays, for whom, when, how many, at what premium."""

    name: str
    funder_type: str
    funder_name: str
    category: str
    period_start: date
    period_end: date
    quota: int
    monthly_premium: int


BATCH_FIELDS = tuple(field.name for field in fields(BatchTerms))


def create_batch(
    terms: BatchTerms, actor: User, renewed_from: FundedBatch | None = None
) -> FundedBatch:
    """Create a funded batch; the budget is computed from quota, premium and period.

    Who: BPJS officer or head. Raises BpjsError for a period ending before it starts, a
    quota or premium not above zero.
    """
    period_start, period_end = terms.period_start, terms.period_end
    quota, monthly_premium = terms.quota, terms.monthly_premium
    if period_end < period_start:
        raise BpjsError("period_end", _("The period must end after it starts."))
    if quota <= 0:
        raise BpjsError("quota", _("The quota must be above zero."))
    if monthly_premium <= 0:
        raise BpjsError("monthly_premium", _("The monthly premium must be above zero."))
    batch = FundedBatch(
        **asdict(terms),
        budget=compute_budget(quota, monthly_premium, period_start, period_end),
        renewed_from_id=renewed_from.id if renewed_from else None,
        created_by_id=actor.id,
    )
    return add_recorded(
        batch,
        "batch.created",
        {"name": terms.name, "funder": terms.funder_name, "quota": quota, "budget": batch.budget},
    )


def _lock_and_count(batch: FundedBatch) -> int:
    """Bump the batch row (serialising adders on PostgreSQL) and count its members."""
    update_rows(FundedBatch, FundedBatch.id == batch.id, version=FundedBatch.version + 1)
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
    if batch.period_end < today_wib():
        raise BpjsError(None, _("This batch has ended; renew it first."))
    lookup = lookup or member_lookup([nik])
    worker = lookup.workers.get(nik)
    if worker is not None and worker.id in lookup.covered:
        raise BpjsError("nik", _("This person already has a membership."))
    return worker


def add_member(batch: FundedBatch, person: NewWorker, actor: User, kpj: str | None) -> Membership:
    """Add one person to a funded batch: a worker (created if new) and a funded membership.

    The one-person form of `add_members`, with the KPJ BPJS's system issued (11 digits,
    unused; the portal never invents one). A worker with no employer is fine (vulnerable
    informal workers come this way). Who: BPJS officer or head. Raises BpjsError when the
    batch is full or ended, the person already has a membership, or the KPJ is missing, bad
    or taken; nothing is saved then.
    """
    kpj = issued_kpj(kpj)
    (added,) = add_members(batch, [person], actor, kpjs=[kpj])
    return db.session.scalar(select(Membership).where(Membership.kpj == added))


def add_members(
    batch: FundedBatch,
    people: list[NewWorker],
    actor: User,
    lines: list[int] | None = None,
    *,
    kpjs: list[str],
) -> list[str]:
    """Add people to a funded batch: all of them or none. Returns their KPJs.

    A fixed number of queries whatever the number of people (a member file): one lookup, one
    quota check under the batch lock (UPDATE … version + 1: two officers cannot both take the
    last place), and one executemany each for new workers, memberships, batch members and
    audit events. A person already registered as a worker is linked, never copied. `kpjs` are
    the numbers BPJS's system issued, one per person (checked by the caller; the unique
    constraint refuses one taken meanwhile). `lines` gives each person's line in a file for
    messages. Who: BPJS officer or head. Raises BpjsError on the first refused person, a full
    batch, or a person or KPJ taken by someone else meanwhile; the caller rolls back.
    """
    lookup = member_lookup(p.nik for p in people)
    for number, person in enumerate(people):
        try:
            check_batch_member(batch, person.nik, lookup)
        except BpjsError as exc:
            if lines is None:
                raise
            raise BpjsError(
                None, _("Line %(line)d: %(why)s", line=lines[number], why=exc.message)
            ) from None
    if _lock_and_count(batch) + len(people) > batch.quota:
        raise BpjsError(None, _("This batch is full (quota %(quota)d).", quota=batch.quota))
    new_workers = [p for p in people if p.nik not in lookup.workers]
    if new_workers:
        try:
            with db.session.begin_nested():
                db.session.execute(
                    insert(Worker.__table__),
                    [
                        {
                            "nik": p.nik,
                            "full_name": p.full_name,
                            "birth_date": p.birth_date,
                            "sex": p.sex,
                            "phone": p.phone,
                            "kelurahan_code": p.kelurahan_code,
                            "occupation": p.occupation,
                            "category": batch.category,
                        }
                        for p in new_workers
                    ],
                )
        except IntegrityError:
            # Someone registered the same NIK at this very moment.
            raise BpjsError("nik", _("This person already has a membership.")) from None
    workers = {
        w.nik: w
        for w in db.session.scalars(select(Worker).where(Worker.nik.in_([p.nik for p in people])))
    }
    start = max(batch.period_start, today_wib())
    kpjs = _insert_memberships(batch, [workers[p.nik] for p in people], start, kpjs)
    memberships = dict(
        db.session.execute(
            select(Membership.kpj, Membership.id).where(Membership.kpj.in_(kpjs))
        ).all()
    )
    db.session.execute(
        insert(FundedBatchMember.__table__),
        [
            {
                "batch_id": batch.id,
                "membership_id": memberships[kpj],
                "start_date": start,
                "end_date": batch.period_end,
                "added_by_id": actor.id,
            }
            for kpj in kpjs
        ],
    )
    record_events(
        [
            ("batch.member_added", batch, {"kpj": kpj, "worker": workers[p.nik].id})
            for p, kpj in zip(people, kpjs, strict=True)
        ]
    )
    return kpjs


def _insert_memberships(
    batch: FundedBatch, workers: list[Worker], start: date, kpjs: list[str]
) -> list[str]:
    """One funded membership per worker (one executemany); returns their KPJs."""
    if len(kpjs) != len(workers):
        raise BpjsError("kpj", _("Give the KPJ that BPJS's system issued for this enrolment."))
    try:
        with db.session.begin_nested():
            db.session.execute(
                insert(Membership.__table__),
                [
                    {
                        "worker_id": worker.id,
                        "kpj": kpj,
                        "category": batch.category,
                        "monthly_amount": FUNDED_DECLARED_INCOME,
                        "funding_source": batch.funder_type,
                        "funded_batch_id": batch.id,
                        "kelurahan_code": worker.kelurahan_code,
                        "start_date": start,
                        "end_date": batch.period_end,
                    }
                    for worker, kpj in zip(workers, kpjs, strict=True)
                ],
            )
    except IntegrityError:
        # Another enrolment took one of these numbers (or covered the worker) meanwhile.
        raise BpjsError(
            "kpj", _("A KPJ or a person in this list was registered by someone else meanwhile.")
        ) from None
    return kpjs
