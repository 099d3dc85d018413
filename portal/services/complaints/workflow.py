"""Moving a complaint through its workflow (after SP4N-LAPOR!), one step per function.

Who may do what:
- the labour office (labour_officer, labour_head) triages: verify, hold, re-route, reject;
- staff of the concerned agency handle: assign, start, wait for the reporter, resume,
  resolve, add notes (the labour office handles complaints against itself the same way);
- the reporter's steps (answer, confirm, reopen) live in `complaint_reporter`.

Every step checks `domain.workflow.COMPLAINT` (a step the state does not allow is refused
with a ComplaintActionError), adds a ComplaintEvent (public or internal) and an audit event,
and never commits. Concurrent edits of the same complaint are caught by the model's `version`
column (StaleDataError at flush). `staff_steps` tells a page which steps to offer, by the
same rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import has_request_context, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...domain.workflow import TransitionError, can, check
from ...extensions import db
from ...models import Agency, Complaint, ComplaintEvent, ComplaintState, Role, User
from ...models._common import utcnow
from ..audit.trail import record_event
from ..errors import NotAllowed, ServiceError
from ..notifications.dispatch import notify
from ..notifications.mailer import queue_mail
from ..reference.lookups import working_calendar
from . import sla

LABOUR_ROLES = frozenset({Role.LABOUR_OFFICER.value, Role.LABOUR_HEAD.value})
S = ComplaintState


class ComplaintActionError(ServiceError):
    """Refused input for a step; `field` is the form field the message belongs to."""


def can_triage(user: User) -> bool:
    return user.role in LABOUR_ROLES


def can_handle(user: User, complaint: Complaint) -> bool:
    return user.agency_id is not None and user.agency_id == complaint.agency_id


def can_see_identity(user: User, complaint: Complaint) -> bool:
    """Whether `user` may see the reporter's name, phone and email.

    A reporter who asked to be hidden is hidden from the agency concerned. The labour office
    (which verifies every report) still sees them — except when the complaint is about the
    labour office itself: then it is the agency concerned and sees no more than any other.
    """
    if not complaint.hide_identity:
        return True
    return can_triage(user) and user.agency_id != complaint.agency_id


def require_text(value: str | None, field: str, message) -> str:
    value = (value or "").strip()
    if not value:
        raise ComplaintActionError(field, str(message))
    if len(value) > 5000:
        raise ComplaintActionError(field, str(_l("At most 5000 characters.")))
    return value


def _event(
    complaint: Complaint,
    kind: str,
    *,
    actor: User | None,
    from_state: str | None = None,
    to_state: str | None = None,
    note: str | None = None,
    public: bool = False,
    now: datetime | None = None,
) -> ComplaintEvent:
    event = ComplaintEvent(
        complaint=complaint,
        at=now or utcnow(),
        actor_id=actor.id if actor is not None else None,
        actor_label=actor.name if actor is not None and actor.agency_id else "reporter",
        actor_kind="staff" if actor is not None and actor.agency_id else "reporter",
        actor_agency_id=actor.agency_id if actor is not None else None,
        kind=kind,
        from_state=from_state,
        to_state=to_state,
        note=note,
        public=public,
    )
    db.session.add(event)
    return event


def move_state(
    complaint: Complaint,
    target: str,
    *,
    actor: User | None,
    note: str | None = None,
    public: bool = True,
    summary: dict | None = None,
    now: datetime | None = None,
) -> None:
    current = complaint.state
    try:
        check("complaint", current, target)
    except TransitionError:
        raise ComplaintActionError(
            None, str(_l("This step is not possible while the complaint is in its current state."))
        ) from None
    complaint.state = target
    _event(
        complaint,
        target,
        actor=actor,
        from_state=current,
        to_state=target,
        note=note,
        public=public,
        now=now,
    )
    record_event(
        f"complaint.{target}",
        complaint,
        {"from": current, "to": target, **(summary or {})},
        actor=actor,
        actor_label=None if actor is not None else "reporter",
    )


def _staff_guard(user: User, complaint: Complaint) -> None:
    if not can_handle(user, complaint):
        raise NotAllowed()


def _triage_guard(user: User) -> None:
    if not can_triage(user):
        raise NotAllowed()


# --- Labour office triage ----------------------------------------------------------------


def verify(complaint: Complaint, user: User, note: str | None = None) -> None:
    """Labour office: accept the complaint for the concerned agency; starts its SLA clock.

    Raises NotAllowed (not labour office staff) or ComplaintActionError (not in triage).
    """
    _triage_guard(user)
    now = utcnow()
    move_state(complaint, S.VERIFIED, actor=user, note=(note or "").strip() or None, now=now)
    complaint.verified_at = now
    sla.start_clock(
        complaint, sla.wib_day(now), complaint.category.sla_working_days, working_calendar()
    )
    _notify_agency_new(complaint)


def hold(complaint: Complaint, user: User, note: str | None) -> None:
    """Labour office: put a complaint on hold (*tunda*) with the reason the reporter sees.

    Raises NotAllowed or ComplaintActionError (no reason, or a state that cannot be held).
    """
    _triage_guard(user)
    reason = require_text(note, "note", _l("Say why the complaint is on hold."))
    move_state(complaint, S.ON_HOLD, actor=user, note=reason)


def reroute(complaint: Complaint, user: User, agency_id: int | None, note: str | None) -> None:
    """Labour office: not the chosen agency's authority, send it to the right one.

    The new agency becomes responsible today (the SLA clock starts afresh). Raises
    NotAllowed or ComplaintActionError (unknown or same agency, or a state that forbids it).
    """
    _triage_guard(user)
    agency = db.session.get(Agency, agency_id) if agency_id else None
    if agency is None:
        raise ComplaintActionError("agency", str(_l("Choose an agency from the list.")))
    if agency.id == complaint.agency_id:
        raise ComplaintActionError("agency", str(_l("The complaint is already with this agency.")))
    old = complaint.agency.code
    now = utcnow()
    text = (note or "").strip() or None
    move_state(complaint, S.REROUTED, actor=user, note=text, summary={"agency": [old, agency.code]})
    complaint.agency_id = agency.id
    complaint.agency = agency
    complaint.assignee_id = None
    complaint.verified_at = complaint.verified_at or now
    sla.start_clock(
        complaint, sla.wib_day(now), complaint.category.sla_working_days, working_calendar()
    )
    _notify_agency_new(complaint)


def reject(complaint: Complaint, user: User, reason: str | None) -> None:
    """Labour office: reject with a reason the reporter sees. Raises as `hold`."""
    _triage_guard(user)
    text = require_text(reason, "note", _l("Give the reason for rejecting the complaint."))
    move_state(complaint, S.REJECTED, actor=user, note=text)
    complaint.reject_reason = text


# --- The concerned agency ----------------------------------------------------------------


def staff_link(complaint: Complaint) -> str:
    """The complaint's page for staff, as notifications link to it."""
    return f"/complaints/staff/{complaint.id}"


