"""The labour office's workforce estimates and coverage targets: forms with their history."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
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
from ..web.forms import attempt
from . import bp
from .filters import lang
from .forms import EstimateForm, TargetForm
from .official_views import target_year_form


@bp.route("/estimates", methods=["GET", "POST"])
@require(LABOUR)
def estimates():
    form = EstimateForm(kecamatans=choices.kecamatan(), sectors=choices.sectors())
    status = 200
    if request.method == "POST":
        if form.validate():
            saved, _estimate = attempt(
                lambda: record_estimate(
                    EstimateInput(
                        kecamatan_code=form.kecamatan_code.data,
                        period=form.period.data,
                        estimated_workforce=form.estimated_workforce.data,
                        sector_code=form.sector_code.data or None,
                        category=form.category.data or None,
                        source=form.source.data or None,
                    ),
                    current_user,
                ),
                form,
            )
            if saved:
                flash(_("Workforce estimate saved."), "success")
                return redirect(url_for("dashboard.estimates"))
        status = 400
    history = estimate_history(request.args.get("page"))
    return render_template(
        "dashboard/estimates.html", form=form, history=history, sectors=sector_names(lang())
    ), status


@bp.route("/targets", methods=["GET", "POST"])
@require(LABOUR)
def targets():
    form = TargetForm(kecamatans=choices.kecamatan())
    status = 200
    if request.method == "POST":
        if form.validate():
            saved, _target = attempt(
                lambda: record_target(
                    form.kecamatan_code.data or None,
                    form.period.data,
                    form.target_pct.data,
                    current_user,
                ),
                form,
            )
            if saved:
                flash(_("Coverage target saved."), "success")
                return redirect(url_for("dashboard.targets"))
        status = 400
    history = target_history(request.args.get("page"))
    return render_template(
        "dashboard/targets.html", form=form, history=history, year_form=target_year_form()
    ), status
