"""Read side of the BPJS workspace: the queue, one request and its history, the workspace's
counts and the head's figures.

Every function here runs a fixed number of queries whatever the data size.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import joinedload

from ...domain.clock import now, today_wib, wib_day
from ...extensions import db
from ...models import (
    AT_BPJS_STATES,
    DECIDED_STATES,
    AuditEvent,
    Business,
    EnrolmentRequest,
    Region,
    Role,
    User,
    Worker,
)
from ..access import one_or_404
from ..pages import page_of
from ..reference.lookups import working_calendar

OPEN = tuple(s.value for s in AT_BPJS_STATES)
DECIDED = tuple(s.value for s in DECIDED_STATES)
STATS_WINDOW_DAYS = 90
STATS_MAX_ROWS = 5000


def queue_statement(
    *,
    state: str = "open",
    business: str = "",
    kecamatan: str = "",
    category: str = "",
    overdue: bool = False,
    mine_id: int | None = None,
    unclaimed: bool = False,
) -> Select:
    """The ids of the enrolment requests the filters keep, soonest deadline first (each
    filter is indexed; `queue_page` loads the rows).

    `business` is a 13-digit NIB (exact) or the start of a business name.
    """
    stmt = select(EnrolmentRequest.id)
    if state == "open":
        stmt = stmt.where(EnrolmentRequest.state.in_(OPEN))
    elif state != "all":
        stmt = stmt.where(EnrolmentRequest.state == state)
    if business:
        sub = select(Business.id)
        if business.isdigit() and len(business) == 13:
            sub = sub.where(Business.nib == business)
        else:
            sub = sub.where(Business.name.ilike(business.replace("%", "") + "%"))
        stmt = stmt.where(EnrolmentRequest.business_id.in_(sub))
    if kecamatan:
        in_kecamatan = (
            select(Business.id)
            .join(Region, Region.code == Business.kelurahan_code)
            .where(Region.parent_code == kecamatan)
        )
        # People on their own account (no business) are placed by where they live.
        own_in_kecamatan = (
            select(Worker.id)
            .join(Region, Region.code == Worker.kelurahan_code)
            .where(Region.parent_code == kecamatan)
        )
        stmt = stmt.where(
            or_(
                EnrolmentRequest.business_id.in_(in_kecamatan),
                and_(
                    EnrolmentRequest.business_id.is_(None),
                    EnrolmentRequest.worker_id.in_(own_in_kecamatan),
                ),
            )
        )
    if category:
        stmt = stmt.where(EnrolmentRequest.category == category)
    if overdue:
        stmt = stmt.where(is_waiting(), is_overdue(today_wib()))
    if mine_id is not None:
        stmt = stmt.where(EnrolmentRequest.assignee_id == mine_id)
    if unclaimed:
        stmt = stmt.where(is_waiting(), is_unclaimed())
    return stmt.order_by(
        case((EnrolmentRequest.sla_due.is_(None), 1), else_=0),
        EnrolmentRequest.sla_due,
        EnrolmentRequest.id,
    )


# The sets the BPJS start page counts and its queue lists, defined once.
def is_waiting():
    """SQL: the request waits at BPJS (submitted or in review)."""
    return EnrolmentRequest.state.in_(OPEN)


def is_unclaimed():
    """SQL: no officer holds the request."""
    return EnrolmentRequest.assignee_id.is_(None)


def is_overdue(today: date):
    """SQL: past the enrolment deadline (with `is_waiting`: overdue at BPJS)."""
    return EnrolmentRequest.sla_due < today


def queue_page(page: object = 1, **filters) -> Pagination:
    """One page of the queue (`filters` are `queue_statement`'s), soonest deadline first.

    The page's ids are taken from the requests alone, then those rows are loaded with their
    worker, business and officer (three queries, whatever the data): with the joins in the
    paged query PostgreSQL joined every open request to every worker before keeping 25, 15
    of the page's 32 ms at 100,000 workers (bench/README.md, issue 16).
    """
    pagination = page_of(queue_statement(**filters), page)
    ids = list(pagination.items)
    rows = db.session.scalars(
        select(EnrolmentRequest)
        .where(EnrolmentRequest.id.in_(ids))
        .options(
            joinedload(EnrolmentRequest.worker),
            joinedload(EnrolmentRequest.business),
            joinedload(EnrolmentRequest.assignee),
        )
    )
    by_id = {row.id: row for row in rows}
    pagination.items = [by_id[i] for i in ids if i in by_id]
    return pagination


def load_request(request_id: int) -> EnrolmentRequest:
    """One enrolment request with the people and records its page shows; NotFound if none."""
    return one_or_404(
        select(EnrolmentRequest)
        .where(EnrolmentRequest.id == request_id)
        .options(
            joinedload(EnrolmentRequest.worker),
            joinedload(EnrolmentRequest.business),
            joinedload(EnrolmentRequest.employment),
            joinedload(EnrolmentRequest.assignee),
            joinedload(EnrolmentRequest.decided_by),
        )
    )


def request_history(request_id: int) -> list[AuditEvent]:
    """What happened to a request (the audit trail's events for it), oldest first."""
    return list(
        db.session.scalars(
            select(AuditEvent)
            .options(joinedload(AuditEvent.actor))  # names, not e-mail addresses
            .where(
                AuditEvent.record_type == "EnrolmentRequest",
                AuditEvent.record_id == str(request_id),
            )
            .order_by(AuditEvent.id)
        )
    )


def overdue_requests(today: date | None = None, limit: int = 50) -> list[EnrolmentRequest]:
    """Requests waiting at BPJS past their deadline, the longest overdue first."""
    today = today or today_wib()
    return list(
        db.session.scalars(
            select(EnrolmentRequest)
            .where(EnrolmentRequest.state.in_(OPEN), EnrolmentRequest.sla_due < today)
            .options(
                joinedload(EnrolmentRequest.worker),
                joinedload(EnrolmentRequest.business),
                joinedload(EnrolmentRequest.assignee),
            )
            .order_by(EnrolmentRequest.sla_due, EnrolmentRequest.id)
            .limit(limit)
        )
    )


@dataclass(frozen=True)
class QueueCounts:
    """The workspace's landing figures: waiting to be claimed, mine in review, overdue."""

    unclaimed: int
    mine: int
    overdue: int


def queue_counts(officer_id: int, today: date | None = None) -> QueueCounts:
    """Counts over the requests waiting at BPJS, in one query."""
    today = today or today_wib()
    unclaimed, mine, overdue = db.session.execute(
        select(
            func.sum(case((is_unclaimed(), 1), else_=0)),
            func.sum(case((EnrolmentRequest.assignee_id == officer_id, 1), else_=0)),
            func.sum(case((is_overdue(today), 1), else_=0)),
        ).where(is_waiting())
    ).one()
    return QueueCounts(unclaimed or 0, mine or 0, overdue or 0)


def bpjs_staff() -> list[User]:
    """Active BPJS officers and heads by name (who may hold a request)."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.role.in_([Role.BPJS_OFFICER.value, Role.BPJS_HEAD.value]), User.active)
            .order_by(User.name)
        )
    )


def officer_choices() -> list[tuple[int, str]]:
    """(id, name) of every active BPJS officer and head, for "reassign to"."""
    return [(u.id, u.name) for u in bpjs_staff()]


def _percentile(values: list[int], pct: float) -> float | None:
    """Nearest-rank percentile (p90 of 10 values is the 9th smallest)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return float(ordered[int(rank) - 1])


@dataclass
class OfficerLoad:
    officer: User
    in_review: int = 0
    overdue: int = 0
    decided: int = 0
    days: list[int] = field(default_factory=list)

    @property
    def median(self) -> float | None:
        return statistics.median(self.days) if self.days else None

    @property
    def p90(self) -> float | None:
        return _percentile(self.days, 90)


@dataclass
class HeadFigures:
    officers: list[OfficerLoad]
    unclaimed: int
    overdue: int
    median: float | None
    p90: float | None
    decided: int
    window_days: int

    @property
    def officer_choices(self) -> list[tuple[int, str]]:
        """(id, name) of the officers in these figures (no second query for the select)."""
        return [(load.officer.id, load.officer.name) for load in self.officers]


def head_figures(today: date | None = None) -> HeadFigures:
    """Queue load per officer, overdue counts and working days from submission to decision.

    Durations use the working calendar over the decisions of the last 90 days (at most 5,000
    rows, newest first): three queries whatever the data size.
    """
    today = today or today_wib()
    staff = bpjs_staff()
    loads = {u.id: OfficerLoad(u) for u in staff}
    open_rows = db.session.execute(
        select(
            EnrolmentRequest.assignee_id,
            func.count(),
            func.sum(case((EnrolmentRequest.sla_due < today, 1), else_=0)),
        )
        .where(EnrolmentRequest.state.in_(OPEN))
        .group_by(EnrolmentRequest.assignee_id)
    ).all()
    unclaimed = 0
    overdue = 0
    for assignee_id, count, late in open_rows:
        overdue += int(late or 0)
        if assignee_id is None:
            unclaimed = int(count)
        elif assignee_id in loads:
            loads[assignee_id].in_review = int(count)
            loads[assignee_id].overdue = int(late or 0)
    since = now() - timedelta(days=STATS_WINDOW_DAYS)
    decided_rows = db.session.execute(
        select(
            EnrolmentRequest.decided_by_id,
            EnrolmentRequest.submitted_at,
            EnrolmentRequest.decided_at,
        )
        .where(
            EnrolmentRequest.state.in_(DECIDED),
            EnrolmentRequest.decided_at >= since,
            EnrolmentRequest.submitted_at.is_not(None),
        )
        .order_by(EnrolmentRequest.decided_at.desc())
        .limit(STATS_MAX_ROWS)
    ).all()
    calendar = working_calendar()
    everyone: list[int] = []
    for decided_by, submitted_at, decided_at in decided_rows:
        days = calendar.working_days_between(wib_day(submitted_at), wib_day(decided_at))
        everyone.append(days)
        if decided_by in loads:
            loads[decided_by].decided += 1
            loads[decided_by].days.append(days)
    return HeadFigures(
        officers=list(loads.values()),
        unclaimed=unclaimed,
        overdue=overdue,
        median=statistics.median(everyone) if everyone else None,
        p90=_percentile(everyone, 90),
        decided=len(everyone),
        window_days=STATS_WINDOW_DAYS,
    )
