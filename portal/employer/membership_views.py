"""Owner side of BPJS memberships: KPJ, state (lapsed/ended), dues, payments, arrears, card.

Every query is scoped to the owner's businesses; another business's membership is a 404.
Workers are named as this business recorded them (their employment), never by what another
business entered for the same person. Lists are paginated in SQL with a fixed query count.
"""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from ..domain.clock import today_wib
from ..services.membership.employer_dues import (
    dues_this_month,
    latest_decisions,
    load_owner_membership,
    membership_statement,
    owner_arrears,
    owner_arrears_page,
    owner_member_card,
    owner_membership_page,
)
from ..web.access import OWNER, require
from ..web.cards import card_download
from ..web.forms import id_arg
from . import bp


@bp.route("/memberships")
@require(OWNER)
def memberships():
    page = owner_membership_page(current_user.id, request.args.get("page"))
    return render_template(
        "employer/memberships/list.html",
        page=page,
        dues=dues_this_month(page.items, today_wib()),
        decisions=latest_decisions(current_user.id),
    )


@bp.route("/memberships/<int:membership_id>")
@require(OWNER)
def membership(membership_id: int):
    m = load_owner_membership(membership_id, current_user.id)
    rows, arrears = membership_statement(m)
    return render_template("employer/memberships/detail.html", m=m, rows=rows, arrears=arrears)


@bp.route("/memberships/<int:membership_id>/card.pdf")
@require(OWNER)
def membership_card(membership_id: int):
    m = load_owner_membership(membership_id, current_user.id)
    return card_download(m, owner_member_card)


@bp.route("/arrears")
@require(OWNER)
def arrears():
    """Unpaid months with the late fine, per worker (paginated), per business and in all."""
    today = today_wib()
    business_id = id_arg("business")
    return render_template(
        "employer/memberships/arrears.html",
        arrears=owner_arrears(current_user.id, today, business_id),
        page=owner_arrears_page(current_user.id, today, business_id, request.args.get("page")),
        business_id=business_id,
    )
