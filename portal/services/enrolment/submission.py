"""Owners submit employees to BPJS for enrolment and resubmit returned requests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from ...domain.clock import today_wib
from ...domain.workflow import TransitionError, check
from ...extensions import db
from ...models import BLOCKING_STATES as _BLOCKING
from ...models import Business, Employment, EnrolmentRequest, EnrolmentState
from ...models._common import utcnow
from ..access import one_or_404
from ..audit.trail import record_event
from ..employees.rules import employment_contribution, problem_message
from ..errors import ServiceError
from ..outreach.referrals import active_referral_id
from ..pages import page_of
from ..reference.lookups import rate_table, setting_int, working_calendar

BLOCKING_STATES = tuple(s.value for s in _BLOCKING)


class EnrolmentError(ServiceError):
    """A submission refused for the whole page; `code` is a message code of
    `employees.rules` (not_verified, stale, not_returned …)."""

    def __init__(self, code: str):
        super().__init__(None, problem_message(code))
        self.code = code


@dataclass
class SubmitOutcome:
    created: list[EnrolmentRequest] = field(default_factory=list)
    already: int = 0  # had an open or enrolled request: nothing new created
    out_of_range: list[Employment] = field(default_factory=list)


def not_enrolled_clause():
    """SQL condition: an employment with no open or enrolled request (it can be submitted)."""
    return ~exists().where(
        EnrolmentRequest.employment_id == Employment.id,
        EnrolmentRequest.state.in_(BLOCKING_STATES),
    )


def sla_due_date():
    return working_calendar().add_working_days(
        today_wib(), setting_int("enrolment_sla_working_days", 5)
    )


def copy_employment_figures(
    request: EnrolmentRequest, employment: Employment, contribution
) -> None:
    """Give a request the employment's category, programmes, wage and contribution."""
    request.category = employment.category
    request.with_jht = employment.with_jht
    request.with_jp = employment.with_jp
    request.monthly_amount = employment.monthly_amount
    request.monthly_contribution = contribution.total
    request.employer_share = contribution.employer
    request.worker_share = contribution.worker


def send_back_to_bpjs(request: EnrolmentRequest) -> None:
    """A returned request waits at BPJS again: submitted now, a new deadline, nobody holding
    it and the return reason cleared (the caller has it for the audit trail)."""
    request.state = EnrolmentState.SUBMITTED
    request.submitted_at = utcnow()
    request.sla_due = sla_due_date()
    request.return_reason = None
    request.assignee_id = None
    request.claimed_at = None


def submit_enrolments(business: Business, employment_ids: Sequence[int] | None) -> SubmitOutcome:
    """Create one `submitted` enrolment request per chosen current employment of `business`.

    `employment_ids=None` means every current employee not yet enrolled. Ids of other
    businesses are ignored (the query is scoped to `business`). An employment that already
    has an open or enrolled request is counted in `already` and gets nothing new, so a
    double click or the back button never creates a second request; the partial unique
    index catches the race between two simultaneous submits.
    Caller: the business's owner. Writes `enrolment.submitted` per request.
    Raises EnrolmentError("not_verified") unless the business is verified,
    EnrolmentError("risk_class_missing") while it has no JKK risk class.
    """
    if not business.is_verified:
        raise EnrolmentError("not_verified")
    if not business.has_risk_class:
        raise EnrolmentError("risk_class_missing")
    stmt = select(Employment).where(
        Employment.business_id == business.id, Employment.end_date.is_(None)
    )
    if employment_ids is not None:
        stmt = stmt.where(Employment.id.in_(list(employment_ids)[:5000]))
    employments = list(db.session.scalars(stmt.order_by(Employment.id)))
    blocked = set(
        db.session.scalars(
            select(EnrolmentRequest.employment_id).where(
                EnrolmentRequest.employment_id.in_([e.id for e in employments]),
                EnrolmentRequest.state.in_(BLOCKING_STATES),
            )
        )
    )
    outcome = SubmitOutcome()
    rates, today, due = rate_table(), today_wib(), sla_due_date()
    referral_id = active_referral_id(business.id)
    now = utcnow()
    pending: list[EnrolmentRequest] = []
    for employment in employments:
        if employment.id in blocked:
            outcome.already += 1
            continue
        contribution = employment_contribution(employment, rates, today)
        if contribution is None:
            outcome.out_of_range.append(employment)
            continue
        request = EnrolmentRequest(
            business_id=business.id,
            worker_id=employment.worker_id,
            employment_id=employment.id,
            referral_id=referral_id,
            state=EnrolmentState.SUBMITTED,
            submitted_at=now,
            sla_due=due,
        )
        copy_employment_figures(request, employment, contribution)
        pending.append(request)
    try:
        with db.session.begin_nested():
            db.session.add_all(pending)
            db.session.flush()
        outcome.created = pending
    except IntegrityError:
        # A simultaneous submit won for some rows: keep the others, one savepoint each.
        for request in pending:
            try:
                with db.session.begin_nested():
                    db.session.add(request)
                    db.session.flush()
                outcome.created.append(request)
            except IntegrityError:
                outcome.already += 1
    for request in outcome.created:
        record_event(
            "enrolment.submitted",
            request,
            {
                "employment_id": request.employment_id,
                "monthly_contribution": request.monthly_contribution,
                "sla_due": request.sla_due.isoformat(),
                "referral_id": request.referral_id,
            },
        )
    return outcome


