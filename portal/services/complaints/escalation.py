"""The SLA sweep: reminders and escalation for open complaints (`flask sla-sweep`, cron).

Uses `sla.sla_status`, the same function the pages use, so a page and the sweep never
disagree. Ladder (see `portal.services.complaints.sla`): level 1 reminder to the assignee
(or the agency heads when nobody is assigned yet), level 2 the agency heads, level 3 the
labour office's oversight list (and its heads are told).

Reports the labour office has not verified within their 3 working days are flagged to the
labour heads once each.

Idempotent: within one deadline (a new clock or a reopening resets it), `escalation_level`
only rises, through a conditional UPDATE (`… WHERE
escalation_level < n`, rowcount checked), and every notice carries a `dedupe_key`, so running
the sweep twice — or twice at once — sends nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...domain.clock import today_wib
from ...extensions import db
from ...models import Complaint
from ..audit.trail import record_event
from ..notifications.dispatch import agency_heads, labour_heads, notify
from ..reference.lookups import working_calendar
from ..saving import update_rows
from .oversight import verify_late
from .sla import OPEN_STATES, sla_status
from .workflow import staff_link


@dataclass
class SweepReport:
    checked: int = 0
    raised: dict[int, int] = field(default_factory=dict)  # level → complaints raised to it
    notices: int = 0


def _raise_level(complaint: Complaint, level: int) -> bool:
    result = update_rows(
        Complaint,
        Complaint.id == complaint.id,
        Complaint.escalation_level < level,
        escalation_level=level,
    )
    return result == 1


def sweep(today: date | None = None) -> SweepReport:
    """Send due reminders and escalate overdue complaints; the caller commits.

    Called by `flask sla-sweep` (no user). Changes `escalation_level`, adds Notification rows
    and audit events. Raises nothing for ordinary data.
    """
    today = today or today_wib()
    cal = working_calendar()
    report = SweepReport()
    complaints = db.session.scalars(
        select(Complaint)
        .where(Complaint.state.in_([s.value for s in OPEN_STATES]), Complaint.sla_due.is_not(None))
        .options(selectinload(Complaint.assignee), selectinload(Complaint.agency))
        .order_by(Complaint.id)
    ).all()
    heads_cache: dict[int, list] = {}
    labour = None
    for complaint in complaints:
        report.checked += 1
        status = sla_status(complaint, today, cal)
        link = staff_link(complaint)
        code = complaint.tracking_code
        due = {"code": code, "due": status.due.isoformat()}
        for level in range(1, status.level + 1):
            recipients = []
            if level == 1:
                kind = "reminder"
                message = _l("Reminder: complaint %(code)s is due on %(due)s.", **due)
                recipients = [complaint.assignee] if complaint.assignee else None
                if recipients is None:
                    recipients = heads_cache.setdefault(
                        complaint.agency_id, agency_heads(complaint.agency_id)
                    )
            elif level == 2:
                kind = "overdue"
                message = _l("Complaint %(code)s is overdue (due %(due)s).", **due)
                recipients = heads_cache.setdefault(
                    complaint.agency_id, agency_heads(complaint.agency_id)
                )
            else:
                kind = "escalated"
                message = _l(
                    "Complaint %(code)s against %(agency)s is on the labour office's "
                    "oversight list.",
                    code=code,
                    agency=complaint.agency.short_name,
                )
                labour = labour if labour is not None else labour_heads()
                recipients = labour
            if complaint.escalation_level < level and _raise_level(complaint, level):
                report.raised[level] = report.raised.get(level, 0) + 1
                record_event(
                    "complaint.escalated",
                    complaint,
                    {"level": level, "sla": status.code, "due": status.due},
                    actor_label="sla-sweep",
                )
            for user in recipients:
                # Once per level and deadline: a reopened or re-routed complaint, whose
                # deadline moved, is reminded and escalated again.
                key = f"complaint:{complaint.id}:{status.due}:L{level}:u{user.id}"
                if notify(user, kind, str(message), link=link, dedupe_key=key) is not None:
                    report.notices += 1
    report.notices += _late_verifications(today)
    return report


def _late_verifications(today: date) -> int:
    """Tell the labour heads once about each report not verified within its 3 working days."""
    late = db.session.scalars(
        select(Complaint).where(verify_late(today)).order_by(Complaint.id)
    ).all()
    sent = 0
    heads = labour_heads() if late else []
    for complaint in late:
        for user in heads:
            message = _l(
                "Report %(code)s has waited for verification since %(due)s.",
                code=complaint.tracking_code,
                due=complaint.verify_due.isoformat(),
            )
            key = f"complaint:{complaint.id}:verify-late:u{user.id}"
            link = staff_link(complaint)
            if notify(user, "overdue", str(message), link=link, dedupe_key=key) is not None:
                sent += 1
    return sent
