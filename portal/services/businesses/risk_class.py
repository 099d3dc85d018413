"""A business's JKK risk class (PP 44/2015 annex I): its line of activity, not each worker's.

The owner chooses it on the business form (registration or edit) until BPJS has reviewed
it; after that only BPJS changes it (`review_risk_class`, audited). Running employer-paid
memberships of the business follow a change from that month on (earlier months keep the
class they were owed under, `membership.dues.change_terms`).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from ...domain.clock import now, today_wib
from ...extensions import db
from ...models import Business, FundingSource, Membership, MembershipState, RiskClass, User
from ..audit.trail import record_event
from ..errors import NotFound, ServiceError, StaleRecord
from ..membership.dues import change_terms

RISK_CLASSES = tuple(r.value for r in RiskClass)


def carry_risk_class(business: Business, risk_class: str) -> list[tuple[Membership, dict]]:
    """Set the class and carry it into the business's running employer-paid memberships.

    Returns [(membership, {name: [old, new]})] for the audit events the caller writes."""
    business.risk_class = risk_class
    carried = []
    memberships = db.session.scalars(
        select(Membership)
        .where(
            Membership.business_id == business.id,
            Membership.state != MembershipState.ENDED.value,
            Membership.funding_source == FundingSource.EMPLOYER.value,
        )
        .order_by(Membership.id)
    )
    for membership in memberships:
        if changed := change_terms(membership, {"risk_class": risk_class}, today_wib()):
            carried.append((membership, changed))
    return carried


def record_carried(carried: list[tuple[Membership, dict]], business: Business) -> None:
    for membership, changed in carried:
        record_event(
            "membership.terms_changed",
            membership,
            {"kpj": membership.kpj, "business_id": business.id, "changed": changed},
        )


def review_risk_class(
    business_id: int, risk_class: str, actor: User, expected_version: int
) -> Business:
    """BPJS confirms or changes a business's JKK risk class (PP 44/2015 annex I).

    Who: BPJS officer or head. Writes `business.risk_class_reviewed` (before, after) and
    `membership.terms_changed` for each running membership that follows. Raises
    ServiceError(risk_class) for an unknown class, StaleRecord when the business changed
    meanwhile, NotFound for an unknown business.
    """
    business = db.session.get(Business, business_id)
    if business is None:
        raise NotFound()
    if risk_class not in RISK_CLASSES:
        raise ServiceError("risk_class", _("Choose one of the five JKK risk classes."))
    if business.version != expected_version:
        raise StaleRecord()
    before = business.risk_class
    carried = carry_risk_class(business, risk_class)
    business.risk_class_reviewed_at = now()
    business.risk_class_reviewed_by_id = actor.id
    try:
        with db.session.begin_nested():
            db.session.flush()
    except StaleDataError as exc:
        raise StaleRecord() from exc
    record_event(
        "business.risk_class_reviewed",
        business,
        {"before": before, "after": risk_class, "memberships": len(carried)},
    )
    record_carried(carried, business)
    return business
