"""Complaint deadlines in working days: the one SLA computation pages and the sweep share.

Rules (all days are WIB calendar days, counted with `WorkingCalendar`):

- The labour office must verify within `complaint_verify_working_days` (3) working days of
  submission: `verify_due = add_working_days(submitted day, 3)`.
- The resolution clock starts the day the concerned agency becomes responsible (verification,
  or re-routing to another agency): `sla_started_on = that day`,
  `sla_due = add_working_days(sla_started_on, category.sla_working_days)`.
- Waiting for the reporter pauses the clock. On resume, the working days after the pause day
  up to and including the resume day (`working_days_between(paused day, resume day)`) are
  added to `sla_due` and to `paused_working_days`. Pausing and resuming on the same day costs
  nothing; pausing on Monday and resuming on Wednesday moves the deadline two working days.
  A reopened complaint's time spent as "resolved" (with the reporter) counts as paused too.
- Budget = working days from `sla_started_on` to `sla_due` minus the days paused (the
  category's days when the clock started). Elapsed = working days from `sla_started_on` to
  today (or the resolution day) minus the days paused, including a pause still running.
- Escalation ladder: at 75% of the budget elapsed → reminder to the assignee (level 1);
  past `sla_due` → the agency head (level 2); overdue by `ESCALATE_TO_LABOUR_AFTER` (2) or
  more working days → the labour office's oversight list (level 3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ...domain.calendar import WorkingCalendar
from ...domain.clock import wib_day
from ...models import Complaint, ComplaintState

REMINDER_FRACTION = (3, 4)  # 75 % of the budget
ESCALATE_TO_LABOUR_AFTER = 2  # working days overdue before the labour office's list
#: The escalation level of a complaint on the labour office's oversight list.
LABOUR_OFFICE_LEVEL = 3

TRIAGE_STATES = frozenset({ComplaintState.SUBMITTED, ComplaintState.ON_HOLD})
#: States in which the agency's resolution clock runs (or is paused).
OPEN_STATES = frozenset(
    {
        ComplaintState.VERIFIED,
        ComplaintState.REROUTED,
        ComplaintState.ASSIGNED,
        ComplaintState.IN_PROGRESS,
        ComplaintState.WAITING_REPORTER,
        ComplaintState.REOPENED,
    }
)
DONE_STATES = frozenset({ComplaintState.RESOLVED, ComplaintState.CLOSED})
#: Nothing more happens: no step leads out of these (the queue's "all open" hides them).
FINAL_STATES = frozenset({ComplaintState.CLOSED, ComplaintState.REJECTED})


@dataclass(frozen=True)
class SlaStatus:
    """Where a complaint stands against its deadline on a given day.

    `code` is one of: triage, verify_overdue, on_track, due_soon, overdue, escalated, paused,
    met, missed, none (rejected, or never started).
    """

    code: str
    due: date | None
    budget: int = 0
    elapsed: int = 0
    days_overdue: int = 0

    @property
    def level(self) -> int:
        """The escalation level this status calls for (0 none … 3 labour office)."""
        return {"due_soon": 1, "overdue": 2, "escalated": LABOUR_OFFICE_LEVEL}.get(self.code, 0)

    @property
    def is_late(self) -> bool:
        return self.code in {"overdue", "escalated", "missed", "verify_overdue"}


def start_clock(complaint: Complaint, day: date, days: int, cal: WorkingCalendar) -> None:
    """The concerned agency is responsible from `day`: set the resolution deadline.

    A new clock (first assignment, or re-routed to another agency) starts a new escalation
    cycle: reminders and escalation apply to it afresh.
    """
    complaint.sla_started_on = day
    complaint.sla_due = cal.add_working_days(day, days)
    complaint.paused_working_days = 0
    complaint.paused_since = None
    complaint.escalation_level = 0


def pause_clock(complaint: Complaint, now: datetime) -> None:
    complaint.paused_since = now


def resume_clock(complaint: Complaint, now: datetime, cal: WorkingCalendar) -> int:
    """End a pause: move the deadline by the working days paused. Returns those days."""
    if complaint.paused_since is None or complaint.sla_due is None:
        complaint.paused_since = None
        return 0
    paused = cal.working_days_between(wib_day(complaint.paused_since), wib_day(now))
    complaint.sla_due = cal.add_working_days(complaint.sla_due, paused)
    complaint.paused_working_days += paused
    complaint.paused_since = None
    return paused


def sla_status(complaint: Complaint, today: date, cal: WorkingCalendar) -> SlaStatus:
    """The complaint's SLA state on `today` (pure: reads the row, changes nothing)."""
    state = complaint.state
    if state in TRIAGE_STATES:
        due = complaint.verify_due
        if due is not None and today > due:
            return SlaStatus(
                "verify_overdue", due, days_overdue=cal.working_days_between(due, today)
            )
        return SlaStatus("triage", due)
    if complaint.sla_due is None or complaint.sla_started_on is None:
        return SlaStatus("none", None)
    start, due = complaint.sla_started_on, complaint.sla_due
    budget = cal.working_days_between(start, due) - complaint.paused_working_days
    if state in DONE_STATES and complaint.resolved_at is not None:
        done = wib_day(complaint.resolved_at)
        elapsed = cal.working_days_between(start, done) - complaint.paused_working_days
        code = "met" if done <= due else "missed"
        return SlaStatus(code, due, budget, max(elapsed, 0), cal.working_days_between(due, done))
    if state not in OPEN_STATES:
        return SlaStatus("none", None)
    running_pause = 0
    if complaint.paused_since is not None:
        running_pause = cal.working_days_between(wib_day(complaint.paused_since), today)
    effective_due = cal.add_working_days(due, running_pause)
    elapsed = max(
        cal.working_days_between(start, today) - complaint.paused_working_days - running_pause, 0
    )
    if complaint.paused_since is not None:
        return SlaStatus("paused", effective_due, budget, elapsed)
    if today > effective_due:
        late = cal.working_days_between(effective_due, today)
        code = "escalated" if late >= ESCALATE_TO_LABOUR_AFTER else "overdue"
        return SlaStatus(code, effective_due, budget, elapsed, late)
    num, den = REMINDER_FRACTION
    if budget > 0 and elapsed * den >= budget * num:
        return SlaStatus("due_soon", effective_due, budget, elapsed)
    return SlaStatus("on_track", effective_due, budget, elapsed)
