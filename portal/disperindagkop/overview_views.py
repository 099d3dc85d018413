"""The trade office's landing page: what is waiting for it."""

from flask import render_template
from sqlalchemy import func, select

from ..extensions import db
from ..models import Business, ComplianceCase, ComplianceState, Referral, VerificationState
from ..services.outreach.referrals import ACTIVE_STATES
from ..web.access import TRADE, require
from . import bp


@bp.route("/")
@require(TRADE)
def index():
    counts = db.session.execute(
        select(
            select(func.count(Business.id))
            .where(Business.verification_state == VerificationState.PENDING)
            .scalar_subquery()
            .label("pending"),
            select(func.count(Referral.id))
            .where(Referral.state.in_(ACTIVE_STATES))
            .scalar_subquery()
            .label("referrals"),
            select(func.count(ComplianceCase.id))
            .where(
                ComplianceCase.state == ComplianceState.FINED,
                ComplianceCase.withholding_requested_on.is_not(None),
            )
            .scalar_subquery()
            .label("withholding_requested"),
            select(func.count(ComplianceCase.id))
            .where(ComplianceCase.state == ComplianceState.SERVICES_WITHHELD)
            .scalar_subquery()
            .label("withheld"),
        )
    ).one()
    return render_template("disperindagkop/index.html", counts=counts)
