"""Funded batches (APBD / CSR): list, create, detail, add members one by one or by file, renew."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..domain.money import format_rupiah
from ..exports import template_response
from ..models import BpjsUploadKind, FundedBatch
from ..services.funded_batches import batches as bpjs_batches
from ..services.funded_batches import renewal as bpjs_batch_renewal
from ..services.funded_batches.queries import batch_list, batch_summary, load_batch, member_page
from ..services.membership import uploads as bpjs_uploads
from ..services.membership.upload_review import receive_upload
from ..services.reference.choices import kelurahan, with_blank
from ..web.access import BPJS, require
from ..web.forms import attempt, form_status
from . import bp
from .forms import BatchForm, BatchMemberForm, RenewForm, UploadForm


@bp.route("/batches")
@require(BPJS)
def batches():
    page, rows = batch_list(request.args.get("page"))
    return render_template("bpjs/batches/list.html", page=page, rows=rows)


@bp.route("/batches/new", methods=["GET", "POST"])
@require(BPJS)
def batch_new():
    form = BatchForm()
    if form.validate_on_submit():
        saved, batch = attempt(
            lambda: bpjs_batches.create_batch(form.terms(), current_user),
            form,
        )
        if saved:
            flash(
                _("Batch created with a budget of %(budget)s.", budget=format_rupiah(batch.budget)),
                "success",
            )
            return redirect(url_for("bpjs.batch_detail", batch_id=batch.id))
    status = form_status(form)
    return render_template("bpjs/batches/form.html", form=form, batch=None), status


def _member_form(formdata=True) -> BatchMemberForm:
    form = BatchMemberForm() if formdata else BatchMemberForm(formdata=None)
    form.kelurahan_code.choices = with_blank(kelurahan(), "–")
    return form


def _render_batch(batch: FundedBatch, form: BatchMemberForm | None = None, status: int = 200):
    summary = batch_summary(batch)
    return render_template(
        "bpjs/batches/detail.html",
        batch=batch,
        summary=summary,
        figures=summary.figures,
        members=member_page(batch, request.args.get("page")),
        form=form or _member_form(formdata=False),
    ), status


@bp.route("/batches/<int:batch_id>")
@require(BPJS)
def batch_detail(batch_id: int):
    return _render_batch(load_batch(batch_id))


@bp.route("/batches/<int:batch_id>/members", methods=["POST"])
@require(BPJS)
def batch_add_member(batch_id: int):
    batch = load_batch(batch_id)
    form = _member_form()
    if not form.validate():
        return _render_batch(batch, form, 400)
    person = bpjs_batches.NewWorker(
        nik=form.nik.data,
        full_name=form.full_name.data,
        birth_date=form.birth_date.data,
        sex=form.sex.data,
        phone=form.phone.data or None,
        kelurahan_code=form.kelurahan_code.data or None,
        occupation=form.occupation.data or None,
    )
    saved, membership = attempt(
        lambda: bpjs_batches.add_member(batch, person, current_user, form.kpj.data), form
    )
    if not saved:
        return _render_batch(load_batch(batch_id), form, 400)
    flash(_("Added with KPJ %(kpj)s.", kpj=membership.kpj), "success")
    return redirect(url_for("bpjs.batch_detail", batch_id=batch_id))


@bp.route("/batches/<int:batch_id>/upload", methods=["GET", "POST"])
@require(BPJS)
def batch_upload(batch_id: int):
    batch = load_batch(batch_id)
    form = UploadForm()
    context = {
        "title": _("Upload members of %(name)s", name=batch.name),
        "columns": ", ".join(bpjs_uploads.MEMBER_LAYOUT.headers),
        "template_url": url_for("bpjs.member_template"),
    }
    if form.validate_on_submit():
        saved, upload = attempt(
            lambda: receive_upload(
                BpjsUploadKind.BATCH_MEMBERS,
                form.file.data.filename,
                form.file.data,
                current_user,
                batch,
            ),
            form,
        )
        if saved:
            return redirect(url_for("bpjs.upload_review", upload_id=upload.id))
    status = form_status(form)
    return render_template("bpjs/payments/upload.html", form=form, **context), status


@bp.route("/batches/member-template.xlsx")
@require(BPJS)
def member_template():
    return template_response(bpjs_uploads.member_template(), "template-peserta.xlsx")


@bp.route("/batches/<int:batch_id>/renew", methods=["GET", "POST"])
@require(BPJS)
def batch_renew(batch_id: int):
    batch = load_batch(batch_id)
    form = RenewForm()
    if not form.is_submitted():
        for name, value in bpjs_batch_renewal.suggested_renewal(batch).items():
            form[name].data = value
    eligible = len(bpjs_batch_renewal.eligible_for_renewal(batch))
    if form.validate_on_submit():
        saved, renewed = attempt(
            lambda: bpjs_batch_renewal.renew(batch, form.terms(), current_user),
            form,
        )
        if saved:
            new, carried = renewed
            flash(_("Renewed: %(n)d members carried into the new batch.", n=carried), "success")
            return redirect(url_for("bpjs.batch_detail", batch_id=new.id))
        batch = load_batch(batch_id)
    status = form_status(form)
    return render_template(
        "bpjs/batches/form.html", form=form, batch=batch, eligible=eligible
    ), status
