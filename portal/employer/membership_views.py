"""Owner side of BPJS memberships: KPJ, state (lapsed/ended), dues, payments, arrears, card.

Every query is scoped to the owner's businesses; another business's membership is a 404.
Workers are named as this business recorded them (their employment), never by what another
business entered for the same person. Lists are paginated in SQL with a fixed query count.
"""

from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..domain.clock import today_wib
from ..extensions import db
from ..models import DECIDED_STATES, Business, EnrolmentRequest, Membership
from ..pdf import pdf_response
from ..services.audit.trail import record_event
from ..services.membership.cards import member_card
from ..services.membership.common import month_start
from ..services.membership.dues import arrears_of, monthly_due, payments_by_membership, schedule
from ..services.membership.employer_dues import owner_arrears, owner_arrears_statement
from ..web.access import OWNER, require
from . import bp

DECIDED = tuple(s.value for s in DECIDED_STATES)


def _owned_business_ids():
    return select(Business.id).where(Business.owner_id == current_user.id)


@bp.route("/memberships")
@require(OWNER)
def memberships():
    page = db.paginate(
        select(Membership)
        .where(Membership.business_id.in_(_owned_business_ids()))
        .options(joinedload(Membership.employment), joinedload(Membership.business))
        .order_by(Membership.state, Membership.id.desc()),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    # This month's dues from each membership's own figures (what the schedule and arrears use).
    month = month_start(today_wib())
    dues = {m.id: monthly_due(m, month) for m in page.items if m.state != "ended"}
    decisions = db.session.scalars(
        select(EnrolmentRequest)
        .where(
            EnrolmentRequest.business_id.in_(_owned_business_ids()),
            EnrolmentRequest.state.in_(DECIDED),
        )
        .options(joinedload(EnrolmentRequest.employment), joinedload(EnrolmentRequest.business))
        .order_by(EnrolmentRequest.decided_at.desc(), EnrolmentRequest.id.desc())
        .limit(20)
    ).all()
    return render_template(
        "employer/memberships/list.html", page=page, dues=dues, decisions=decisions
    )


def _owned_membership_or_404(membership_id: int) -> Membership:
    membership = db.session.scalar(
        select(Membership)
        .where(
            Membership.id == membership_id,
            Membership.business_id.in_(_owned_business_ids()),
        )
        .options(
            joinedload(Membership.worker),
            joinedload(Membership.employment),
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
    """Unpaid months with the late fine, per worker (paginated), per business and in all."""
    today = today_wib()
    business_id = request.args.get("business", type=int)
    found = owner_arrears(current_user.id, today, business_id)
    page = db.paginate(
        owner_arrears_statement(current_user.id, today, business_id).options(
            joinedload(Membership.business), joinedload(Membership.employment)
        ),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    return render_template(
        "employer/memberships/arrears.html",
        page=page,
        lines=found.lines,
        per_business=found.per_business,
        total=found.total,
        business_id=business_id,
    )
