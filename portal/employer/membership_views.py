"""Owner side of BPJS memberships: KPJ, state (lapsed/ended), dues, payments, arrears, card.

Every query is scoped to the owner's businesses; another business's membership is a 404.
"""

from __future__ import annotations

from flask import abort, current_app, render_template
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..auth.access import OWNER, require
from ..extensions import db
from ..models import Business, EnrollmentRequest, EnrollmentState, Membership
from ..pdf import pdf_response
from ..services.audit import record_event
from ..services.bpjs_cards import member_card
from ..services.bpjs_common import today_wib
from ..services.bpjs_contributions import Arrears, arrears_of, payments_by_membership, schedule
from . import bp

DECIDED = (
    EnrollmentState.ENROLLED.value,
    EnrollmentState.RETURNED.value,
    EnrollmentState.REJECTED.value,
)


def _owned_business_ids():
    return select(Business.id).where(Business.owner_id == current_user.id)


@bp.route("/memberships")
@require(OWNER)
def memberships():
    page = db.paginate(
        select(Membership)
        .where(Membership.business_id.in_(_owned_business_ids()))
        .options(joinedload(Membership.worker), joinedload(Membership.business))
        .order_by(Membership.state, Membership.id.desc()),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    decisions = db.session.scalars(
        select(EnrollmentRequest)
        .where(
            EnrollmentRequest.business_id.in_(_owned_business_ids()),
            EnrollmentRequest.state.in_(DECIDED),
        )
        .options(joinedload(EnrollmentRequest.worker), joinedload(EnrollmentRequest.business))
        .order_by(EnrollmentRequest.decided_at.desc(), EnrollmentRequest.id.desc())
        .limit(20)
    ).all()
    return render_template("employer/memberships/list.html", page=page, decisions=decisions)


def _owned_membership_or_404(membership_id: int) -> Membership:
    membership = db.session.scalar(
        select(Membership)
        .where(
            Membership.id == membership_id,
            Membership.business_id.in_(_owned_business_ids()),
        )
        .options(
            joinedload(Membership.worker),
            joinedload(Membership.business),
            joinedload(Membership.funded_batch),
        )
    )
    if membership is None:
        abort(404)
    return membership


@bp.route("/memberships/<int:membership_id>")
@require(OWNER)
def membership(membership_id: int):
    m = _owned_membership_or_404(membership_id)
    rows = schedule(m, payments_by_membership([m.id])[m.id])
    return render_template(
        "employer/memberships/detail.html", m=m, rows=rows, arrears=arrears_of(rows)
    )


@bp.route("/memberships/<int:membership_id>/card.pdf")
@require(OWNER)
def membership_card(membership_id: int):
    m = _owned_membership_or_404(membership_id)
    record_event("membership.card_downloaded", m, {"kpj": m.kpj, "by": "owner"})
    db.session.commit()
    return pdf_response(member_card(m), f"kartu-{m.kpj}.pdf")


@bp.route("/arrears")
@require(OWNER)
def arrears():
    """Arrears of every business the owner has, with months, amounts and the late fine."""
    businesses = db.session.scalars(
        select(Business).where(Business.owner_id == current_user.id).order_by(Business.name)
    ).all()
    memberships = db.session.scalars(
        select(Membership)
        .where(
            Membership.business_id.in_([b.id for b in businesses]),
            Membership.funding_source == "employer",
        )
        .options(joinedload(Membership.worker))
        .order_by(Membership.id)
    ).all()
    paid = payments_by_membership(m.id for m in memberships)
    today = today_wib()
    per_business: dict[int, tuple[list, Arrears]] = {b.id: ([], Arrears()) for b in businesses}
    for m in memberships:
        rows = schedule(m, paid[m.id], today)
        unpaid = [r for r in rows if r.in_arrears]
        if unpaid:
            lines, total = per_business[m.business_id]
            lines.append((m, unpaid))
            result = arrears_of(rows)
            total.months += result.months
            total.amount += result.amount
            total.fine += result.fine
    return render_template(
        "employer/memberships/arrears.html", businesses=businesses, per_business=per_business
    )
