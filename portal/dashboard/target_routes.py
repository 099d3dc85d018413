"""The labour office's workforce estimates and coverage targets: forms with their history."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..services.coverage.stats import kecamatan_choices, sector_names
from ..services.coverage.targets import (
    CoverageInputError,
    EstimateInput,
    estimate_history,
    record_estimate,
    record_target,
    target_history,
)
from ..web.access import LABOUR, require
from . import bp
from .forms import EstimateForm, TargetForm
from .routes import lang


def _show_error(form, error: CoverageInputError) -> None:
    field = getattr(form, error.field, None)
    if field is None:  # pragma: no cover - every service error names a form field
        flash(str(error.message), "danger")
        return
    field.errors = [*field.errors, str(error.message)]


@bp.route("/estimates", methods=["GET", "POST"])
@require(LABOUR)
def estimates():
    areas = kecamatan_choices()
    sectors = list(sector_names(lang()).items())
    form = EstimateForm(kecamatans=areas, sectors=sectors)
    status = 200
    if request.method == "POST":
        if form.validate():
            try:
                record_estimate(
                    EstimateInput(
                        kecamatan_code=form.kecamatan_code.data,
                        period=form.period.data,
                        estimated_workforce=form.estimated_workforce.data,
                        sector_code=form.sector_code.data or None,
                        category=form.category.data or None,
                        source=form.source.data or None,
                    ),
                    current_user,
                )
            except CoverageInputError as error:
                db.session.rollback()
                _show_error(form, error)
            else:
                db.session.commit()
                flash(_("Workforce estimate saved."), "success")
                return redirect(url_for("dashboard.estimates"))
        status = 400
    history = estimate_history(request.args.get("page", 1, type=int))
    return render_template(
        "dashboard/estimates.html", form=form, history=history, sectors=dict(sectors)
    ), status


@bp.route("/targets", methods=["GET", "POST"])
@require(LABOUR)
def targets():
    areas = kecamatan_choices()
    form = TargetForm(kecamatans=areas)
    status = 200
    if request.method == "POST":
        if form.validate():
            try:
                record_target(
                    form.kecamatan_code.data or None,
                    form.period.data,
                    form.target_pct.data,
                    current_user,
                )
            except CoverageInputError as error:
                db.session.rollback()
                _show_error(form, error)
            else:
                db.session.commit()
                flash(_("Coverage target saved."), "success")
                return redirect(url_for("dashboard.targets"))
        status = 400
    history = target_history(request.args.get("page", 1, type=int))
    return render_template("dashboard/targets.html", form=form, history=history), status
