"""Labour-office oversight: the lists, counts and filters over every agency's complaints, and
per-agency on-time rate and median working days.

Each set the labour office watches is defined once here, as an SQL condition, and used by
the start page's counts, the oversight filters, the overdue list and the SLA sweep alike:
- awaiting triage: submitted or on hold (`sla.TRIAGE_STATES`);
- verification late: awaiting triage past `verify_due`;
- overdue: open, running (not paused) and past `sla_due` — what `sla_status` calls overdue;
- escalated (on the oversight list): overdue and raised by the sweep to the labour office's
  level (`sla.LABOUR_OFFICE_LEVEL`).

The performance query fetches the few columns needed for complaints resolved in the period;
the working-day arithmetic (which SQL cannot do: holidays) runs in Python with the same
calendar and rules as `sla.sla_status`, so the page runs a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from statistics import median

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.orm import joinedload

from ...domain.clock import WIB, today_wib, wib_day
from ...extensions import db
from ...models import Agency, Complaint, ComplaintState
from ..audit.trail import record_event
from ..pages import page_of
from ..reference.lookups import working_calendar
from .sla import LABOUR_OFFICE_LEVEL, OPEN_STATES, TRIAGE_STATES


@dataclass(frozen=True)
class AgencyPerformance:
    agency: Agency
    resolved: int
    on_time: int
    median_days: float | None
    open_late: int = 0  # open, past a deadline that fell in the period

    @property
    def on_time_rate(self) -> float | None:
        """On time ÷ (resolved + open and already late): see `performance`."""
        decided = self.resolved + self.open_late
        return round(100 * self.on_time / decided, 1) if decided else None


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return (
        datetime.combine(start, time.min, WIB),
        datetime.combine(end + timedelta(days=1), time.min, WIB),
    )


def agency_performance(start: date, end: date) -> list[AgencyPerformance]:
    """Complaints resolved between `start` and `end` (WIB days, inclusive), per agency."""
    low, high = _bounds(start, end)
    agencies = list(db.session.scalars(select(Agency).order_by(Agency.short_name)))
    rows = db.session.execute(
        select(
            Complaint.agency_id,
            Complaint.sla_started_on,
            Complaint.sla_due,
            Complaint.resolved_at,
            Complaint.paused_working_days,
        ).where(
            Complaint.resolved_at >= low,
            Complaint.resolved_at < high,
            Complaint.sla_started_on.is_not(None),
        )
    ).all()
    late_open = dict(
        db.session.execute(
            select(Complaint.agency_id, func.count())
            .where(overdue(today_wib()), Complaint.sla_due >= start, Complaint.sla_due <= end)
            .group_by(Complaint.agency_id)
        ).all()
    )
    cal = working_calendar()
    days: dict[int, list[int]] = {}
    on_time: dict[int, int] = {}
    for agency_id, started, due, resolved_at, paused in rows:
        done = wib_day(resolved_at)
        days.setdefault(agency_id, []).append(
            max(cal.working_days_between(started, done) - paused, 0)
        )
        on_time[agency_id] = on_time.get(agency_id, 0) + (1 if done <= due else 0)
    return [
        AgencyPerformance(
            agency=a,
            resolved=len(days.get(a.id, [])),
            on_time=on_time.get(a.id, 0),
            median_days=median(days[a.id]) if days.get(a.id) else None,
            open_late=late_open.get(a.id, 0),
        )
        for a in agencies
    ]


# --- The sets the labour office watches, defined once --------------------------------------


def awaiting_triage() -> ColumnElement[bool]:
    """Submitted or on hold: the labour office has not verified it yet."""
    return Complaint.state.in_([s.value for s in TRIAGE_STATES])


def verify_late(today: date) -> ColumnElement[bool]:
    """Awaiting triage past the verification deadline."""
    return and_(awaiting_triage(), Complaint.verify_due < today)


def overdue(today: date) -> ColumnElement[bool]:
    """Open, running (not paused) complaints past their deadline — `sla_status` overdue."""
    running = [s.value for s in OPEN_STATES if s != ComplaintState.WAITING_REPORTER]
    return and_(Complaint.state.in_(running), Complaint.sla_due < today)


def escalated(today: date) -> ColumnElement[bool]:
    """On the labour office's oversight list: overdue and escalated to its level.

    The start page used to count "escalated" as level 3 and not resolved, closed or rejected
    (so also paused complaints and ones whose deadline had moved); the oversight filter as
    overdue and level 3. They disagreed; the stricter one (the filter's) is kept for both.
    """
    return and_(overdue(today), Complaint.escalation_level >= LABOUR_OFFICE_LEVEL)


def overdue_filter(stmt: Select, today: date) -> Select:
    """`stmt` restricted to overdue complaints (see `overdue`)."""
    return stmt.where(overdue(today))


@dataclass(frozen=True)
class StartCounts:
    """The labour office's start page: what waits for it."""

    triage: int
    verify_late: int
    overdue: int
    escalated: int


def start_counts(today: date | None = None) -> StartCounts:
    """Complaints awaiting triage (and of those, late), overdue (and of those, escalated)."""
    today = today or today_wib()
    row = db.session.execute(
        select(
            func.count().filter(awaiting_triage()),
            func.count().filter(verify_late(today)),
            func.count().filter(overdue(today)),
            func.count().filter(escalated(today)),
        ).select_from(Complaint)
    ).one()
    return StartCounts(*row)


# --- The oversight list and its export ---------------------------------------------------------

#: The deadline filters of the oversight list.
SLA_FILTERS = ("triage", "overdue", "escalated", "paused", "verify_overdue")
EXPORT_LIMIT = 20_000


@dataclass(frozen=True)
class OversightFilter:
    """The oversight list's filters: agency code, complaint state, one of `SLA_FILTERS`."""

    agency: str | None = None
    state: str | None = None
    sla: str | None = None


def _with_people(stmt: Select) -> Select:
    return stmt.options(
        joinedload(Complaint.category),
        joinedload(Complaint.agency),
        joinedload(Complaint.assignee),
    )


def oversight_statement(flt: OversightFilter, today: date | None = None) -> Select:
    """Every agency's complaints under the filters, newest first (the labour office sees all)."""
    today = today or today_wib()
    stmt = select(Complaint)
    if flt.agency:
        stmt = stmt.join(Agency, Complaint.agency_id == Agency.id).where(Agency.code == flt.agency)
    if flt.state:
        stmt = stmt.where(Complaint.state == flt.state)
    if flt.sla == "triage":
        stmt = stmt.where(awaiting_triage())
    elif flt.sla == "overdue":
        stmt = stmt.where(overdue(today))
    elif flt.sla == "escalated":
        stmt = stmt.where(escalated(today))
    elif flt.sla == "paused":
        stmt = stmt.where(Complaint.state == ComplaintState.WAITING_REPORTER.value)
    elif flt.sla == "verify_overdue":
        stmt = stmt.where(verify_late(today))
    return stmt.order_by(Complaint.submitted_at.desc(), Complaint.id.desc())


def oversight_page(flt: OversightFilter, page: object = 1) -> Pagination:
    return page_of(_with_people(oversight_statement(flt)), page)


def export_oversight(flt: OversightFilter, fmt: str, filters: dict) -> list[Complaint]:
    """The filtered list for a download (at most EXPORT_LIMIT rows), and who downloaded it.

    Exports carry staff names: who exported what is kept (personal data law). The caller
    commits.
    """
    items = db.session.scalars(_with_people(oversight_statement(flt)).limit(EXPORT_LIMIT)).all()
    record_event(
        "complaints.exported", None, {"format": fmt, "rows": len(items), "filters": filters}
    )
    return list(items)


def overdue_page(page: object = 1) -> Pagination:
    """Overdue complaints, the most escalated first, then by deadline."""
    stmt = overdue_filter(select(Complaint), today_wib()).order_by(
        Complaint.escalation_level.desc(), Complaint.sla_due, Complaint.id
    )
    return page_of(_with_people(stmt), page)
