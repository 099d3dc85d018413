"""Employer compliance from the trade office's side: withholding services and lifting it."""

from __future__ import annotations

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..models import ComplianceCase
from ..services.compliance.cases import (
    check_withholding,
    clearance_gaps,
    record_withholding,
    requested_service_codes,
    undo_until,
    withholding_choices,
)
from ..services.compliance.queries import load_case
from ..services.compliance.rules import service_labels
from ..templating import format_day
from ..web.access import TRADE, require
from ..web.case_forms import ClearForm, WithholdingForm
from ..web.case_views import add_case_routes, clear_as_typed, confirmed_case_step
from ..web.confirmation import Confirmation
from ..web.forms import VersionedForm, submit
from . import bp

add_case_routes(bp, TRADE, "disperindagkop/compliance_list.html", ("action", "open", "all"))


def _render_case(case: ComplianceCase, status: int = 200, **forms):
    withhold_form = forms.get("withhold_form")
    if withhold_form is None:
        withhold_form = WithholdingForm(formdata=None, version=case.version)
        withhold_form.services.data = requested_service_codes(case)
        # The day is never pre-filled: the officer types it, then confirms it.
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
            undo_form=VersionedForm(formdata=None, version=case.version),
            undo_until=undo_until(case, current_user),
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
    return confirmed_case_step(
        case_id,
        WithholdingForm,
        "withhold_form",
        ("services", "withheld_on"),
        check_withholding,
        lambda case, form, codes: Confirmation(
            question=_("Withhold services from %(name)s?", name=case.business.name),
            facts=[
                (_("Services withheld"), ", ".join(service_labels(codes))),
                (_("Withheld since"), format_day(form.withheld_on.data)),
            ],
            consequence=_(
                "The employer cannot get these public services until the trade office lifts "
                "the withholding."
            ),
            undo=Confirmation.undo_in_window(),
            confirm_label=_("Yes, record the withholding"),
        ),
        record_withholding,
        _("The withheld services are recorded."),
        render=_render_case,
    )


@bp.route("/compliance/<int:case_id>/lift", methods=["POST"])
@require(TRADE)
def lift(case_id: int):
    case = load_case(case_id)
    form = ClearForm()
    done = submit(
        form,
        lambda: clear_as_typed(case, form, by_trade_office=True),
        _("The withholding is lifted and the case is cleared."),
        url_for(".compliance_case", case_id=case.id),
    )
    if done:
        return done
    if form.is_submitted():  # refused: show the record as stored now
        case = load_case(case_id)
    return _render_case(case, 400, lift_form=form)
