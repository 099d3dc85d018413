"""Service performance: complaints per category and agency, on-time rate, overdue, reprimands.

Counting rules:
- received: complaints submitted in the window (WIB months);
- resolved on time: of those, resolved (`resolved_at` set) on or before the WIB date of
  their `sla_due`;
- open late: of those, still open and already past their deadline (`oversight.overdue`):
  they are late whatever happens next, so the on-time rate is
  on time ÷ (resolved + open late) — an open complaint 7 working days late is not hidden
  behind a 100% rate;
- open overdue (today, whatever the window): not resolved, closed or rejected, and `sla_due`
  before today;
- reprimands: issued in the window, and of those how many were answered (`responded_at`)
  and closed (`closed_at`), by addressed agency.
Complaints are about agencies, not places, so the kecamatan filter does not apply here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, select

from ...domain.clock import today_wib
from ...extensions import db
from ...models import Agency, Complaint, ComplaintCategory, Reprimand, ReprimandState
from ..coverage.periods import Month, wib_date
from ..reprimands.workflow import AWAITING_ANSWER
from .oversight import overdue as past_deadline
from .oversight import overdue_filter


@dataclass
class ComplaintRow:
    agency: str
    category: str
    received: int = 0
    resolved: int = 0
    on_time: int = 0
    open_overdue: int = 0
    open_late: int = 0  # received in the window, still open and past the deadline

    @property
    def on_time_pct(self) -> float | None:
        decided = self.resolved + self.open_late
        return 100.0 * self.on_time / decided if decided else None


@dataclass
class ReprimandRow:
    agency: str
    issued: int = 0
    answered: int = 0
    closed: int = 0
    open_overdue: int = 0


@dataclass
class ServiceReport:
    complaints: list[ComplaintRow]
    reprimands: list[ReprimandRow]
    totals: ComplaintRow = field(default_factory=lambda: ComplaintRow("", ""))

    @property
    def on_time_pct(self) -> float | None:
        return self.totals.on_time_pct


def _names(lang: str) -> tuple[dict[int, str], dict[str, str]]:
    agencies = dict(db.session.execute(select(Agency.id, Agency.short_name)).all())
    cats = {
        code: (name_en if lang == "en" else name_id)
        for code, name_id, name_en in db.session.execute(
            select(ComplaintCategory.code, ComplaintCategory.name_id, ComplaintCategory.name_en)
        )
    }
    return agencies, cats


def service_report(months: list[Month], lang: str = "id") -> ServiceReport:
    """Complaint and reprimand figures for the window (read-only, five queries)."""
    start, stop = months[0].start_utc, months[-1].shift(1).start_utc
    agencies, cats = _names(lang)
    today = today_wib()
    rows: dict[tuple[int, str], ComplaintRow] = {}

    def row(agency_id: int, category: str) -> ComplaintRow:
        key = (agency_id, category)
        if key not in rows:
            rows[key] = ComplaintRow(agencies.get(agency_id, "?"), cats.get(category, category))
        return rows[key]

    resolved = Complaint.resolved_at.is_not(None)
    on_time = and_(resolved, wib_date(Complaint.resolved_at) <= Complaint.sla_due)
    received = (
        select(
            Complaint.agency_id,
            Complaint.category_code,
            func.count(),
            func.sum(case((resolved, 1), else_=0)),
            func.sum(case((on_time, 1), else_=0)),
            func.sum(case((past_deadline(today), 1), else_=0)),
        )
        .where(Complaint.submitted_at >= start, Complaint.submitted_at < stop)
        .group_by(Complaint.agency_id, Complaint.category_code)
    )
    for agency_id, category, n, n_resolved, n_on_time, n_late in db.session.execute(received):
        r = row(agency_id, category)
        r.received, r.resolved, r.on_time = n, n_resolved or 0, n_on_time or 0
        r.open_late = n_late or 0
    # The labour office's definition: open and running (a complaint waiting for its
    # reporter is paused, not overdue).
    overdue = overdue_filter(
        select(Complaint.agency_id, Complaint.category_code, func.count()), today
    ).group_by(Complaint.agency_id, Complaint.category_code)
    for agency_id, category, n in db.session.execute(overdue):
        row(agency_id, category).open_overdue = n

    complaint_rows = sorted(rows.values(), key=lambda r: (r.agency, r.category))
    totals = ComplaintRow("", "")
    for r in complaint_rows:
        totals.received += r.received
        totals.resolved += r.resolved
        totals.on_time += r.on_time
        totals.open_overdue += r.open_overdue
        totals.open_late += r.open_late
    return ServiceReport(complaint_rows, _reprimands(start, stop, agencies, today), totals)


def _reprimands(start, stop, agencies: dict[int, str], today) -> list[ReprimandRow]:
    unanswered = Reprimand.state.in_([s.value for s in AWAITING_ANSWER])
    stmt = (
        select(
            Reprimand.addressed_agency_id,
            func.count(),
            func.sum(case((Reprimand.responded_at.is_not(None), 1), else_=0)),
            func.sum(case((Reprimand.closed_at.is_not(None), 1), else_=0)),
            func.sum(
                case(
                    (and_(unanswered, Reprimand.deadline < today), 1),
                    else_=0,
                )
            ),
        )
        .where(Reprimand.issued_at >= start, Reprimand.issued_at < stop)
        .where(Reprimand.state != ReprimandState.WITHDRAWN)  # taken back: never stood
        .group_by(Reprimand.addressed_agency_id)
    )
    by_agency: dict[int, ReprimandRow] = defaultdict(lambda: ReprimandRow(""))
    for agency_id, issued, answered, closed, overdue in db.session.execute(stmt):
        by_agency[agency_id] = ReprimandRow(
            agencies.get(agency_id, "?"), issued, answered or 0, closed or 0, overdue or 0
        )
    return sorted(by_agency.values(), key=lambda r: r.agency)
