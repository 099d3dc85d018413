"""Bulk upload: template, file check with progress, report (screen and XLSX), confirm."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from ..exports import export_response, template_response
from ..extensions import limiter
from ..services.access import owned_business_or_404
from ..services.employees.bulk import check_upload, confirm_upload, receive_upload
from ..services.employees.upload_format import COLUMNS
from ..services.employees.upload_report import (
    OUTCOME_FILTERS,
    load_upload,
    outcome_filter,
    progress,
    report_export,
    report_lines,
    report_page,
    template_workbook,
)
from ..web.access import OWNER, require
from ..web.forms import attempt, show_form, submit
from . import bp
from .forms import ConfirmUploadForm, UploadForm


@bp.route("/upload-template.xlsx")
@require(OWNER)
def upload_template():
    return template_response(template_workbook(), "template-karyawan.xlsx")


def _uploader_key() -> str:
    return f"employee-upload:{current_user.id}"


@bp.route("/businesses/<int:business_id>/upload", methods=["GET", "POST"])
@require(OWNER)
# Reading a large workbook costs seconds of CPU: an owner gets plenty, a script does not.
@limiter.limit(
    lambda: current_app.config.get("EMPLOYEE_UPLOAD_RATE_LIMIT", "60 per hour"),
    key_func=_uploader_key,
    methods=["POST"],
    scope="employee-upload",
)
def upload(business_id: int):
    business = owned_business_or_404(business_id, current_user)
    form = UploadForm()
    return submit(
        form,
        lambda: receive_upload(
            business,
            current_user,
            form.file.data.filename,
            form.file.data.stream,
            # Without JavaScript the report comes back in one go.
            check_now=form.js.data != "1",
        ),
        None,
        lambda staged: url_for("employer.upload_report", token=staged.token),
    ) or show_form("employer/upload.html", form, business=business)


@bp.route("/uploads/<token>/check", methods=["POST"])
@require(OWNER)
def upload_check(token: str):
    upload = load_upload(token, current_user.id)
    wants_json = request.accept_mimetypes.best == "application/json"
    attempt(lambda: check_upload(upload, whole=not wants_json))
    if wants_json:
        return jsonify(progress(upload))
    return redirect(url_for("employer.upload_report", token=token))


@bp.route("/uploads/<token>/progress")
@require(OWNER)
def upload_progress(token: str):
    return jsonify(progress(load_upload(token, current_user.id)))


@bp.route("/uploads/<token>")
@require(OWNER)
def upload_report(token: str):
    upload = load_upload(token, current_user.id)
    shown = outcome_filter(request.args.get("outcome"))
    page = report_page(upload, shown, request.args.get("page"))
    return render_template(
        "employer/upload_report.html",
        upload=upload,
        business=upload.business,
        page=page,
        rows=report_lines(page.items),
        shown=shown,
        outcomes=OUTCOME_FILTERS,
        columns=COLUMNS,
        progress=progress(upload),
        confirm_form=ConfirmUploadForm(formdata=None, sha256=upload.sha256),
    )


@bp.route("/uploads/<token>/report.xlsx")
@require(OWNER)
def upload_report_xlsx(token: str):
    upload = load_upload(token, current_user.id)
    if upload.is_checking:
        abort(409)
    _saved, table = attempt(lambda: report_export(upload))
    return export_response(table, f"laporan-{upload.business.nib}", "xlsx")


@bp.route("/uploads/<token>/confirm", methods=["POST"])
@require(OWNER)
def upload_confirm(token: str):
    upload = load_upload(token, current_user.id)
    form = ConfirmUploadForm()
    back = url_for("employer.upload_report", token=token)
    if not form.validate_on_submit():
        flash(_("The form has expired. Please try again."), "danger")
        return redirect(back)
    business_id = upload.business_id
    saved, count = attempt(lambda: confirm_upload(upload, form.sha256.data))
    if not saved:
        return redirect(back)
    flash(_("%(num)d employees saved from the file.", num=count), "success")
    return redirect(url_for("employer.business", business_id=business_id))