def resubmit_enrolment(request: EnrolmentRequest, expected_version: int) -> EnrolmentRequest:
    """Send a returned request back to BPJS with the employment's corrected figures.

    Caller: the owner of the request's business. Writes `enrolment.resubmitted`.
    Raises EnrolmentError: `stale` (changed meanwhile), `not_returned` (state does not allow
    it), `already_ended` (the employment has ended), `income_range_now` (figures out of range).
    """
    if request.version != expected_version:
        raise EnrolmentError("stale")
    try:
        # in_review → submitted exists too (BPJS releasing a claim): not the owner's move.
        if request.state != EnrolmentState.RETURNED:
            raise TransitionError("enrolment", request.state, EnrolmentState.SUBMITTED)
        check("enrolment", request.state, EnrolmentState.SUBMITTED)
    except TransitionError as exc:
        raise EnrolmentError("not_returned") from exc
    employment = request.employment
    if employment is None or not employment.is_current:
        raise EnrolmentError("already_ended")
    contribution = employment_contribution(employment, rate_table(), today_wib())
    if contribution is None:
        raise EnrolmentError("income_range_now")
    previous_reason = request.return_reason
    copy_employment_figures(request, employment, contribution)
    send_back_to_bpjs(request)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except StaleDataError as exc:
        raise EnrolmentError("stale") from exc
    record_event(
        "enrolment.resubmitted",
        request,
        {
            "returned_because": previous_reason,
            "monthly_contribution": request.monthly_contribution,
            "sla_due": request.sla_due.isoformat(),
        },
    )
    return request


# --- The owner's requests ---------------------------------------------------------------------

#: The states the owner's request list can be filtered by (drafts are never shown).
REQUEST_STATES = tuple(s.value for s in EnrolmentState if s != EnrolmentState.DRAFT)


def owner_requests(owner_id: int) -> Select:
    """Enrolment requests of the owner's businesses only."""
    return (
        select(EnrolmentRequest)
        .join(Business, EnrolmentRequest.business_id == Business.id)
        .where(Business.owner_id == owner_id)
    )


def request_state_filter(raw: str | None) -> str:
    """A known state to filter the owner's requests by, or "" for all."""
    return raw if raw in REQUEST_STATES else ""


def owner_request_page(owner_id: int, state: str = "", page: object = 1) -> Pagination:
    """The owner's requests, newest submission first, optionally in one state."""
    stmt = owner_requests(owner_id).options(
        joinedload(EnrolmentRequest.employment), joinedload(EnrolmentRequest.business)
    )
    if state:
        stmt = stmt.where(EnrolmentRequest.state == state)
    return page_of(
        stmt.order_by(EnrolmentRequest.submitted_at.desc(), EnrolmentRequest.id.desc()), page
    )


def load_owner_request(request_id: int, owner_id: int) -> EnrolmentRequest:
    """One of the owner's requests; NotFound for any other."""
    return one_or_404(owner_requests(owner_id).where(EnrolmentRequest.id == request_id))


def returned_requests(owner_id: int, limit: int = 10) -> list[EnrolmentRequest]:
    """The owner's requests BPJS returned for correction, latest decision first."""
    return list(
        db.session.scalars(
            owner_requests(owner_id)
            .where(EnrolmentRequest.state == EnrolmentState.RETURNED)
            .options(joinedload(EnrolmentRequest.employment), joinedload(EnrolmentRequest.business))
            .order_by(EnrolmentRequest.decided_at.desc(), EnrolmentRequest.id.desc())
            .limit(limit)
        )
    )
