"""The enrolment queue: claim, enrol, return, reject, reassign — race-free.

Every state change is one conditional UPDATE (`... WHERE id = :id AND state IN (...) AND
(assignee_id IS NULL OR assignee_id = :me)`) whose rowcount tells whether this caller won.
Two officers acting on the same request at once: the database lets exactly one UPDATE match;
the other gets a BpjsError explaining why (already decided, or held by someone else).
Services never commit; the view commits once.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from ...domain.clock import now, today_wib
from ...domain.workflow import check
from ...extensions import db
from ...models import (
    AT_BPJS_STATES,
    EnrolmentRequest,
    EnrolmentState,
    FundingSource,
    Membership,
    Role,
    User,
    WorkerCategory,
)
from ..audit.trail import record_event
from ..employees.cover import cover
from ..employees.rules import problem_message
from ..errors import NotFound
from ..membership.common import BpjsError, insert_membership, issued_kpj
from ..undo import check_undo, undo_open_until

ACTIONABLE = tuple(s.value for s in AT_BPJS_STATES)


def _explain_refusal(request_id: int, actor: User) -> BpjsError:
    """Why a conditional UPDATE matched nothing: re-read the row as it is now."""
    db.session.expire_all()
    req = db.session.get(EnrolmentRequest, request_id)
    if req is None:
        return BpjsError(None, _("This request does not exist."))
    if req.state not in ACTIONABLE:
        return BpjsError(
            None, _("This request has already been decided (%(state)s).", state=req.state)
        )
    if req.assignee_id is not None and req.assignee_id != actor.id:
        name = req.assignee.name if req.assignee else "?"
        return BpjsError(None, _("This request is held by %(name)s.", name=name))
    return BpjsError(None, _("This request cannot be changed now. Reload the page."))


def _free_for(actor: User, states: tuple[str, ...]) -> list:
    """The guard: the request is in `states` and unclaimed or held by `actor`."""
    return [
        EnrolmentRequest.state.in_(states),
        or_(EnrolmentRequest.assignee_id.is_(None), EnrolmentRequest.assignee_id == actor.id),
    ]


def _update_where(request_id: int, actor: User, conditions: list, **values) -> None:
    """One guarded UPDATE (the version moves on); no row matched → why, as a BpjsError."""
    stmt = (
        update(EnrolmentRequest)
        .where(EnrolmentRequest.id == request_id, *conditions)
        .values(version=EnrolmentRequest.version + 1, updated_at=now(), **values)
        .execution_options(synchronize_session=False)
    )
    if db.session.execute(stmt).rowcount != 1:
        raise _explain_refusal(request_id, actor)


def _reload(request_id: int) -> EnrolmentRequest:
    return db.session.scalars(
        select(EnrolmentRequest)
        .where(EnrolmentRequest.id == request_id)
        .execution_options(populate_existing=True)
    ).one()


def claim(request_id: int, actor: User) -> EnrolmentRequest:
    """Take a submitted request into review; it is then the actor's alone.

    Who: BPJS officer or head. Raises BpjsError if it is decided or someone else holds it.
    """
    check("enrolment", EnrolmentState.SUBMITTED, EnrolmentState.IN_REVIEW)
    conditions = _free_for(actor, (EnrolmentState.SUBMITTED.value,))
    return _assign(request_id, actor, conditions, actor, "enrolment.claimed")


def _assign(
    request_id: int, actor: User, conditions: list, assignee: User, action: str
) -> EnrolmentRequest:
    """Put a request matching `conditions` in review with `assignee`, and record `action`."""
    _update_where(
        request_id,
        actor,
        conditions,
        state=EnrolmentState.IN_REVIEW.value,
        assignee_id=assignee.id,
        claimed_at=now(),
    )
    req = _reload(request_id)
    record_event(action, req, {"assignee": assignee.email})
    return req


def release(request_id: int, actor: User) -> EnrolmentRequest:
    """Give a claimed request back to the queue (state submitted, no assignee).

    Who: the officer holding it. Raises BpjsError otherwise.
    """
    check("enrolment", EnrolmentState.IN_REVIEW, EnrolmentState.SUBMITTED)
    _update_where(
        request_id,
        actor,
        [
            EnrolmentRequest.state == EnrolmentState.IN_REVIEW.value,
            EnrolmentRequest.assignee_id == actor.id,
        ],
        state=EnrolmentState.SUBMITTED.value,
        assignee_id=None,
        claimed_at=None,
    )
    req = _reload(request_id)
    record_event("enrolment.released", req, {"by": actor.email})
    return req


def _require_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise BpjsError("reason", _("Give a reason of at least 5 characters."))
    return reason


def return_for_correction(request_id: int, actor: User, reason: str) -> EnrolmentRequest:
    """Send a request back to its owner with a reason (state returned).

    Who: BPJS officer holding it (or any, if unclaimed). Raises BpjsError for a missing
    reason, a decided request or one held by someone else.
    """
    return _decide_with_reason(
        request_id, actor, EnrolmentState.RETURNED, "return_reason", reason, "enrolment.returned"
    )


def check_reject(request_id: int, actor: User, reason: str) -> EnrolmentRequest:
    """Refuse a rejection `reject` would refuse; changes nothing. Returns the request."""
    _require_reason(reason)
    req = db.session.scalar(
        select(EnrolmentRequest).where(
            EnrolmentRequest.id == request_id, *_free_for(actor, ACTIONABLE)
        )
    )
    if req is None:  # the same guard `reject` updates under
        raise _explain_refusal(request_id, actor)
    return req


def reject(request_id: int, actor: User, reason: str) -> EnrolmentRequest:
    """Refuse a request with a reason (state rejected). Same rules as returning; the officer
    may take it back within a day (`undo_reject`), so the state it found is kept."""
    return _decide_with_reason(
        request_id,
        actor,
        EnrolmentState.REJECTED,
        "reject_reason",
        reason,
        "enrolment.rejected",
        state_before_decision=EnrolmentRequest.state,
    )


def undo_reject_until(req: EnrolmentRequest, user: User):
    """Until when `user` may take the rejection back; None when not (see `undo_reject`)."""
    if not req.is_rejected or req.state_before_decision is None:
        return None
    return undo_open_until(req.decided_at, req.decided_by_id, user)


def undo_reject(request_id: int, actor: User) -> EnrolmentRequest:
    """Take a rejection back within a day of it: the request returns to the queue in the state
    it was in (submitted, or in review held by the officer), without the rejection's reason.

    Who: the officer who rejected it (NotAllowed for anyone else). Writes
    `enrolment.reject_undone` (the rejection's own event stays). Raises BpjsError when the
    request is not rejected, a day has passed, or the owner has sent a new request for the
    same job meanwhile.
    """
    req = db.session.get(EnrolmentRequest, request_id)
    if req is None:
        raise NotFound()
    if not req.is_rejected or req.state_before_decision is None:
        raise BpjsError(None, _("This request is not rejected: there is nothing to take back."))
    check_undo(req.decided_at, req.decided_by_id, actor)
    back_to = req.state_before_decision
    reason = req.reject_reason
    try:
        with db.session.begin_nested():
            _update_where(
                request_id,
                actor,
                [
                    EnrolmentRequest.state == EnrolmentState.REJECTED.value,
                    EnrolmentRequest.decided_by_id == actor.id,
                ],
                state=back_to,
                assignee_id=actor.id if back_to == EnrolmentState.IN_REVIEW.value else None,
                decided_at=None,
                decided_by_id=None,
                reject_reason=None,
                state_before_decision=None,
            )
    except IntegrityError:  # the owner sent a new request for this job meanwhile
        raise BpjsError(
            None,
            _("The owner has sent a new request for this worker: the rejection stays."),
        ) from None
    req = _reload(request_id)
    record_event(
        "enrolment.reject_undone",
        req,
        {"before": EnrolmentState.REJECTED.value, "after": back_to, "reason": reason},
    )
    return req


def _decide(request_id: int, actor: User, state: EnrolmentState, **extra) -> None:
    """Decide an open request (unclaimed or held by `actor`): it moves to `state`, decided
    by `actor` now."""
    _update_where(
        request_id,
        actor,
        _free_for(actor, ACTIONABLE),
        state=state.value,
        assignee_id=actor.id,
        decided_at=now(),
        decided_by_id=actor.id,
        **extra,
    )


def _decide_with_reason(
    request_id: int,
    actor: User,
    state: EnrolmentState,
    reason_column: str,
    reason: str,
    action: str,
    **extra,
) -> EnrolmentRequest:
    reason = _require_reason(reason)
    _decide(request_id, actor, state, **{reason_column: reason}, **extra)
    req = _reload(request_id)
    record_event(action, req, {"reason": reason})
    return req


def _funding_for(req: EnrolmentRequest) -> str:
    if req.category == WorkerCategory.PU.value and req.business_id is not None:
        return FundingSource.EMPLOYER.value
    return FundingSource.SELF.value


def enrol(request_id: int, actor: User, kpj: str | None) -> Membership:
    """Enrol the worker: the request becomes enrolled and a membership is created with the
    KPJ BPJS's own system issued (`kpj`, 11 digits, unused: the portal never invents one).

    Rules checked here, on the day of enrolment:
    - no self-paid (BPU) membership for a registered business's own worker (UU 24/2011
      art. 15): the employer registers its workers as wage earners;
    - the JKK risk class is the business's (PP 44/2015 annex I), never a guessed one;
    - no new JP membership at or past the pension age (PP 45/2015 art. 15): JP is left out.
    Who: BPJS officer holding the request (or any, if unclaimed). Raises BpjsError for a
    missing, malformed or duplicate KPJ, a decided request or one held by someone else, a BPU
    request of a business, a business without a risk class; nothing is changed then.
    """
    kpj = issued_kpj(kpj)
    req = db.session.get(EnrolmentRequest, request_id)
    if req is not None and req.business_id is not None:
        if req.category != WorkerCategory.PU.value:
            raise BpjsError("kpj", problem_message("bpu_employee"))
        if not req.business.has_risk_class:
            raise BpjsError("kpj", problem_message("risk_class_missing"))
    _decide(request_id, actor, EnrolmentState.ENROLLED)
    req = _reload(request_id)
    employment = req.employment
    worker = req.worker
    business = req.business
    today = today_wib()
    with_jp = req.with_jp
    if with_jp and business is not None:
        with_jp = cover(
            business.scale, worker.birth_date, today, add_jht=req.with_jht, add_jp=True
        ).with_jp
    membership = Membership(
        worker_id=req.worker_id,
        kpj=kpj,
        category=req.category,
        with_jht=req.with_jht,
        with_jp=with_jp,
        monthly_amount=req.monthly_amount,
        risk_class=business.risk_class if business else None,
        funding_source=_funding_for(req),
        business_id=req.business_id,
        employment_id=req.employment_id,
        enrolment_request_id=req.id,
        kelurahan_code=worker.kelurahan_code or (employment.kelurahan_code if employment else None),
        start_date=today,
    )
    insert_membership(membership)
    req.kpj = membership.kpj
    db.session.flush()
    summary = {"kpj": membership.kpj, "membership": membership.id}
    if with_jp != req.with_jp:
        summary["jp_left_out"] = "pension age (PP 45/2015 art. 15)"
    record_event("enrolment.enrolled", req, summary)
    return membership


def reassign(request_id: int, actor: User, officer_id: int) -> EnrolmentRequest:
    """Give an open request to another BPJS officer (or head).

    Who: bpjs_head only. Raises BpjsError if the request is decided or the officer unknown.
    """
    if actor.role != Role.BPJS_HEAD:
        raise BpjsError(None, _("Only the head of the branch may reassign requests."))
    officer = db.session.get(User, officer_id)
    if officer is None or officer.role not in (Role.BPJS_OFFICER, Role.BPJS_HEAD):
        raise BpjsError("officer_id", _("Choose a BPJS officer."))
    conditions = [EnrolmentRequest.state.in_(ACTIONABLE)]
    return _assign(request_id, actor, conditions, officer, "enrolment.reassigned")


# No bulk enrolment: each enrolment needs the KPJ BPJS's own system issued for that person.
BULK_ACTIONS = ("claim", "return", "reject")


@dataclass
class BulkOutcome:
    request_id: int
    ok: bool
    message: str


def bulk(action: str, request_ids: list[int], actor: User, reason: str = "") -> list[BulkOutcome]:
    """Apply one action to many requests; each request succeeds or is refused on its own.

    Each request runs in its own savepoint inside the view's single transaction: a refused
    request rolls back only itself and is reported with its reason; the successes are
    committed together by the view. Enrolment is one at a time (each needs its own KPJ).
    Who: BPJS officer or head. Raises BpjsError only for a missing reason (nothing done).
    """
    if action not in BULK_ACTIONS:
        raise BpjsError("action", _("Choose an action."))
    if action in ("return", "reject"):
        reason = _require_reason(reason)
    outcomes: list[BulkOutcome] = []
    for request_id in dict.fromkeys(request_ids):
        try:
            with db.session.begin_nested():
                if action == "claim":
                    claim(request_id, actor)
                    message = _("Claimed.")
                elif action == "return":
                    return_for_correction(request_id, actor, reason)
                    message = _("Returned for correction.")
                else:
                    reject(request_id, actor, reason)
                    message = _("Rejected.")
            outcomes.append(BulkOutcome(request_id, True, message))
        except BpjsError as exc:
            outcomes.append(BulkOutcome(request_id, False, exc.message))
    return outcomes
