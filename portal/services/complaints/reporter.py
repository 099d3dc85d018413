"""The reporter's steps: answer the agency's question, confirm the resolution, or reopen.

The reporter is anyone who proved the tracking code + contact pair (public) or the logged-in
account that submitted the complaint; the views check that before calling these. Like every
workflow step they check `domain.workflow.COMPLAINT`, add a public timeline event and an
audit event, and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ...models import Complaint, User
from ...models._common import utcnow
from ..reference.lookups import working_calendar
from . import sla
from .workflow import ComplaintActionError, S, move_state, require_text, tell_staff


def reporter_reply(complaint: Complaint, text: str | None, user: User | None = None) -> None:
    """The reporter answers the agency's question: the clock resumes (→ in progress).

    The answer is a public timeline event; the deadline moves by the working days the
    complaint waited (`sla.resume_clock`), and the assignee is told the clock runs again.
    Raises ComplaintActionError when nothing was asked or the answer is empty.
    """
    body = require_text(text, "note", _l("Write your answer."))
    if not can_reply(complaint):
        raise ComplaintActionError(
            "note", str(_l("The agency is not waiting for an answer from you."))
        )
    now = utcnow()
    move_state(
        complaint, S.IN_PROGRESS, actor=user if _is_reporter(user) else None, note=body, now=now
    )
    sla.resume_clock(complaint, now, working_calendar())
    if complaint.assignee is not None:
        tell_staff(
            complaint.assignee,
            complaint,
            _l(
                "The reporter answered your question on complaint %(code)s.",
                code=complaint.tracking_code,
            ),
        )


def confirm(complaint: Complaint, user: User | None = None) -> None:
    """The reporter accepts the resolution: the complaint is closed."""
    if not can_decide(complaint):
        raise ComplaintActionError("note", str(_l("Only a resolved complaint can be confirmed.")))
    move_state(complaint, S.CLOSED, actor=user if _is_reporter(user) else None)
    complaint.closed_at = utcnow()


def reopen(complaint: Complaint, reason: str | None, user: User | None = None) -> None:
    """The reporter is not satisfied: back to the agency with a reason.

    The days the complaint sat resolved count as paused (they were the reporter's), so the
    deadline moves by them. Raises ComplaintActionError when the complaint was never resolved
    or no reason is given.
    """
    if not can_decide(complaint):
        raise ComplaintActionError("note", str(_l("Only a resolved complaint can be reopened.")))
    body = require_text(reason, "note", _l("Say why the answer does not solve the problem."))
    now = utcnow()
    move_state(
        complaint, S.REOPENED, actor=user if _is_reporter(user) else None, note=body, now=now
    )
    if complaint.resolved_at is not None and complaint.sla_due is not None:
        cal = working_calendar()
        days = cal.working_days_between(sla.wib_day(complaint.resolved_at), sla.wib_day(now))
        complaint.sla_due = cal.add_working_days(complaint.sla_due, days)
        complaint.paused_working_days += days
    complaint.resolved_at = None
    # The agency works it again against the moved deadline: a new escalation cycle.
    complaint.escalation_level = 0
    if complaint.assignee is not None:
        tell_staff(
            complaint.assignee,
            complaint,
            _l("Complaint %(code)s was reopened by the reporter.", code=complaint.tracking_code),
        )


def can_reply(complaint: Complaint) -> bool:
    """The agency asked the reporter something and waits for the answer."""
    return complaint.state == S.WAITING_REPORTER


def can_decide(complaint: Complaint) -> bool:
    """The complaint is resolved: the reporter may confirm it (closed) or reopen it."""
    return complaint.state == S.RESOLVED


@dataclass(frozen=True)
class ReporterSteps:
    """What the tracking page offers the reporter now."""

    reply: bool
    decide: bool  # confirm or reopen

    @property
    def any(self) -> bool:
        return self.reply or self.decide


def reporter_steps(complaint: Complaint) -> ReporterSteps:
    return ReporterSteps(reply=can_reply(complaint), decide=can_decide(complaint))


def _is_reporter(user: User | None) -> bool:
    return user is not None and user.is_authenticated and user.agency_id is None
