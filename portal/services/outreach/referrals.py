"""Referrals: the trade office points a business to BPJS, BPJS records what came of it.

Outcome steps: open → contacted | registered | declined; contacted → registered | declined.
The trade office asks before it sends the letter (`check_referral`) and may withdraw it
within a day while BPJS has recorded nothing yet (`withdraw_referral`, `services.undo`).
The referral links to the business's enrolment requests through
EnrolmentRequest.referral_id (set by the employer area when the business submits while a
referral is in progress; see `active_referral_id`).
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ...domain import clock
from ...extensions import db
from ...models import Business, EnrolmentRequest, EnrolmentState, Referral, ReferralState, User
from ..audit.trail import record_event
from ..businesses.common import TradeError
from ..errors import NotFound
from ..pages import page_of
from ..saving import flush_or_refuse
from ..undo import check_undo, undo_open_until

ACTIVE_STATES = (ReferralState.OPEN, ReferralState.CONTACTED)
OUTCOME_STEPS: dict[str, frozenset[str]] = {
    ReferralState.OPEN: frozenset(
        {ReferralState.CONTACTED, ReferralState.REGISTERED, ReferralState.DECLINED}
    ),
    ReferralState.CONTACTED: frozenset({ReferralState.REGISTERED, ReferralState.DECLINED}),
    ReferralState.REGISTERED: frozenset(),
    ReferralState.DECLINED: frozenset(),
    ReferralState.WITHDRAWN: frozenset(),
}


def _already_referred() -> TradeError:
    return TradeError(None, _("This business already has a referral in progress."))


def refer_business(
    business: Business,
    officer: User,
    *,
    reason: str,
    contact_person: str,
    contact_phone: str | None,
) -> Referral:
    """Refer a business to BPJS.

    Who: trade_officer or trade_head. Raises TradeError when a referral for the business is
    still open or contacted (the partial unique index decides under concurrency).
    """
    check_referral(business)
    referral = Referral(
        business_id=business.id,
        referred_by_id=officer.id,
        reason=reason,
        contact_person=contact_person,
        contact_phone=contact_phone or None,
        state=ReferralState.OPEN,
    )
    flush_or_refuse(referral, taken=_already_referred())
    record_event(
        "referral.created",
        referral,
        {"business_id": business.id, "reason": reason},
        actor=officer,
    )
    return referral


def check_referral(business: Business) -> None:
    """Refuse what `refer_business` would refuse; changes nothing."""
    if active_referral_id(business.id) is not None:
        raise _already_referred()


def withdraw_until(referral: Referral, user: User):
    """Until when `user` may withdraw the referral; None when not (see `withdraw_referral`)."""
    if referral.state != ReferralState.OPEN:
        return None
    return undo_open_until(referral.created_at, referral.referred_by_id, user)


def withdraw_referral(referral: Referral, officer: User, *, version: int) -> None:
    """Take a referral letter back within a day of sending it, while BPJS has recorded no
    outcome: it is marked withdrawn (the business may be referred again).

    Who: the officer who referred (NotAllowed for anyone else). Writes `referral.withdrawn`.
    Raises TradeError when BPJS has acted on it, a day has passed or the form is stale.
    """
    if referral.version != version:
        raise TradeError(
            None, _("This referral was changed by someone else. Review it and try again.")
        )
    check_undo(referral.created_at, referral.referred_by_id, officer)
    if referral.state != ReferralState.OPEN:
        raise TradeError(None, _("BPJS has already acted on this referral: it stays."))
    referral.state = ReferralState.WITHDRAWN
    flush_or_refuse(
        stale=TradeError(
            None, _("This referral was changed by someone else. Review it and try again.")
        )
    )
    record_event(
        "referral.withdrawn",
        referral,
        {"before": ReferralState.OPEN.value, "after": ReferralState.WITHDRAWN.value},
        actor=officer,
    )


def active_referral_id(business_id: int) -> int | None:
    """The referral in progress for this business, if any (for linking enrolment requests)."""
    return db.session.scalar(
        select(Referral.id).where(
            Referral.business_id == business_id, Referral.state.in_(ACTIVE_STATES)
        )
    )


def record_outcome(
    referral: Referral,
    officer: User,
    *,
    outcome: str,
    workers_enrolled: int | None,
    note: str | None,
    version: int,
) -> None:
    """BPJS records what came of a referral.

    Who: bpjs_officer or bpjs_head. `registered` needs the number of workers enrolled (0 or
    more, and never fewer than the workers the portal already enrolled under this referral);
    `declined` needs the reason. Raises TradeError for a step out of order, a missing,
    negative or too low number or a missing reason (fields "workers_enrolled", "note") or a
    stale form.
    """
    if referral.version != version:
        raise TradeError(
            None, _("This referral was changed by someone else. Review it and try again.")
        )
    if outcome not in OUTCOME_STEPS.get(referral.state, frozenset()):
        raise TradeError(
            "outcome", _("This referral is already closed or cannot move to that outcome.")
        )
    note = (note or "").strip() or None
    if outcome == ReferralState.REGISTERED:
        if workers_enrolled is None or workers_enrolled < 0:
            raise TradeError("workers_enrolled", _("Enter how many workers were enrolled."))
        known = workers_enrolled_under(referral.id)
        if workers_enrolled < known:
            raise TradeError(
                "workers_enrolled",
                _(
                    "Workers already enrolled through the portal under this referral: "
                    "%(n)d. The number cannot be lower.",
                    n=known,
                ),
            )
    if outcome == ReferralState.DECLINED and not note:
        raise TradeError("note", _("Give the reason the business declined."))
    before = referral.state
    referral.state = outcome
    if outcome == ReferralState.REGISTERED:
        referral.workers_enrolled = workers_enrolled or 0
    if note:
        referral.outcome_note = note
    referral.outcome_by_id = officer.id
    referral.outcome_at = clock.now()
    flush_or_refuse(
        stale=TradeError(
            None, _("This referral was changed by someone else. Review it and try again.")
        )
    )
    record_event(
        "referral.outcome",
        referral,
        {
            "before": before,
            "after": outcome,
            "workers_enrolled": referral.workers_enrolled,
            "note": note,
        },
        actor=officer,
    )


def workers_enrolled_under(referral_id: int) -> int:
    """Distinct workers whose enrolment request under this referral BPJS has enrolled."""
    return db.session.scalar(
        select(func.count(func.distinct(EnrolmentRequest.worker_id))).where(
            EnrolmentRequest.referral_id == referral_id,
            EnrolmentRequest.state == EnrolmentState.ENROLLED,
        )
    )


def enrolled_in(requests: list[EnrolmentRequest]) -> int:
    """The same count from already loaded `linked_requests` (no query)."""
    return len({r.worker_id for r in requests if r.state == EnrolmentState.ENROLLED})


def linked_requests(referral_id: int) -> list[EnrolmentRequest]:
    """Enrolment requests submitted under this referral, with their workers (one query)."""
    return list(
        db.session.scalars(
            select(EnrolmentRequest)
            .options(joinedload(EnrolmentRequest.worker))
            .where(EnrolmentRequest.referral_id == referral_id)
            .order_by(EnrolmentRequest.id)
        )
    )


# --- What the referral pages list and open ----------------------------------------------------


def referral_page(state: str | None, page: object = 1) -> Pagination:
    """Referrals, newest first: all, one state, or "active" (open or contacted)."""
    stmt = select(Referral).options(
        joinedload(Referral.business).joinedload(Business.kelurahan),
        joinedload(Referral.referred_by),
    )
    if state == "active":
        stmt = stmt.where(Referral.state.in_(ACTIVE_STATES))
    elif state in {s.value for s in ReferralState}:
        stmt = stmt.where(Referral.state == state)
    return page_of(stmt.order_by(Referral.created_at.desc(), Referral.id.desc()), page)


def load_referral(referral_id: int) -> Referral:
    """The referral with its business and the people on it; NotFound when absent."""
    referral = db.session.scalar(
        select(Referral)
        .options(
            joinedload(Referral.business).joinedload(Business.kelurahan),
            joinedload(Referral.referred_by),
            joinedload(Referral.outcome_by),
        )
        .where(Referral.id == referral_id)
    )
    if referral is None:
        raise NotFound()
    return referral
