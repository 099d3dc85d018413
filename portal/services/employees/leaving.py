"""Business owners end an employment: its membership ends with it, its open request is
withdrawn. A last day still to come can be cancelled (entered by mistake, or the worker
stays), and any end can be taken back within `UNDO_WINDOW` of entering it: the memberships
return exactly to their state and end date before (requests withdrawn stay withdrawn)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from ...domain.clock import now, today_wib
from ...domain.workflow import check
from ...extensions import db
from ...models import Employment, EnrolmentState, Membership, MembershipState
from ..audit.trail import record_event
from ..undo import undo_deadline as _deadline
from ..undo import undo_window_words, within_undo_window
from .records import EmployeeInvalid, check_version, flush_or_stale, open_requests
from .rules import Problem


@dataclass
class EmploymentEnd:
    """The memberships an ended employment took with it."""

    ended: list[Membership] = field(default_factory=list)  # ended now (end date today or past)
    ending: list[Membership] = field(default_factory=list)  # run until a future end date


def check_end(employment: Employment, end_date: date, expected_version: int) -> None:
    """Refuse an end `end_employment` would refuse, before the owner is asked to confirm it.
    Changes nothing. Raises EmployeeInvalid (`already_ended`, `end_before_start`, `stale`)."""
    check_version(employment, expected_version)
    if not employment.is_current:
        raise EmployeeInvalid([Problem("form", "already_ended")])
    if end_date < employment.start_date:
        raise EmployeeInvalid(
            [Problem("end_date", "end_before_start", {"start": employment.start_date.isoformat()})]
        )


def end_employment(
    employment: Employment, end_date: date, reason: str, expected_version: int
) -> EmploymentEnd:
    """End an employment, every still-running membership tied to it and its open request.

    The end date is the last day of work. A membership ends with it: at once when that day
    is today or past; otherwise it keeps running (and owing dues) until then with its end
    date set, and `bpjs_contributions.refresh_state` (the daily `flask membership-sweep`)
    ends it the day after. An enrolment request BPJS had not decided yet is withdrawn (it
    leaves the BPJS queue) either way.
    Caller: the owner of the employment's business. Writes `employment.ended`, one
    `membership.ended` or `membership.end_scheduled` per membership and
    `enrolment.withdrawn` per open request. Raises EmployeeInvalid (`already_ended`,
    `end_before_start` on the end date field, `stale`).
    """
    check_end(employment, end_date, expected_version)
    employment.end_date = end_date
    employment.end_reason = reason or None
    employment.ended_at = now()
    outcome = EmploymentEnd()
    ends_later = end_date > today_wib()
    running = db.session.scalars(
        select(Membership).where(
            Membership.employment_id == employment.id,
            Membership.state != MembershipState.ENDED,
        )
    ).all()
    for membership in running:
        membership.state_before_end = membership.state
        membership.end_date_before_end = membership.end_date
        membership.end_date = max(end_date, membership.start_date)
        if ends_later:
            outcome.ending.append(membership)
        else:
            membership.state = MembershipState.ENDED
            outcome.ended.append(membership)
    withdrawn = open_requests(employment)
    for request in withdrawn:
        check("enrolment", request.state, EnrolmentState.WITHDRAWN.value)
        request.state = EnrolmentState.WITHDRAWN.value
        request.assignee_id = None
    flush_or_stale()
    record_event(
        "employment.ended",
        employment,
        {
            "end_date": end_date.isoformat(),
            "reason": reason,
            "memberships": len(outcome.ended) + len(outcome.ending),
        },
    )
    for action, memberships in (
        ("membership.ended", outcome.ended),
        ("membership.end_scheduled", outcome.ending),
    ):
        for membership in memberships:
            record_event(
                action,
                membership,
                {"employment_id": employment.id, "end_date": membership.end_date.isoformat()},
            )
    for request in withdrawn:
        record_event("enrolment.withdrawn", request, {"employment_id": employment.id})
    return outcome


def cancel_scheduled_end(employment: Employment, expected_version: int) -> list[Membership]:
    """Take back a last day that has not come yet: the job and its memberships run on.

    Requests withdrawn when the end was entered stay withdrawn (the owner submits again).
    Caller: the owner of the employment's business. Writes `employment.end_cancelled` and
    one `membership.end_cancelled` per membership. Raises EmployeeInvalid (`not_scheduled`
    when there is no end date or it is today or past, `stale`). Returns the memberships.
    """
    check_version(employment, expected_version)
    if employment.end_date is None or employment.end_date <= today_wib():
        raise EmployeeInvalid([Problem("form", "not_scheduled")])
    cancelled = employment.end_date
    employment.end_date = None
    employment.end_reason = None
    running = db.session.scalars(
        select(Membership).where(
            Membership.employment_id == employment.id,
            Membership.state != MembershipState.ENDED,
            Membership.end_date.is_not(None),
        )
    ).all()
    for membership in running:
        membership.end_date = membership.end_date_before_end
        membership.state_before_end = membership.end_date_before_end = None
    employment.ended_at = None
    flush_or_stale()
    record_event("employment.end_cancelled", employment, {"end_date": cancelled.isoformat()})
    for membership in running:
        record_event(
            "membership.end_cancelled",
            membership,
            {"employment_id": employment.id, "end_date": cancelled.isoformat()},
        )
    return list(running)


def undo_deadline(employment: Employment) -> datetime | None:
    """Until when the end entered on `employment` can be taken back; None when it cannot
    (no end entered, or entered before this rule kept the time)."""
    return None if employment.end_date is None else _deadline(employment.ended_at)


def can_undo_end(employment: Employment) -> bool:
    return employment.end_date is not None and within_undo_window(employment.ended_at)


def undo_end(employment: Employment, expected_version: int) -> list[Membership]:
    """Take back an end entered less than `UNDO_WINDOW` ago, whatever its last day.

    The employment is current again; every membership the end changed gets back the state
    and end date it had before (an ended membership is active or lapsed again, exactly as
    it was). Requests withdrawn by the end stay withdrawn (the owner submits again).
    Caller: the owner of the employment's business. Writes `employment.end_undone` and one
    `membership.end_undone` per membership. Raises EmployeeInvalid (`undo_expired`, `stale`).
    """
    check_version(employment, expected_version)
    if not can_undo_end(employment):
        raise EmployeeInvalid([Problem("form", "undo_expired", {"window": undo_window_words()})])
    undone = employment.end_date
    assert undone is not None
    employment.end_date = None
    employment.end_reason = None
    employment.ended_at = None
    changed = db.session.scalars(
        select(Membership)
        .where(Membership.employment_id == employment.id, Membership.state_before_end.is_not(None))
        .order_by(Membership.id)
    ).all()
    restored = []
    for membership in changed:
        before = membership.state
        membership.state = membership.state_before_end
        membership.end_date = membership.end_date_before_end
        membership.state_before_end = membership.end_date_before_end = None
        restored.append((membership, before))
    flush_or_stale()
    record_event("employment.end_undone", employment, {"end_date": undone.isoformat()})
    for membership, before in restored:
        record_event(
            "membership.end_undone",
            membership,
            {
                "employment_id": employment.id,
                "before": before,
                "after": membership.state,
                "end_date": membership.end_date.isoformat() if membership.end_date else None,
            },
        )
    return [m for m, _ in restored]
