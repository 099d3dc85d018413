"""The public "Cek kepesertaan": NIK and birth date → active, lapsed or unknown (and the
paid-through month of an active membership). Rate-limited like complaint tracking."""

from __future__ import annotations

from flask import current_app

from ..extensions import limiter
from ..services.membership.check import check_membership
from ..web.access import public
from ..web.forms import keeps_form_on_csrf_error, show_form
from . import bp
from .forms import CheckForm


def _check_limit() -> str:
    return current_app.config.get(
        "MEMBERSHIP_CHECK_RATE_LIMIT",
        current_app.config.get("COMPLAINT_TRACK_RATE_LIMIT", "10 per 10 minutes"),
    )


@bp.route("/membership-check", methods=["GET", "POST"])
@public
@limiter.limit(_check_limit, methods=["POST"], scope="membership-check")
@keeps_form_on_csrf_error
def check():
    form = CheckForm()
    result = None
    if form.validate_on_submit():
        result = check_membership(form.nik.data, form.birth_date.data)
    return show_form("informal/check.html", form, result=result)
