"""Landing page of the BPJS workspace and the memberships it manages."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, current_app, render_template, request
from flask_login import current_user
from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import aliased, joinedload

from ..domain.clock import today_wib
from ..extensions import db
from ..models import EnrolmentRequest, FundedBatch, Membership, Worker
from ..pdf import pdf_response
from ..services.audit.trail import record_event
from ..services.enrolment.reports import OPEN
from ..services.funded_batches.batches import RENEWAL_WINDOW_DAYS
from ..services.membership.cards import member_card
from ..services.membership.dues import arrears_of, payments_by_membership, schedule
from ..web.access import BPJS, require
from . import bp


@bp.route("/")
@require(BPJS)
def index():
    today = today_wib()
    unclaimed, mine, overdue = db.session.execute(
        select(
            func.sum(case((EnrolmentRequest.assignee_id.is_(None), 1), else_=0)),
            func.sum(case((EnrolmentRequest.assignee_id == current_user.id, 1), else_=0)),
            func.sum(case((EnrolmentRequest.sla_due < today, 1), else_=0)),
        ).where(EnrolmentRequest.state.in_(OPEN))
    ).one()
    successor = aliased(FundedBatch)
    renewals = db.session.scalar(
        select(func.count())
        .select_from(FundedBatch)
        .where(
            FundedBatch.period_end.between(today, today + timedelta(days=RENEWAL_WINDOW_DAYS)),
            ~exists().where(successor.renewed_from_id == FundedBatch.id),
        )
    )
    counts = {
        "unclaimed": unclaimed or 0,
        "mine": mine or 0,
        "overdue": overdue or 0,
        "renewals": renewals or 0,
    }
    return render_template("bpjs/index.html", counts=counts)


@bp.route("/memberships")
@require(BPJS)
def memberships():
    q = (request.args.get("q") or "").strip()[:60]
    state = request.args.get("state") or ""
    funding = request.args.get("funding") or ""
    stmt = select(Membership).options(
        joinedload(Membership.worker),
        joinedload(Membership.business),
        joinedload(Membership.funded_batch),
    )
    if q.isdigit():
        stmt = stmt.where(Membership.kpj == q)
    elif q:
        stmt = stmt.where(
            Membership.worker_id.in_(
                select(Worker.id).where(Worker.full_name.ilike(q.replace("%", "") + "%"))
            )
        )
    if state in ("active", "lapsed", "ended"):
        stmt = stmt.where(Membership.state == state)
    if funding in ("self", "employer", "apbd", "csr"):
        stmt = stmt.where(Membership.funding_source == funding)
    page = db.paginate(
        stmt.order_by(Membership.id.desc()),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    return render_template(
        "bpjs/memberships/list.html", page=page, q=q, state=state, funding=funding
    )


def _membership_or_404(membership_id: int) -> Membership:
    membership = db.session.scalar(
        select(Membership)
        .where(Membership.id == membership_id)
        .options(
            joinedload(Membership.worker),
            joinedload(Membership.business),
            joinedload(Membership.funded_batch),
            joinedload(Membership.employment),
        )
    )
    if membership is None:
        abort(404)
    return membership


@bp.route("/memberships/<int:membership_id>")
@require(BPJS)
def membership_detail(membership_id: int):
    membership = _membership_or_404(membership_id)
    rows = schedule(membership, payments_by_membership([membership.id])[membership.id])
    return render_template(
        "bpjs/memberships/detail.html",
        m=membership,
        rows=rows,
        arrears=arrears_of(rows),
    )


@bp.route("/memberships/<int:membership_id>/card.pdf")
@require(BPJS)
def membership_card(membership_id: int):
    membership = _membership_or_404(membership_id)
    record_event("membership.card_downloaded", membership, {"kpj": membership.kpj})
    db.session.commit()
    return pdf_response(member_card(membership), f"kartu-{membership.kpj}.pdf")
