"""Labour-office oversight figures: per-agency on-time rate and median working days.

One query fetches the few columns needed for complaints resolved in the period; the
working-day arithmetic (which SQL cannot do: holidays) runs in Python with the same
calendar and rules as `sla.sla_status`, so the page runs a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from statistics import median

from sqlalchemy import Select, select

from ...domain.clock import WIB, wib_day
from ...extensions import db
from ...models import Agency, Complaint, ComplaintState
from ..reference.lookups import working_calendar
from .sla import OPEN_STATES


@dataclass(frozen=True)
class AgencyPerformance:
    agency: Agency
    resolved: int
    on_time: int
    median_days: float | None

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.on_time / self.resolved, 1) if self.resolved else None


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
        )
        for a in agencies
    ]


def overdue_filter(stmt: Select, today: date) -> Select:
    """Open, running (not paused) complaints past their deadline — `sla_status` overdue."""
    running = [s.value for s in OPEN_STATES if s != ComplaintState.WAITING_REPORTER]
    return stmt.where(Complaint.state.in_(running), Complaint.sla_due < today)
