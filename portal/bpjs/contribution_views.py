"""Contributions: record a payment, upload a payment file (dry run → confirm), arrears."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..domain.clock import today_wib
from ..exports import ExportTable, export_response, xlsx_response
from ..extensions import db
from ..models import BpjsUpload, BpjsUploadKind, Business, FundingSource, Membership
from ..services.membership import uploads as bpjs_uploads
from ..services.membership.common import BpjsError
from ..services.membership.dues import Arrears, arrears_of, payments_by_membership, schedule
from ..services.membership.payments import record_payment
from ..web.access import BPJS, require
from . import bp
from .forms import ConfirmForm, PaymentForm, UploadForm


@bp.route("/payments/new", methods=["GET", "POST"])
@require(BPJS)
def payment_new():
    form = PaymentForm()
    if request.method == "GET" and request.args.get("kpj"):
        form.kpj.data = request.args["kpj"][:15]
    if form.validate_on_submit():
        try:
            period = record_payment(
                form.kpj.data,
                form.period.data,
                form.amount.data,
                form.paid_on.data,
                form.channel.data,
                current_user,
            )
        except BpjsError as exc:
            db.session.rollback()
            target = getattr(form, exc.field or "kpj")
            target.errors = [*target.errors, exc.message]
            return render_template("bpjs/payments/new.html", form=form), 400
        db.session.commit()
        flash(
            _(
                "Payment for %(period)s recorded (KPJ %(kpj)s).",
                period=period,
                kpj=form.kpj.data,
            ),
            "success",
        )
        return redirect(url_for("bpjs.payment_new"))
    status = 400 if form.errors else 200
    return render_template("bpjs/payments/new.html", form=form), status


@bp.route("/payments/upload", methods=["GET", "POST"])
@require(BPJS)
def payment_upload():
    form = UploadForm()
    if form.validate_on_submit():
        content = form.file.data.read(current_app.config["UPLOAD_MAX_BYTES"] + 1)
        if len(content) > current_app.config["UPLOAD_MAX_BYTES"]:
            form.file.errors = [_("The file is too large.")]
            return render_template("bpjs/payments/upload.html", form=form), 400
        try:
            reports = bpjs_uploads.dry_run(BpjsUploadKind.PAYMENTS, content)
        except BpjsError as exc:
            db.session.rollback()
            form.file.errors = [exc.message]
            return render_template("bpjs/payments/upload.html", form=form), 400
        upload = bpjs_uploads.store_upload(
            BpjsUploadKind.PAYMENTS,
            form.file.data.filename or "upload",
            content,
            reports,
            current_user,
        )
        db.session.commit()
        return redirect(url_for("bpjs.upload_review", upload_id=upload.id))
    status = 400 if form.errors else 200
    return render_template("bpjs/payments/upload.html", form=form), status


def _own_upload_or_404(upload_id: int) -> BpjsUpload:
    upload = db.session.scalar(
        select(BpjsUpload).where(
            BpjsUpload.id == upload_id, BpjsUpload.uploaded_by_id == current_user.id
        )
    )
    if upload is None:
        abort(404)
    return upload


def _reports(upload: BpjsUpload):
    from ..models import FundedBatch

    if upload.rows is None:  # emptied by `flask purge-uploads`
        return []
    batch = db.session.get(FundedBatch, upload.batch_id) if upload.batch_id else None
    return bpjs_uploads.check_rows(upload.kind, upload.rows, batch)


class RowPagination(Pagination):
    """One page of rows already in memory (the checked rows of an uploaded file)."""

    def _query_items(self) -> list:
        start = (self.page - 1) * self.per_page
        return self._query_args["rows"][start : start + self.per_page]

    def _query_count(self) -> int:
        return len(self._query_args["rows"])


@bp.route("/uploads/<int:upload_id>")
@require(BPJS)
def upload_review(upload_id: int):
    """The dry-run report, a page at a time with the rows in error first (a file may hold
    UPLOAD_MAX_ROWS rows); the XLSX report lists every row."""
    upload = _own_upload_or_404(upload_id)
    reports = _reports(upload)
    bad = [r for r in reports if not r.ok]
    page = RowPagination(
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
        rows=bad + [r for r in reports if r.ok],
    )
    columns = (
        bpjs_uploads.PAYMENT_COLUMNS
        if upload.kind == BpjsUploadKind.PAYMENTS
        else bpjs_uploads.MEMBER_COLUMNS
    )
    return render_template(
        "bpjs/payments/review.html",
        upload=upload,
        page=page,
        columns=columns,
        total=len(reports),
        bad=len(bad),
        clean=not bad and bool(reports),
        form=ConfirmForm(),
    )


@bp.route("/uploads/<int:upload_id>/report.xlsx")
@require(BPJS)
def upload_report(upload_id: int):
    upload = _own_upload_or_404(upload_id)
    table = bpjs_uploads.report_table(upload.kind, _reports(upload))
    return xlsx_response(table, f"laporan-unggahan-{upload.id}.xlsx")


@bp.route("/uploads/<int:upload_id>/confirm", methods=["POST"])
@require(BPJS)
def upload_confirm(upload_id: int):
    upload = _own_upload_or_404(upload_id)
    form = ConfirmForm()
    if not form.validate():
        abort(400)
    batch_id = upload.batch_id
    try:
        count = bpjs_uploads.confirm(upload, current_user)
    except BpjsError as exc:
        db.session.rollback()
        flash(exc.message, "danger")
        return redirect(url_for("bpjs.upload_review", upload_id=upload_id))
    db.session.commit()
    flash(_("%(n)d rows imported.", n=count), "success")
    if batch_id:
        return redirect(url_for("bpjs.batch_detail", batch_id=batch_id))
    return redirect(url_for("bpjs.payment_upload"))


def business_arrears(business_ids: list[int]) -> dict[int, Arrears]:
    """Arrears per business over its employer-paid memberships: two queries in all."""
    out = {bid: Arrears() for bid in business_ids}
    if not business_ids:
        return out
    memberships = list(
        db.session.scalars(
            select(Membership).where(
                Membership.business_id.in_(business_ids),
                Membership.funding_source == FundingSource.EMPLOYER.value,
            )
        )
    )
    paid = payments_by_membership(m.id for m in memberships)
    today = today_wib()
    for membership in memberships:
        result = arrears_of(schedule(membership, paid[membership.id], today))
        total = out[membership.business_id]
        total.months += result.months
        total.amount += result.amount
        total.fine += result.fine
    return out


@bp.route("/arrears")
@require(BPJS)
def arrears():
    stmt = (
        select(Business)
        .where(
            Business.id.in_(
                select(Membership.business_id).where(
                    Membership.funding_source == FundingSource.EMPLOYER.value
                )
            )
        )
        .order_by(Business.name)
    )
    page = db.paginate(stmt, per_page=current_app.config["PAGE_SIZE"], error_out=False)
    totals = business_arrears([b.id for b in page.items])
    return render_template("bpjs/payments/arrears.html", page=page, totals=totals)


def _arrears_lines(business: Business):
    """The months in arrears of the business's employer-paid memberships (as the totals)."""
    memberships = list(
        db.session.scalars(
            select(Membership)
            .where(
                Membership.business_id == business.id,
                Membership.funding_source == FundingSource.EMPLOYER.value,
            )
            .options(joinedload(Membership.worker))
            .order_by(Membership.id)
        )
    )
    paid = payments_by_membership(m.id for m in memberships)
    lines = []
    for membership in memberships:
        rows = [r for r in schedule(membership, paid[membership.id]) if r.in_arrears]
        if rows:
            lines.append((membership, rows))
    return lines


@bp.route("/arrears/<int:business_id>")
@require(BPJS)
def arrears_business(business_id: int):
    business = db.session.get(Business, business_id)
    if business is None:
        abort(404)
    lines = _arrears_lines(business)
    total = business_arrears([business.id])[business.id]
    return render_template(
        "bpjs/payments/arrears_business.html", business=business, lines=lines, total=total
    )


@bp.route("/arrears/<int:business_id>/export")
@require(BPJS)
def arrears_export(business_id: int):
    """Unpaid months of one business as CSV or XLSX (`?fmt=xlsx`), formula-escaped."""
    business = db.session.get(Business, business_id)
    if business is None:
        abort(404)
    table = ExportTable(
        headers=[
            "KPJ",
            _("Worker"),
            _("Period"),
            _("Amount"),
            _("Due date"),
            _("Months late"),
            _("Late fine"),
        ],
        rows=[
            [m.kpj, m.worker.full_name, r.period, r.amount, r.due, r.months_late, r.fine]
            for m, rows in _arrears_lines(business)
            for r in rows
        ],
        sheet_title=_("Arrears"),
    )
    return export_response(table, f"tunggakan-{business.nib}", request.args.get("fmt", "csv"))
