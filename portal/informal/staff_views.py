"""BPJS's side of field agents: create them and attach them to kelurahan, see their results,
confirm (or refuse) the cash they collected, see a registration's consent photo."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..services.informal.agents import consent_photo_of, create_agent
from ..services.informal.collections import (
    confirm_collection,
    recorded_collections,
    refuse_collection,
)
from ..services.informal.continuation import (
    choices_of_ending_batches,
    start_self_paid,
    waiting_for_kpj,
)
from ..services.informal.reports import agent_results, report_month
from ..web.access import BPJS, me, require
from ..web.forms import EmptyForm, attempt, keeps_form_on_csrf_error, show_form, submit
from . import bp
from .forms import AgentForm, StartSelfPaidForm


@bp.route("/bpjs/agents", methods=["GET", "POST"])
@require(BPJS)
@keeps_form_on_csrf_error
def staff_agents():
    form = AgentForm()
    month = report_month(request.args.get("month"))
    return submit(
        form,
        lambda: create_agent(
            form.name.data,
            form.email.data,
            form.phone.data,
            form.password.data,
            list(form.kelurahan.data or []),
            me(),
        ),
        lambda agent: _("Field agent %(name)s created.", name=agent.name),
        url_for("informal.staff_agents"),
    ) or show_form(
        "informal/staff_agents.html",
        form,
        results=agent_results(month, request.args.get("page")),
        month=month,
    )


@bp.route("/bpjs/agent-cash", methods=["GET", "POST"])
@require(BPJS)
def staff_collections():
    form = EmptyForm()
    if form.validate_on_submit():
        collection_id = request.form.get("collection_id", type=int) or 0
        actor = me()
        if request.form.get("action") == "refuse":
            saved, _value = attempt(
                lambda: refuse_collection(collection_id, actor, request.form.get("reason", ""))
            )
            message = _("Refused.")
        else:
            saved, _value = attempt(lambda: confirm_collection(collection_id, actor))
            message = _("Confirmed: the months are paid.")
        if saved:
            flash(message, "success")
        return redirect(url_for("informal.staff_collections"))
    page = recorded_collections(request.args.get("page"))
    return render_template("informal/staff_collections.html", page=page, form=form)


@bp.route("/bpjs/consent/<int:request_id>")
@require(BPJS)
def staff_consent_photo(request_id: int):
    photo, mimetype = consent_photo_of(request_id)
    return photo, 200, {"Content-Type": mimetype, "Cache-Control": "private, no-store"}


@bp.route("/bpjs/batch-choices", methods=["GET", "POST"])
@require(BPJS)
@keeps_form_on_csrf_error
def staff_batch_choices():
    """Members of funded batches ending soon and what each chose; for those who continue,
    BPJS enters the KPJ its system issued and the self-paid membership starts."""
    form = StartSelfPaidForm()
    choice_id = request.form.get("choice_id", type=int) or 0
    return submit(
        form,
        lambda: start_self_paid(choice_id, form.kpj.data, me()),
        lambda membership: _(
            "Self-paid membership KPJ %(kpj)s starts on %(day)s.",
            kpj=membership.kpj,
            day=membership.start_date.strftime("%d-%m-%Y"),
        ),
        lambda _membership: url_for("informal.staff_batch_choices", page=request.args.get("page")),
    ) or show_form(
        "informal/staff_batch_choices.html",
        form,
        batches=choices_of_ending_batches(),
        waiting=waiting_for_kpj(request.args.get("page")),
        failed_choice=choice_id if form.errors else None,
    )
