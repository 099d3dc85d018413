"""Field agents (Perisai / kelurahan cadres) on a phone: register people one after another
(the next form keeps the shared fields), an "all saved" summary, their own people only, the
cash they collect and their monthly report. Pages stay small: no script but the shared one."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..domain import normalise
from ..extensions import limiter
from ..services.enrolment.own_account import duplicate_of, income_range
from ..services.informal.agents import (
    agent_area_choices,
    agent_member_choices,
    agent_portfolio,
    register_person,
    sitting_requests,
)
from ..services.informal.collections import agent_collections, record_collection
from ..services.informal.continuation import (
    agent_ending_members,
    agent_funded_membership,
    stop_undo_until,
    undo_stop,
)
from ..services.informal.reports import agent_report, report_month
from ..services.membership.dues import lowest_bpu_dues
from ..services.notifications.members import recent_notifications
from ..web.access import FIELD_AGENT, me, require
from ..web.confirmation import take_back
from ..web.forms import EmptyForm, attempt, keeps_form_on_csrf_error, show_form, submit
from . import bp
from .forms import AgentPersonForm, CashForm, ContinueForm
from .programme_choice import answer_programme_choice

SITTING = "agent_sitting"  # request ids saved in this sitting
SHARED = "agent_shared"  # the shared fields the next person's form starts with
SHARED_FIELDS = (
    "kelurahan_code",
    "occupation_code",
    "occupation_other",
    "monthly_income",
    "with_jht",
)


@bp.route("/agent/")
@require(FIELD_AGENT)
def agent_home():
    portfolio = agent_portfolio(current_user.id, request.args.get("page"))
    ending = agent_ending_members(current_user.id)
    return render_template(
        "informal/agent_home.html",
        portfolio=portfolio,
        ending=ending,
        stop_undo_until={
            row.membership.id: stop_undo_until(row.choice, current_user) for row in ending
        },
        undo_form=EmptyForm(formdata=None),
        lowest_dues=lowest_bpu_dues(),
        continue_form=ContinueForm(),
        notices=recent_notifications(current_user.id),
    )


@bp.route("/agent/memberships/<int:membership_id>/after-programme", methods=["POST"])
@require(FIELD_AGENT)
def agent_after_programme(membership_id: int):
    """The agent records, for one of his people, the choice when the funded programme ends
    (most have no account of their own): continue self-paid without a gap, or stop."""
    membership = agent_funded_membership(current_user.id, membership_id)
    name = membership.worker.full_name
    return answer_programme_choice(
        membership,
        url_for("informal.agent_home"),
        question=_("Record that %(name)s stops BPJS cover when the programme ends?", name=name),
        stopped=_("Noted: %(name)s will not continue after the programme.", name=name),
        continued=_(
            "Noted: %(name)s continues self-paid; BPJS starts the membership with its KPJ.",
            name=name,
        ),
    )


@bp.route("/agent/memberships/<int:membership_id>/after-programme/undo", methods=["POST"])
@require(FIELD_AGENT)
def agent_undo_stop(membership_id: int):
    """Take back, within a day, a choice to stop the agent recorded for one of his people."""
    membership = agent_funded_membership(current_user.id, membership_id)
    return take_back(
        lambda _version: undo_stop(membership, me()),
        _(
            "The choice to stop is taken back: %(name)s can choose again.",
            name=membership.worker.full_name,
        ),
        url_for("informal.agent_home"),
        versioned=False,
    )


@bp.route("/agent/register", methods=["GET", "POST"])
@require(FIELD_AGENT)
@keeps_form_on_csrf_error
def agent_register():
    areas = agent_area_choices(current_user.id)
    form = AgentPersonForm(areas=areas)
    if request.method == "GET":
        for name, value in (session.get(SHARED) or {}).items():
            if name in SHARED_FIELDS:
                getattr(form, name).data = value
    if form.validate_on_submit():
        photo = request.files.get("consent_photo")
        content = photo.read(2 * 1024 * 1024 + 1) if photo and photo.filename else None
        data = form.own_account_input()
        outcome = attempt(
            lambda: register_person(
                me(),
                data,
                consent=bool(form.consent.data),
                consent_name=form.consent_name.data or "",
                photo=content,
                photo_type=photo.mimetype if content else None,
            ),
            form,
        )
        if outcome.ok:
            saved = outcome.value
            ids = [i for i in session.get(SITTING, []) if i != saved.id]
            session[SITTING] = [*ids, saved.id][-200:]
            session[SHARED] = {
                "kelurahan_code": data.kelurahan_code,
                "occupation_code": data.occupation_code,
                "occupation_other": data.occupation_other,
                "monthly_income": data.monthly_income,
                "with_jht": data.with_jht,
            }
            flash(_("Saved: %(name)s.", name=data.full_name), "success")
            return redirect(url_for("informal.agent_register"))
    sitting = sitting_requests(current_user.id, session.get(SITTING, []))
    return show_form(
        "informal/agent_register.html",
        form,
        sitting=sitting,
        income_range=income_range(),
        has_areas=bool(areas),
    )


@bp.route("/agent/sitting", methods=["GET", "POST"])
@require(FIELD_AGENT)
def agent_sitting():
    """The "all saved" summary of this sitting; POST starts a new sitting."""
    form = EmptyForm()
    if form.validate_on_submit():
        session.pop(SITTING, None)
        session.pop(SHARED, None)
        return redirect(url_for("informal.agent_register"))
    sitting = sitting_requests(current_user.id, session.get(SITTING, []))
    return render_template("informal/agent_sitting.html", sitting=sitting, form=form)


@bp.route("/agent/cash", methods=["GET", "POST"])
@require(FIELD_AGENT)
@keeps_form_on_csrf_error
def agent_cash():
    form = CashForm()
    form.membership_id.choices = agent_member_choices(current_user.id)
    return submit(
        form,
        lambda: record_collection(
            me(),
            form.membership_id.data,
            form.receipt_no.data,
            form.amount.data,
            form.first_period.data,
            form.months.data,
        ),
        _("Cash recorded: BPJS will confirm it as payment."),
        url_for("informal.agent_cash"),
    ) or show_form("informal/agent_cash.html", form, collections=agent_collections(current_user.id))


@bp.route("/agent/report")
@require(FIELD_AGENT)
def agent_report_view():
    month = report_month(request.args.get("month"))
    report = agent_report(me(), month)
    return render_template("informal/agent_report.html", report=report, month=month)


@bp.route("/agent/nik-check")
@require(FIELD_AGENT)
@limiter.limit("240 per hour")
def agent_nik_check():
    """Names a duplicate NIK as soon as it is typed (the form's script asks; submit checks
    again): already a member, waiting at BPJS, registered by another agent, an employee."""
    try:
        nik = normalise.nik(request.args.get("nik", "")[:40])
    except normalise.Unreadable:
        nik = ""
    found = duplicate_of(nik, me()) if len(nik) == 16 else None
    return jsonify(duplicate=found is not None, message=found.message if found else "")