def tell_staff(user: User, complaint: Complaint, message) -> None:
    """Notify a staff member of something that happened to a complaint they handle."""
    notify(user, "assignment", str(message), link=staff_link(complaint))


def assign(complaint: Complaint, user: User, assignee_id: int | None) -> None:
    """Agency staff: give the complaint to a staff member of the same agency.

    Notifies the assignee. Raises NotAllowed or ComplaintActionError (assignee not staff of the
    agency, or a state that forbids it).
    """
    _staff_guard(user, complaint)
    assignee = db.session.get(User, assignee_id) if assignee_id else None
    if assignee is None or assignee.agency_id != complaint.agency_id or not assignee.active:
        raise ComplaintActionError(
            "assignee", str(_l("Choose an active staff member of this agency."))
        )
    move_state(
        complaint,
        S.ASSIGNED,
        actor=user,
        note=None,
        public=True,
        summary={"assignee": assignee.id},
    )
    complaint.assignee_id = assignee.id
    complaint.assignee = assignee
    tell_staff(
        assignee,
        complaint,
        _l("Complaint %(code)s was assigned to you.", code=complaint.tracking_code),
    )


def start_work(complaint: Complaint, user: User, note: str | None = None) -> None:
    """Agency staff: mark the complaint in progress (also ends a pause). A note typed on the
    same form is kept on the step (the reporter sees it, as the form says), never dropped."""
    _staff_guard(user, complaint)
    now = utcnow()
    was_paused = complaint.state == S.WAITING_REPORTER
    move_state(complaint, S.IN_PROGRESS, actor=user, note=(note or "").strip() or None, now=now)
    if was_paused:
        sla.resume_clock(complaint, now, working_calendar())


