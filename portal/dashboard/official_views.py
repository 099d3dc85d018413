"""BPJS's official active-participant counts: the form, the file upload (dry run → confirm),
the template and the history. The labour office's target year beside its targets."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..exports import XLSX_MIME
from ..services.coverage.official import (
    CountInput,
    confirm_count_upload,
    count_changes,
    count_history,
    own_upload,
    receive_count_upload,
    record_official_count,
    review_rows,
    template_workbook,
)
from ..services.coverage.stats import target_year
from ..services.coverage.targets import set_target_year
from ..services.reference import choices
from ..web.access import BPJS, LABOUR, require
from ..web.forms import attempt, form_status, submit
from . import bp
from .forms import ConfirmOfficialUploadForm, OfficialCountForm, OfficialUploadForm, TargetYearForm


@bp.route("/official-counts", methods=["GET", "POST"])
@require(BPJS)
def official_counts():
    form = OfficialCountForm(kecamatans=choices.kecamatan())
    return submit(
        form,
        lambda: record_official_count(
            form.input_as(CountInput),
            current_user,
            replace=bool(form.replace.data),
        ),
        lambda recorded: (
            _("Official count replaced; the earlier one is kept in the audit trail.")
            if recorded.replaced
            else _("Official count saved.")
        ),
        url_for("dashboard.official_counts"),
    ) or (
        _official_page(
            form, OfficialUploadForm(), request.args.get("page"), request.args.get("changes_page")
        ),
        form_status(form),
    )


def _official_page(form, upload_form, history_page, changes_page) -> str:
    """The counts page: both forms, the history of counts and of their changes."""
    changes_at, changes = count_changes(changes_page)
    return render_template(
        "dashboard/official_counts.html",
        form=form,
        upload_form=upload_form,
        history=count_history(history_page),
        changes=changes,
        changes_page=changes_at,
        names=dict(choices.kecamatan()),
    )


@bp.route("/official-counts/template.xlsx")
@require(BPJS)
def official_template():
    return Response(
        template_workbook(),
        mimetype=XLSX_MIME,
        headers={"Content-Disposition": 'attachment; filename="template-peserta-resmi.xlsx"'},
    )


@bp.route("/official-counts/upload", methods=["POST"])
@require(BPJS)
def official_upload():
    upload_form = OfficialUploadForm()
    return submit(
        upload_form,
        lambda: receive_count_upload(
            upload_form.file.data.filename,
            upload_form.file.data.read(),
            upload_form.source_document.data,
            current_user,
        ),
        None,
        lambda upload: url_for("dashboard.official_review", upload_id=upload.id),
    ) or (_official_page(OfficialCountForm(kecamatans=choices.kecamatan()), upload_form, 1, 1), 400)


@bp.route("/official-counts/uploads/<int:upload_id>", methods=["GET", "POST"])
@require(BPJS)
def official_review(upload_id: int):
    """The dry run: every row with its errors and what it replaces; confirm saves them all."""
    upload = own_upload(upload_id, current_user)
    form = ConfirmOfficialUploadForm()
    status = 200
    if request.method == "POST":
        if not form.validate():
            abort(400)
        saved, result = attempt(
            lambda: confirm_count_upload(upload_id, current_user, replace=bool(form.replace.data)),
            form,
        )
        if saved:
            added, replaced = result
            flash(
                _("%(added)d counts added, %(replaced)d replaced.", added=added, replaced=replaced),
                "success",
            )
            return redirect(url_for("dashboard.official_counts"))
        status = 400
    rows, more = review_rows(upload)
    return render_template(
        "dashboard/official_review.html",
        rows=rows,
        more=more,
        upload=upload,
        form=form,
        names=dict(choices.kecamatan()),
    ), status


@bp.route("/target-year", methods=["POST"])
@require(LABOUR)
def target_year_set():
    form = TargetYearForm()
    if form.validate():
        saved, year = attempt(lambda: set_target_year(form.year.data, current_user), form)
        if saved:
            flash(_("Target year set to %(year)d.", year=year), "success")
    else:
        flash(_("Enter a year from 2025 to 2100."), "danger")
    return redirect(url_for("dashboard.targets"))


def target_year_form() -> TargetYearForm:
    """The target-year form filled with the year in force (for the targets page)."""
    return TargetYearForm(data={"year": target_year()})
