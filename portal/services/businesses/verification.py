"""Verifying businesses (trade office) and resubmitting a rejected one (its owner).

State moves follow `domain.workflow.BUSINESS_VERIFICATION`: pending → verified | rejected,
rejected → pending. Decisions are conditional UPDATEs on the pending state, so two officers
deciding at once cannot both succeed.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from ...domain import clock
from ...domain.workflow import TransitionError, check
from ...extensions import db
from ...models import Business, Region, User, VerificationState
from ..audit.trail import record_event
from ..pages import page_of
from ..saving import update_rows
from .common import TradeError

MACHINE = "business_verification"


def registered_by(business: Business, officer: User) -> bool:
    """Did `officer` register this business in the field? (Maker-checker: then another
    officer verifies it.)"""
    return business.registered_by_id is not None and business.registered_by_id == officer.id


def _already_decided(business: Business) -> TradeError:
    if business.verification_state == VerificationState.VERIFIED:
        return TradeError(None, _("This business has already been verified."))
    if business.verification_state == VerificationState.REJECTED:
        return TradeError(None, _("This business has already been rejected."))
    return TradeError(None, _("This business is not waiting for verification."))


def _decide(business: Business, target: str, officer: User, values: dict) -> None:
    try:
        check(MACHINE, business.verification_state, target)
    except TransitionError:
        raise _already_decided(business) from None
    now = clock.now()
    result = update_rows(
        Business,
        Business.id == business.id,
        Business.verification_state == VerificationState.PENDING,
        verification_state=target,
        version=Business.version + 1,
        updated_at=now,
        **values,
    )
    if result != 1:
        # Someone decided between our read and our write: show what they decided.
        db.session.refresh(business)
        raise _already_decided(business)
    db.session.refresh(business)


def verify_business(business: Business, officer: User) -> None:
    """Mark a pending business verified.

    Who: trade_officer or trade_head. Maker-checker: the officer who registered the business
    in the field may not verify it. Raises TradeError when the business is not pending
    (verified twice, rejected meanwhile) or the maker-checker rule forbids it.
    """
    if registered_by(business, officer):
        raise TradeError(
            None, _("You registered this business in the field; another officer must verify it.")
        )
    _decide(
        business,
        VerificationState.VERIFIED,
        officer,
        {"verified_by_id": officer.id, "verified_at": clock.now(), "rejection_reason": None},
    )
    record_event(
        "business.verified",
        business,
        {"before": VerificationState.PENDING.value, "after": VerificationState.VERIFIED.value},
        actor=officer,
    )


def reject_business(business: Business, officer: User, reason: str) -> None:
    """Reject a pending business with a reason its owner sees and can answer.

    Who: trade_officer or trade_head. Raises TradeError(field="reason") without a reason and
    TradeError when the business is no longer pending.
    """
    reason = (reason or "").strip()
    if not reason:
        raise TradeError("reason", _("Give the reason so the owner knows what to correct."))
    _decide(
        business,
        VerificationState.REJECTED,
        officer,
        {"rejection_reason": reason, "verified_by_id": officer.id, "verified_at": clock.now()},
    )
    record_event(
        "business.rejected",
        business,
        {
            "before": VerificationState.PENDING.value,
            "after": VerificationState.REJECTED.value,
            "reason": reason,
        },
        actor=officer,
    )


CORRECTABLE_FIELDS = ("nib", "name", "sector_code", "scale", "kelurahan_code", "address", "phone")


def resubmit_business(business: Business, owner: User, changes: dict, version: int) -> None:
    """The owner corrects a rejected business and sends it back to the verification queue.

    Who: the business owner (the caller has scoped `business` to them). `changes` holds the
    corrected CORRECTABLE_FIELDS; `version` is the version the owner's form was built from.
    Raises TradeError when the business is not rejected, the form is stale, or the corrected
    NIB belongs to another business (field "nib").
    """
    if business.version != version:
        raise TradeError(
            None, _("This business was changed by someone else. Review it and try again.")
        )
    try:
        check(MACHINE, business.verification_state, VerificationState.PENDING)
    except TransitionError:
        raise TradeError(
            None, _("Only a rejected business can be corrected and resubmitted.")
        ) from None
    nib = changes.get("nib", business.nib)
    taken = db.session.scalar(
        select(Business.id).where(Business.nib == nib, Business.id != business.id)
    )
    if taken is not None:
        raise TradeError("nib", _("Another business is already registered with this NIB."))
    before = {name: getattr(business, name) for name in CORRECTABLE_FIELDS}
    for name in CORRECTABLE_FIELDS:
        if name in changes:
            setattr(business, name, changes[name])
    previous_reason = business.rejection_reason
    business.verification_state = VerificationState.PENDING
    business.verified_by_id = None
    business.verified_at = None
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise TradeError(
            "nib", _("Another business is already registered with this NIB.")
        ) from None
    except StaleDataError:
        raise TradeError(
            None, _("This business was changed by someone else. Review it and try again.")
        ) from None
    changed = {
        k: {"before": v, "after": getattr(business, k)}
        for k, v in before.items()
        if v != getattr(business, k)
    }
    record_event(
        "business.resubmitted",
        business,
        {"answered_reason": previous_reason, "changed": changed},
        actor=owner,
    )


def verify_many(business_ids: list[int], officer: User) -> tuple[list[Business], list[TradeError]]:
    """Verify several pending businesses at once, each under the same rules as one.

    For any bulk action (the admin's list action should call this rather than update rows
    itself): maker-checker and the pending-only rule apply per business, a refused business
    is left exactly as it was and the others go ahead. Returns (verified, refusals); the
    caller commits once.
    """
    verified: list[Business] = []
    refused: list[TradeError] = []
    wanted = list(dict.fromkeys(business_ids))
    found = {b.id: b for b in db.session.scalars(select(Business).where(Business.id.in_(wanted)))}
    for business in (found[i] for i in wanted if i in found):
        try:
            with db.session.begin_nested():
                verify_business(business, officer)
        except TradeError as error:
            db.session.refresh(business)
            refused.append(TradeError(None, f"{business.name}: {error.message}"))
        else:
            verified.append(business)
    return verified, refused


# --- What the verification queue lists --------------------------------------------------------


def pending_page(page: object = 1) -> Pagination:
    """Businesses waiting for verification, the longest-waiting first, with what the queue
    shows (sector, area, owner, registering officer) loaded alongside."""
    stmt = (
        select(Business)
        .options(
            joinedload(Business.sector),
            joinedload(Business.kelurahan).joinedload(Region.parent),
            joinedload(Business.owner),
            joinedload(Business.registered_by),
        )
        .where(Business.verification_state == VerificationState.PENDING)
        .order_by(Business.updated_at, Business.id)
    )
    return page_of(stmt, page)
