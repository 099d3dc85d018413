"""The membership register of the BPJS workspace: list, one membership, its member card."""

from __future__ import annotations

from flask import render_template, request, url_for

from ..services.membership.cards import issue_card
from ..services.membership.queries import load_membership, membership_dues, membership_page
from ..services.reference.choices import funding_sources, membership_states
from ..web.access import BPJS, require
from ..web.cards import card_download
from ..web.page_cache import cached_page
from . import bp


@bp.route("/memberships")
@cached_page
@require(BPJS)
def memberships():
    q = (request.args.get("q") or "").strip()[:60]
    state = request.args.get("state") or ""
    funding = request.args.get("funding") or ""
    page = membership_page(q, state, funding, request.args.get("page"))
    return render_template(
        "bpjs/memberships/list.html",
        page=page,
        q=q,
        state_filter=state,
        funding_filter=funding,
        state_choices=membership_states(),
        funding_choices=funding_sources(),
    )


@bp.route("/memberships/<int:membership_id>")
@require(BPJS)
def membership_detail(membership_id: int):
    membership = load_membership(membership_id)
    rows, arrears = membership_dues(membership)
    return render_template("bpjs/memberships/detail.html", m=membership, rows=rows, arrears=arrears)


@bp.route("/memberships/<int:membership_id>/card.pdf")
@require(BPJS)
def membership_card(membership_id: int):
    return card_download(
        load_membership(membership_id),
        issue_card,
        refused=url_for("bpjs.membership_detail", membership_id=membership_id),
    )
