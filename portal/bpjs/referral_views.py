"""BPJS's referrals inbox: referrals from the trade office and the outcome BPJS records."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _

from ..models import ReferralState
from ..services.outreach.referrals import (
    OUTCOME_STEPS,
    enrolled_in,
    linked_requests,
    load_referral,
    record_outcome,
    referral_page,
)
from ..web.access import BPJS, me, require
from ..web.case_forms import OutcomeForm
from ..web.forms import submit
from . import bp


@bp.route("/referrals")
@require(BPJS)
def referrals():
    state = request.args.get("state", "active")
    page = referral_page(state or None, request.args.get("page"))
    return render_template(
        "bpjs/referrals/list.html", page=page, selected=state, states=list(ReferralState)
    )


def _render(referral, status: int = 200, form: OutcomeForm | None = None):
    requests = linked_requests(referral.id)
    if form is None:
        # Suggest the workers BPJS already enrolled under this referral (the lowest allowed).
        form = OutcomeForm(
            formdata=None, version=referral.version, workers_enrolled=enrolled_in(requests) or None
        )
        allowed = OUTCOME_STEPS.get(referral.state, frozenset())
        form.outcome.choices = [c for c in form.outcome.choices if c[0] in allowed]
    return (
        render_template(
            "bpjs/referrals/detail.html",
            referral=referral,
            requests=requests,
            form=form,
            can_record=bool(OUTCOME_STEPS.get(referral.state)),
        ),
        status,
    )


@bp.route("/referrals/<int:referral_id>")
@require(BPJS)
def referral(referral_id: int):
    return _render(load_referral(referral_id))


@bp.route("/referrals/<int:referral_id>/outcome", methods=["POST"])
@require(BPJS)
def referral_outcome(referral_id: int):
    referral = load_referral(referral_id)
    form = OutcomeForm()
    done = submit(
        form,
        lambda: record_outcome(
            referral,
            me(),
            outcome=form.outcome.data,
            workers_enrolled=form.workers_enrolled.data,
            note=form.note.data,
            version=int(form.version.data),
        ),
        _("The outcome is recorded."),
        url_for(".referral", referral_id=referral.id),
    )
    if done:
        return done
    if form.is_submitted():  # refused: show the record as stored now
        referral = load_referral(referral_id)
    return _render(referral, 400, form)
