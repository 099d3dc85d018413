"""Contributions: record a payment, upload a payment file (dry run → confirm), arrears."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..exports import export_response, template_response, xlsx_response
from ..models import BpjsUploadKind
from ..services.membership import uploads as bpjs_uploads
from ..services.membership.payments import record_payment
from ..services.membership.queries import (
    arrears_lines,
    arrears_page,
    arrears_table,
    business_arrears,
    load_business,
)
from ..services.membership.upload_review import (
    own_upload,
    receive_upload,
    review_page,
    upload_report_table,
)
from ..web.access import BPJS, require
from ..web.forms import EmptyForm, UploadForm, attempt, show_form, submit
from . import bp
from .forms import PaymentForm


@bp.route("/payments/new", methods=["GET", "POST"])
@require(BPJS)
def payment_new():
    form = PaymentForm()
    if request.method == "GET" and request.args.get("kpj"):
        form.kpj.data = request.args["kpj"][:15]
    return submit(
        form,
        lambda: record_payment(
            form.kpj.data,
            form.period.data,
            form.amount.data,
            form.paid_on.data,
            form.channel.data,
            current_user,
        ),
        lambda period: _(
            "Payment for %(period)s recorded (KPJ %(kpj)s).", period=period, kpj=form.kpj.data
        ),
        url_for("bpjs.payment_new"),
    ) or show_form("bpjs/payments/new.html", form)


def upload_page(kind: str, layout, template_url: str, batch=None, **context):
    """Upload a file of `kind` (columns of `layout`): a valid one goes to its dry-run
    review, anything else shows the form again."""
    form = UploadForm()
    return submit(
        form,
        lambda: receive_upload(kind, form.file.data.filename, form.file.data, current_user, batch),
        None,
        lambda upload: url_for("bpjs.upload_review", upload_id=upload.id),
    ) or show_form(
        "bpjs/payments/upload.html",
        form,
        columns=", ".join(layout.headers),
        template_url=template_url,
        **context,
    )


@bp.route("/payments/upload", methods=["GET", "POST"])
@require(BPJS)
def payment_upload():
    return upload_page(
        BpjsUploadKind.PAYMENTS, bpjs_uploads.PAYMENT_LAYOUT, url_for("bpjs.payment_template")
    )


@bp.route("/payments/template.xlsx")
@require(BPJS)
def payment_template():
    return template_response(bpjs_uploads.payment_template(), "template-iuran.xlsx")


@bp.route("/uploads/<int:upload_id>")
@require(BPJS)
def upload_review(upload_id: int):
    """The dry-run report, a page at a time with the rows in error first; the XLSX report
    lists every row."""
    upload = own_upload(upload_id, current_user)
    review = review_page(upload, request.args.get("page"))
    return render_template(
        "bpjs/payments/review.html", upload=upload, review=review, form=EmptyForm()
    )


@bp.route("/uploads/<int:upload_id>/report.xlsx")
@require(BPJS)
def upload_report(upload_id: int):
    upload = own_upload(upload_id, current_user)
    return xlsx_response(upload_report_table(upload), f"laporan-unggahan-{upload.id}.xlsx")


@bp.route("/uploads/<int:upload_id>/confirm", methods=["POST"])
@require(BPJS)
def upload_confirm(upload_id: int):
    upload = own_upload(upload_id, current_user)
    if not EmptyForm().validate():
        abort(400)
    batch_id = upload.batch_id
    saved, count = attempt(lambda: bpjs_uploads.confirm(upload, current_user))
    if not saved:
        return redirect(url_for("bpjs.upload_review", upload_id=upload_id))
    flash(_("%(n)d rows imported.", n=count), "success")
    if batch_id:
        return redirect(url_for("bpjs.batch_detail", batch_id=batch_id))
    return redirect(url_for("bpjs.payment_upload"))


@bp.route("/arrears")
@require(BPJS)
def arrears():
    page = arrears_page(request.args.get("page"))
    totals = business_arrears([b.id for b in page.items])
    return render_template("bpjs/payments/arrears.html", page=page, totals=totals)


@bp.route("/arrears/<int:business_id>")
@require(BPJS)
def arrears_business(business_id: int):
    business = load_business(business_id)
    lines = arrears_lines(business)
    total = business_arrears([business.id])[business.id]
    return render_template(
        "bpjs/payments/arrears_business.html", business=business, lines=lines, total=total
    )


@bp.route("/arrears/<int:business_id>/export")
@require(BPJS)
def arrears_export(business_id: int):
    """Unpaid months of one business as CSV or XLSX (`?fmt=xlsx`), formula-escaped."""
    business = load_business(business_id)
    return export_response(
        arrears_table(business), f"tunggakan-{business.nib}", request.args.get("fmt", "csv")
    )