def wait_for_reporter(complaint: Complaint, user: User, question: str | None) -> None:
    """Agency staff: ask the reporter something; the SLA clock pauses until they answer."""
    _staff_guard(user, complaint)
    text = require_text(question, "note", _l("Write the question for the reporter."))
    now = utcnow()
    move_state(complaint, S.WAITING_REPORTER, actor=user, note=text, now=now)
    sla.pause_clock(complaint, now)
    _mail_reporter(
        complaint,
        _l(
            "The agency has a question about your complaint %(code)s.",
            code=complaint.tracking_code,
        ),
    )


def resolve(complaint: Complaint, user: User, answer: str | None) -> None:
    """Agency staff: resolve with the answer the reporter sees (ends a pause first)."""
    _staff_guard(user, complaint)
    text = require_text(answer, "note", _l("Write the answer for the reporter."))
    now = utcnow()
    was_paused = complaint.state == S.WAITING_REPORTER
    move_state(complaint, S.RESOLVED, actor=user, note=text, now=now)
    if was_paused:
        sla.resume_clock(complaint, now, working_calendar())
    complaint.resolved_at = now
    complaint.resolution = text
    _mail_reporter(
        complaint, _l("Your complaint %(code)s has been answered.", code=complaint.tracking_code)
    )


def add_note(complaint: Complaint, user: User, text: str | None, public: bool) -> None:
    """Staff of the concerned agency or the labour office: add an answer or internal note."""
    if not (can_handle(user, complaint) or can_triage(user)):
        raise NotAllowed()
    body = require_text(text, "note", _l("Write the note."))
    _event(complaint, "note", actor=user, note=body, public=public)
    record_event("complaint.note", complaint, {"public": public}, actor=user)


def _mail_reporter(complaint: Complaint, subject) -> None:
    """Tell the reporter by email (if they gave one) that the complaint needs a look.

    The mail names only the tracking code: the answer itself is read on the tracking page.
    """
    if not complaint.reporter_email:
        return
    title = str(subject)
    body = str(
        _l(
            "Open the tracking page and enter your code %(code)s with this email address "
            "to read it.",
            code=complaint.tracking_code,
        )
    )
    link = url_for("complaints.track", _external=True) if has_request_context() else ""
    queue_mail(complaint.reporter_email, title, f"{body}\n{link}".strip())


def _notify_agency_new(complaint: Complaint) -> None:
    """Tell the heads of the now-responsible agency that a complaint waits for assignment."""
    from ..notifications.dispatch import agency_heads

    for head in agency_heads(complaint.agency_id):
        tell_staff(
            head,
            complaint,
            _l(
                "New complaint %(code)s for your agency needs an assignee.",
                code=complaint.tracking_code,
            ),
        )


def assignable_staff(agency_id: int) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.agency_id == agency_id, User.active.is_(True))
            .order_by(User.name)
        )
    )


@dataclass(frozen=True)
class StaffSteps:
    """Which steps a staff member may take on a complaint now (what the page offers)."""

    verify: bool = False
    hold: bool = False
    reject: bool = False
    reroute: bool = False
    assign: bool = False
    start: bool = False
    wait: bool = False
    resolve: bool = False
    note: bool = False

    @property
    def triage(self) -> bool:
        """The labour office's verification box (verify, hold, reject, re-route)."""
        return self.verify or self.reroute

    @property
    def handle(self) -> bool:
        """The concerned agency's handling box (take up, ask the reporter, resolve)."""
        return self.start or self.resolve


def staff_steps(complaint: Complaint, user: User) -> StaffSteps:
    """The steps `user` may take on `complaint` in its state, by the guards and transitions
    the step functions above apply."""
    state = complaint.state
    triage, handle = can_triage(user), can_handle(user, complaint)

    def allowed(target: str) -> bool:
        return can("complaint", state, target)

    return StaffSteps(
        verify=triage and allowed(S.VERIFIED),
        hold=triage and allowed(S.ON_HOLD),
        reject=triage and allowed(S.REJECTED),
        reroute=triage and allowed(S.REROUTED),
        assign=handle and allowed(S.ASSIGNED),
        start=handle and allowed(S.IN_PROGRESS),
        wait=handle and allowed(S.WAITING_REPORTER),
        resolve=handle and allowed(S.RESOLVED),
        note=(handle or triage) and state not in sla.FINAL_STATES,
    )
