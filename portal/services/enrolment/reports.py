"""Read side of the BPJS workspace: the queue query and the head's figures.

Every function here runs a fixed number of queries whatever the data size.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import joinedload

from ...domain.clock import WIB, today_wib
from ...extensions import db
from ...models import (
    AT_BPJS_STATES,
    DECIDED_STATES,
    Business,
    EnrolmentRequest,
    Region,
    Role,
    User,
)
from ...models._common import utcnow
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
) -> Select:
    """Enrolment requests filtered in SQL, soonest deadline first (each filter is indexed).

    `business` is a 13-digit NIB (exact) or the start of a business name.
    """
    stmt = select(EnrolmentRequest).options(
        joinedload(EnrolmentRequest.worker),
        joinedload(EnrolmentRequest.business),
        joinedload(EnrolmentRequest.assignee),
    )
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
        stmt = stmt.where(EnrolmentRequest.business_id.in_(in_kecamatan))
    if category:
        stmt = stmt.where(EnrolmentRequest.category == category)
    if overdue:
        stmt = stmt.where(EnrolmentRequest.state.in_(OPEN), EnrolmentRequest.sla_due < today_wib())
    if mine_id is not None:
        stmt = stmt.where(EnrolmentRequest.assignee_id == mine_id)
    return stmt.order_by(
        case((EnrolmentRequest.sla_due.is_(None), 1), else_=0),
        EnrolmentRequest.sla_due,
        EnrolmentRequest.id,
    )


def kecamatan_choices() -> list[tuple[str, str]]:
    rows = db.session.execute(
        select(Region.code, Region.name).where(Region.level == "kecamatan").order_by(Region.name)
    )
    return [(code, name) for code, name in rows]


def kelurahan_choices() -> list[tuple[str, str]]:
    rows = db.session.execute(
        select(Region.code, Region.name).where(Region.level == "kelurahan").order_by(Region.name)
    )
    return [(code, name) for code, name in rows]


def bpjs_staff() -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.role.in_([Role.BPJS_OFFICER.value, Role.BPJS_HEAD.value]), User.active)
            .order_by(User.name)
        )
    )


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


def _wib_date(moment: datetime) -> date:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(WIB).date()


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
    since = utcnow() - timedelta(days=STATS_WINDOW_DAYS)
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
        days = calendar.working_days_between(_wib_date(submitted_at), _wib_date(decided_at))
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
