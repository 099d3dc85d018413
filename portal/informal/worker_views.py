"""A worker's own door: sign up, register as BPU with the contribution shown first, follow the
request, then see membership, dues, payments and the member card. An owner registers himself
the same way from his own account."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..domain.normalise import Unreadable, rupiah
from ..models import EnrolmentChannel, Role
from ..services.enrolment.own_account import bpu_contribution, income_range, register_own_account
from ..services.informal.continuation import stop_undo_until, undo_stop
from ..services.membership.own import load_own_membership, own_member_card, own_overview
from ..services.notifications.members import recent_notifications
from ..web.access import FIELD_AGENT, SELF_REGISTRANTS, me, require
from ..web.cards import card_download
from ..web.confirmation import take_back
from ..web.forms import EmptyForm, attempt, keeps_form_on_csrf_error, show_form
from ..web.signup import sign_up_page, sign_up_view
from . import bp
from .forms import ContinueForm, OwnAccountForm
from .programme_choice import answer_programme_choice


@bp.route("/worker/signup", methods=["GET", "POST"])
@sign_up_view
def worker_signup():
    return sign_up_page(
        Role.WORKER,
        "informal/signup.html",
        lambda email: _(
            "We have sent a message to %(email)s. Follow it to log in and register "
            "yourself with BPJS Ketenagakerjaan.",
            email=email,
        ),
    )


@bp.route("/worker/")
@require(SELF_REGISTRANTS)
def worker_home():
    overview = own_overview(current_user.id)
    return render_template(
        "informal/home.html",
        overview=overview,
        stop_undo_until={
            own.membership.id: stop_undo_until(own.choice, current_user)
            for own in overview.memberships
        },
        undo_form=EmptyForm(formdata=None),
        continue_form=ContinueForm(),
        notices=recent_notifications(current_user.id),
    )


@bp.route("/worker/register", methods=["GET", "POST"])
@require(SELF_REGISTRANTS)
@keeps_form_on_csrf_error
def register():
    overview = own_overview(current_user.id)
    if not overview.can_register:
        return redirect(url_for("informal.worker_home"))
    form = OwnAccountForm()
    if request.method == "GET":
        form.full_name.data = current_user.name
        form.phone.data = current_user.phone
        if overview.worker is not None:
            form.nik.data = overview.worker.nik
    refusal = None
    if form.validate_on_submit() and not form.preview.data:
        outcome = attempt(
            lambda: register_own_account(
                form.own_account_input(),
                channel=EnrolmentChannel.SELF,
                account=me(),
            ),
            form,
        )
        if outcome.ok:
            flash(_("Your registration has been sent to BPJS Ketenagakerjaan."), "success")
            return redirect(url_for("informal.worker_home"))
        refusal = outcome.error
    contribution = bpu_contribution(form.monthly_income.data, bool(form.with_jht.data))
    return show_form(
        "informal/register.html",
        form,
        contribution=contribution,
        income_range=income_range(),
        refusal=refusal,
    )


@bp.route("/worker/contribution")
@require(SELF_REGISTRANTS | FIELD_AGENT)
def contribution_preview():
    """The BPU contribution for an income and programmes, for the form's live preview."""
    try:
        income = rupiah(request.args.get("income", "")[:40])
    except Unreadable:
        income = None
    contribution = bpu_contribution(income, request.args.get("jht") == "1")
    if contribution is None:
        low, high = income_range()
        return jsonify(ok=False, text=_form_range_text(low, high))
    return jsonify(
        ok=True,
        total=contribution.total,
        text=render_template("informal/_contribution.html", contribution=contribution),
    )


def _form_range_text(low: int, high: int) -> str:
    return render_template(
        "informal/_contribution.html", contribution=None, income_range=(low, high)
    )


@bp.route("/worker/memberships/<int:membership_id>/card.pdf")
@require(SELF_REGISTRANTS)
def member_card(membership_id: int):
    return card_download(load_own_membership(membership_id, current_user.id), own_member_card)


@bp.route("/worker/memberships/<int:membership_id>/after-programme", methods=["POST"])
@require(SELF_REGISTRANTS)
def after_programme(membership_id: int):
    """One step when the funded programme ends: continue self-paid (no gap), or stop."""
    membership = load_own_membership(membership_id, current_user.id)
    return answer_programme_choice(
        membership,
        url_for("informal.worker_home"),
        question=_("Stop your BPJS cover when the programme ends?"),
        stopped=_("Noted: you will not continue after the programme."),
        continued=_("You stay covered: you pay yourself from the month after the programme."),
    )


@bp.route("/worker/memberships/<int:membership_id>/after-programme/undo", methods=["POST"])
@require(SELF_REGISTRANTS)
def undo_stop_choice(membership_id: int):
    """Take back the choice to stop within a day: the member may choose again."""
    membership = load_own_membership(membership_id, current_user.id)
    return take_back(
        lambda _version: undo_stop(membership, me()),
        _("Your choice to stop is taken back: you can choose again."),
        url_for("informal.worker_home"),
        versioned=False,
    )
