"""Bulk upload: template, file check with progress, report (screen and XLSX), confirm."""

from __future__ import annotations

import json

from flask import (
    Response,
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
from sqlalchemy import select

from ..exports import XLSX_MIME, ExportTable, export_response
from ..extensions import db, limiter
from ..models import (
    Business,
    EmployeeUpload,
    EmployeeUploadRow,
    Region,
    UploadRowOutcome,
    UploadState,
)
from ..services.access import owned_business_or_404
from ..services.audit.trail import record_event
from ..services.employees.bulk import (
    UploadStale,
    check_all,
    check_chunk,
    confirm_upload,
    file_sha256,
    stage_upload,
)
from ..services.employees.rules import problem_message
from ..services.uploads.reader import COLUMNS, UploadRefused, read_rows, template_bytes
from ..web.access import OWNER, require
from . import bp
from .forms import ConfirmUploadForm, UploadForm

HEADER_OF = dict(COLUMNS)
OUTCOME_FILTERS = tuple(o.value for o in UploadRowOutcome if o != UploadRowOutcome.PENDING)


def _owned_upload(token: str) -> EmployeeUpload:
    upload = db.session.scalar(
        select(EmployeeUpload)
        .join(Business, EmployeeUpload.business_id == Business.id)
        .where(EmployeeUpload.token == token, Business.owner_id == current_user.id)
    )
    if upload is None:
        abort(404)
    return upload


def row_messages(row: EmployeeUploadRow) -> list[tuple[str, str]]:
    """(column header, message) for each problem of a staged row, in the reader's language."""
    if not row.problems:
        return []
    return [
        (
            HEADER_OF.get(field, HEADER_OF.get(field.removesuffix("_code"), field)),
            problem_message(code, params),
        )
        for field, code, params in json.loads(row.problems)
    ]


@bp.route("/upload-template.xlsx")
@require(OWNER)
def upload_template():
    regions = db.session.execute(
        select(Region.code, Region.name).where(Region.level == "kelurahan").order_by(Region.name)
    ).all()
    return Response(
        template_bytes([(code, name) for code, name in regions]),
        mimetype=XLSX_MIME,
        headers={"Content-Disposition": 'attachment; filename="template-karyawan.xlsx"'},
    )


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
    status = 200
    if form.validate_on_submit():
        storage = form.file.data
        limit = current_app.config["UPLOAD_MAX_BYTES"]
        data = storage.stream.read(limit + 1)
        try:
            rows = read_rows(data, max_bytes=limit, max_rows=current_app.config["UPLOAD_MAX_ROWS"])
        except UploadRefused as exc:
            form.file.errors = [*form.file.errors, exc.message()]
        else:
            staged = stage_upload(
                business, current_user, storage.filename or "upload", file_sha256(data), rows
            )
            if form.js.data != "1":
                check_all(staged)  # without JavaScript the report comes back in one go
            db.session.commit()
            return redirect(url_for("employer.upload_report", token=staged.token))
    if form.errors:
        status = 400
    return render_template("employer/upload.html", form=form, business=business), status


def _progress(upload: EmployeeUpload) -> dict:
    total = upload.total_rows or 1
    return {
        "state": upload.state,
        "total": upload.total_rows,
        "checked": upload.checked_rows,
        "percent": int(100 * upload.checked_rows / total),
        "errors": upload.error_rows,
    }


@bp.route("/uploads/<token>/check", methods=["POST"])
@require(OWNER)
def upload_check(token: str):
    upload = _owned_upload(token)
    wants_json = request.accept_mimetypes.best == "application/json"
    if wants_json:
        check_chunk(upload)
    else:
        check_all(upload)
    db.session.commit()
    if wants_json:
        return jsonify(_progress(upload))
    return redirect(url_for("employer.upload_report", token=token))


@bp.route("/uploads/<token>/progress")
@require(OWNER)
def upload_progress(token: str):
    return jsonify(_progress(_owned_upload(token)))


@bp.route("/uploads/<token>")
@require(OWNER)
def upload_report(token: str):
    upload = _owned_upload(token)
    shown = request.args.get("outcome", "")
    shown = shown if shown in OUTCOME_FILTERS else ""
    stmt = select(EmployeeUploadRow).where(EmployeeUploadRow.upload_id == upload.id)
    if shown:
        stmt = stmt.where(EmployeeUploadRow.outcome == shown)
    page = db.paginate(stmt.order_by(EmployeeUploadRow.line_no), per_page=50, error_out=False)
    rows = [(row, json.loads(row.cells), row_messages(row)) for row in page.items]
    return render_template(
        "employer/upload_report.html",
        upload=upload,
        business=upload.business,
        page=page,
        rows=rows,
        shown=shown,
        outcomes=OUTCOME_FILTERS,
        columns=COLUMNS,
        progress=_progress(upload),
        confirm_form=ConfirmUploadForm(formdata=None, sha256=upload.sha256),
    )


@bp.route("/uploads/<token>/report.xlsx")
@require(OWNER)
def upload_report_xlsx(token: str):
    upload = _owned_upload(token)
    if upload.state == UploadState.CHECKING:
        abort(409)
    staged = db.session.scalars(
        select(EmployeeUploadRow)
        .where(EmployeeUploadRow.upload_id == upload.id)
        .order_by(EmployeeUploadRow.line_no)
    )
    outcome_label = {
        "new": _("New worker"),
        "link": _("Existing worker, new in this business"),
        "unchanged": _("Already registered, unchanged"),
        "error": _("Error"),
    }
    rows = []
    for row in staged:
        cells = json.loads(row.cells)
        messages = "; ".join(f"{col}: {msg}" for col, msg in row_messages(row))
        rows.append(
            [
                row.line_no,
                *(cells.get(f, "") for f, _h in COLUMNS),
                outcome_label.get(row.outcome, row.outcome),
                messages,
            ]
        )
    table = ExportTable(
        headers=[_("Line"), *(h for _f, h in COLUMNS), _("Result"), _("Errors")],
        rows=rows,
        sheet_title=_("Check report"),
    )
    record_event("employees.upload_report_downloaded", upload, {"rows": len(rows)})
    db.session.commit()
    return export_response(table, f"laporan-{upload.business.nib}", "xlsx")


@bp.route("/uploads/<token>/confirm", methods=["POST"])
@require(OWNER)
def upload_confirm(token: str):
    upload = _owned_upload(token)
    form = ConfirmUploadForm()
    back = url_for("employer.upload_report", token=token)
    if not form.validate_on_submit():
        flash(_("The form has expired. Please try again."), "danger")
        return redirect(back)
    business_id = upload.business_id
    try:
        saved = confirm_upload(upload, form.sha256.data)
    except UploadStale as exc:
        db.session.rollback()
        messages = {
            "hash": _("This confirmation does not match the checked file. Nothing was saved."),
            "expired": _("This check is more than a day old. Upload the file again."),
            "done": _("This file has already been saved (or is still being checked)."),
            "changed": _(
                "Your employee data changed since the check. Nothing was saved: upload the "
                "file again to check it against the current data."
            ),
        }
        flash(messages[exc.code], "danger" if exc.code != "done" else "info")
        return redirect(back)
    db.session.commit()
    flash(_("%(num)d employees saved from the file.", num=saved), "success")
    return redirect(url_for("employer.business", business_id=business_id))
