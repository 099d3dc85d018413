"""Landing page of the BPJS workspace: the queue's counts and the batches to renew."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from ..services.enrolment.reports import queue_counts
from ..services.funded_batches.report import renewals_due_count
from ..web.access import BPJS, require
from . import bp


@bp.route("/")
@require(BPJS)
def index():
    queue = queue_counts(current_user.id)
    counts = {
        "unclaimed": queue.unclaimed,
        "mine": queue.mine,
        "overdue": queue.overdue,
        "renewals": renewals_due_count(),
    }
    return render_template("bpjs/index.html", counts=counts)
