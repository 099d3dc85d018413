"""The labour office's workforce estimates and coverage targets: forms with their history."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..services.coverage.stats import sector_names
from ..services.coverage.targets import (
    EstimateInput,
    estimate_history,
    record_estimate,
    record_target,
    target_history,
)
from ..services.reference import choices
from ..web.access import LABOUR, require
from ..web.forms import show_form, submit
from . import bp
from .filters import lang
from .forms import EstimateForm, TargetForm
from .official_views import target_year_form


@bp.route("/estimates", methods=["GET", "POST"])
@require(LABOUR)
def estimates():
    form = EstimateForm(kecamatans=choices.kecamatan(), sectors=choices.sectors())
    return submit(
        form,
        lambda: record_estimate(form.input_as(EstimateInput), current_user),
        _("Workforce estimate saved."),
        url_for("dashboard.estimates"),
    ) or show_form(
        "dashboard/estimates.html",
        form,
        history=estimate_history(request.args.get("page")),
        sectors=sector_names(lang()),
    )


@bp.route("/targets", methods=["GET", "POST"])
@require(LABOUR)
def targets():
    form = TargetForm(kecamatans=choices.kecamatan())
    return submit(
        form,
        lambda: record_target(
            form.kecamatan_code.data or None,
            form.period.data,
            form.target_pct.data,
            current_user,
        ),
        _("Coverage target saved."),
        url_for("dashboard.targets"),
    ) or show_form(
        "dashboard/targets.html",
        form,
        history=target_history(request.args.get("page")),
        year_form=target_year_form(),
    )
