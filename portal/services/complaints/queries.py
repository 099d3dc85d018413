"""What the complaint pages list and open, and who may see which complaint and reporter.

Row scoping is decided here, once:
- staff: the labour office (which verifies every report) sees every complaint; other staff
  see their own agency's complaints only (`scope_complaints`);
- a reporter sees a complaint they submitted with their account, or whose tracking code and
  contact this browser proved (`load_for_reporter`);
- the reporter's name, phone and email reach a staff page only when `can_see_identity`
  allows it (`StaffView.reporter`).
A complaint the user may not see is "not found" (404), never "forbidden".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import defer, joinedload, selectinload

from ...domain.clock import today_wib
from ...extensions import db
from ...models import (
    Complaint,
    ComplaintAttachment,
    ComplaintEvent,
    Notification,
    User,
)
from ..access import one_or_404
from ..errors import NotFound
from ..pages import page_of
from ..reference.lookups import working_calendar
from .oversight import awaiting_triage
from .reporter import ReporterSteps, reporter_steps
from .sla import DONE_STATES, FINAL_STATES, SlaStatus, sla_status
from .workflow import StaffSteps, can_see_identity, can_triage, staff_steps

# --- Staff ---------------------------------------------------------------------------------


def scope_complaints(stmt: Select, user: User) -> Select:
    """Labour office: every complaint. Other staff: their agency's complaints only."""
    if can_triage(user):
        return stmt
    return stmt.where(Complaint.agency_id == user.agency_id)


def load_for_staff(complaint_id: int, user: User) -> Complaint:
    """The complaint with its timeline and attachments (not their bytes); NotFound when it
    does not exist or `user` may not see it."""
    return one_or_404(
        scope_complaints(select(Complaint).where(Complaint.id == complaint_id), user).options(
            joinedload(Complaint.category),
            joinedload(Complaint.agency),
            joinedload(Complaint.assignee),
            selectinload(Complaint.events).joinedload(ComplaintEvent.actor_agency),
            selectinload(Complaint.attachments).options(defer(ComplaintAttachment.data)),
        )
    )


def load_attachment(complaint_id: int, attachment_id: int, user: User) -> ComplaintAttachment:
    """One attachment of a complaint `user` may see; NotFound otherwise."""
    visible = db.session.scalar(
        scope_complaints(select(Complaint.id).where(Complaint.id == complaint_id), user)
    )
    attachment = db.session.scalar(
        select(ComplaintAttachment).where(
            ComplaintAttachment.id == attachment_id,
            ComplaintAttachment.complaint_id == complaint_id,
        )
    )
    if visible is None or attachment is None:
        raise NotFound()
    return attachment


def queue_page(
    user: User,
    *,
    state: str | None = None,
    category: str | None = None,
    mine: bool = False,
    page: object = 1,
) -> Pagination:
    """The staff queue, nearest deadline first.

    The labour office sees its own agency's complaints plus every report awaiting triage;
    other staff their agency's. Without a `state`, complaints in a final state are left out.
    """
    stmt = select(Complaint)
    if can_triage(user):
        stmt = stmt.where(or_(Complaint.agency_id == user.agency_id, awaiting_triage()))
    else:
        stmt = scope_complaints(stmt, user)
    if state:
        stmt = stmt.where(Complaint.state == state)
    else:
        stmt = stmt.where(Complaint.state.not_in([s.value for s in FINAL_STATES]))
    if category:
        stmt = stmt.where(Complaint.category_code == category)
    if mine:
        stmt = stmt.where(Complaint.assignee_id == user.id)
    stmt = stmt.options(
        joinedload(Complaint.category),
        joinedload(Complaint.agency),
        joinedload(Complaint.assignee),
    ).order_by(Complaint.sla_due.is_(None), Complaint.sla_due, Complaint.id)
    return page_of(stmt, page)


def sla_of(complaint: Complaint) -> SlaStatus:
    """Where the complaint stands against its deadline today."""
    return sla_status(complaint, today_wib(), working_calendar())


def sla_statuses(complaints: Iterable[Complaint]) -> dict[int, SlaStatus]:
    """Each complaint's SLA status today, by id (for a list page)."""
    today, cal = today_wib(), working_calendar()
    return {c.id: sla_status(c, today, cal) for c in complaints}


@dataclass(frozen=True)
class Reporter:
    """Who reported a complaint, as a staff member may see it."""

    name: str
    phone: str | None
    email: str | None
    asked_hidden: bool


@dataclass(frozen=True)
class StaffView:
    """A complaint's staff page: its deadline, the steps offered and the reporter (None when
    hidden from this user)."""

    sla: SlaStatus
    steps: StaffSteps
    reporter: Reporter | None


def staff_view(complaint: Complaint, user: User) -> StaffView:
    reporter = None
    if can_see_identity(user, complaint):
        reporter = Reporter(
            complaint.reporter_name,
            complaint.reporter_phone,
            complaint.reporter_email,
            complaint.hide_identity,
        )
    return StaffView(sla_of(complaint), staff_steps(complaint, user), reporter)


# --- The reporter --------------------------------------------------------------------------


def load_for_reporter(code: str, user: User | None, proven_ids: Iterable[int]) -> Complaint:
    """The complaint with tracking `code` if `user` submitted it or its id is among those this
    browser proved with code + contact (`proven_ids`); NotFound otherwise."""
    complaint = db.session.scalar(
        select(Complaint)
        .where(Complaint.tracking_code == code)
        .options(joinedload(Complaint.category), joinedload(Complaint.agency))
    )
    if complaint is None:
        raise NotFound()
    own = user is not None and complaint.reporter_user_id == user.id
    if not own and complaint.id not in list(proven_ids):
        raise NotFound()
    return complaint


@dataclass(frozen=True)
class TrackingView:
    """The reporter's page: public timeline, deadline, the agency's answer, steps offered."""

    events: list[ComplaintEvent]
    sla: SlaStatus
    answer: str | None
    steps: ReporterSteps


def tracking_view(complaint: Complaint) -> TrackingView:
    events = db.session.scalars(
        select(ComplaintEvent)
        .where(ComplaintEvent.complaint_id == complaint.id, ComplaintEvent.public.is_(True))
        .options(selectinload(ComplaintEvent.actor_agency))
        .order_by(ComplaintEvent.id)
    ).all()
    answer = complaint.resolution if complaint.state in DONE_STATES else None
    return TrackingView(list(events), sla_of(complaint), answer, reporter_steps(complaint))


def reported_page(user: User, page: object = 1) -> Pagination:
    """The complaints `user` submitted with their account, newest first."""
    stmt = (
        select(Complaint)
        .where(Complaint.reporter_user_id == user.id)
        .options(joinedload(Complaint.category), joinedload(Complaint.agency))
        .order_by(Complaint.submitted_at.desc(), Complaint.id.desc())
    )
    return page_of(stmt, page)


# --- Staff notifications ---------------------------------------------------------------------


def notification_page(user: User, page: object = 1) -> Pagination:
    """`user`'s own notifications, unread first, newest first."""
    stmt = (
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.read_at.is_not(None), Notification.id.desc())
    )
    return page_of(stmt, page)
