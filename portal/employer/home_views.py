"""The owner's home: businesses, employees, enrolled vs not, contributions due, to-dos.

Figures and to-dos cover all the owner's businesses; the business list is paginated."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from ..domain.clock import today_wib
from ..services.businesses.owned import owner_business_page, owner_todo
from ..services.membership.employer_dues import BusinessFigures, owner_figures, totals_of
from ..web.access import OWNER, require
from ..web.page_cache import cached_page
from . import bp


@bp.route("/")
@cached_page
@require(OWNER)
def index():
    page = owner_business_page(current_user.id, request.args.get("page"))
    # Totals cover every business of the owner, not just this page of them.
    figures = owner_figures(current_user.id, today_wib())
    return render_template(
        "employer/index.html",
        page=page,
        figures={b.id: figures.get(b.id, BusinessFigures()) for b in page.items},
        totals=totals_of(figures),
        todo=owner_todo(current_user.id),
    )
