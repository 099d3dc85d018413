"""Employer compliance from the trade office's side: withholding services and lifting it."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..domain.clock import today_wib
from ..models import ComplianceCase
from ..services.compliance.cases import (
    clear_case,
    clearance_gaps,
    record_withholding,
    requested_service_codes,
    withholding_choices,
)
from ..services.compliance.queries import case_page, load_case
from ..services.compliance.rules import service_labels
from ..web.access import TRADE, require
from ..web.case_forms import ClearForm, WithholdingForm
from ..web.forms import submit
from . import bp


@bp.route("/compliance")
@require(TRADE)
def compliance():
    view = request.args.get("view", "action")
    if view not in ("action", "open", "all"):
        view = "action"
    page = case_page(view, request.args.get("page"))
    return render_template("disperindagkop/compliance_list.html", page=page, view=view)


def _render_case(case: ComplianceCase, status: int = 200, **forms):
    withhold_form = forms.get("withhold_form")
    if withhold_form is None:
        withhold_form = WithholdingForm(formdata=None, version=case.version)
        withhold_form.services.data = requested_service_codes(case)
        withhold_form.withheld_on.data = today_wib()
    # Only what BPJS asked for can be withheld: offer just those services.
    withhold_form.services.choices = withholding_choices(case)
    return (
        render_template(
            "disperindagkop/compliance_case.html",
            case=case,
            gaps=clearance_gaps(case) if case.is_withheld else None,
            service_labels=service_labels,
            withhold_form=withhold_form,
            lift_form=forms.get("lift_form") or ClearForm(formdata=None, version=case.version),
        ),
        status,
    )


@bp.route("/compliance/<int:case_id>")
@require(TRADE)
def compliance_case(case_id: int):
    return _render_case(load_case(case_id))


@bp.route("/compliance/<int:case_id>/withhold", methods=["POST"])
@require(TRADE)
def withhold(case_id: int):
    case = load_case(case_id)
    form = WithholdingForm()
    done = submit(
        form,
        lambda: record_withholding(
            case,
            current_user._get_current_object(),
            services=form.services.data,
            withheld_on=form.withheld_on.data,
            version=int(form.version.data),
        ),
        _("The withheld services are recorded."),
        url_for(".compliance_case", case_id=case.id),
    )
    if done:
        return done
    if form.is_submitted():  # refused: show the record as stored now
        case = load_case(case_id)
    return _render_case(case, 400, withhold_form=form)


@bp.route("/compliance/<int:case_id>/lift", methods=["POST"])
@require(TRADE)
def lift(case_id: int):
    case = load_case(case_id)
    form = ClearForm()
    done = submit(
        form,
        lambda: clear_case(
            case,
            current_user._get_current_object(),
            note=form.note.data,
            version=int(form.version.data),
            by_trade_office=True,
        ),
        _("The withholding is lifted and the case is cleared."),
        url_for(".compliance_case", case_id=case.id),
    )
    if done:
        return done
    if form.is_submitted():  # refused: show the record as stored now
        case = load_case(case_id)
    return _render_case(case, 400, lift_form=form)
