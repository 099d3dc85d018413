"""Funded batches (APBD / CSR): list, create, detail, add members one by one or by file, renew."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..domain.money import format_rupiah
from ..exports import template_response
from ..models import BpjsUploadKind, FundedBatch
from ..services.funded_batches import batches as bpjs_batches
from ..services.funded_batches import renewal as bpjs_batch_renewal
from ..services.funded_batches.queries import batch_list, batch_summary, load_batch, member_page
from ..services.membership import uploads as bpjs_uploads
from ..services.reference.choices import kelurahan, with_blank
from ..web.access import BPJS, require
from ..web.forms import show_form, submit
from . import bp
from .contribution_views import upload_page
from .forms import BatchForm, BatchMemberForm, RenewForm


@bp.route("/batches")
@require(BPJS)
def batches():
    page, rows = batch_list(request.args.get("page"))
    return render_template("bpjs/batches/list.html", page=page, rows=rows)


@bp.route("/batches/new", methods=["GET", "POST"])
@require(BPJS)
def batch_new():
    form = BatchForm()
    return submit(
        form,
        lambda: bpjs_batches.create_batch(form.terms(), current_user),
        lambda batch: _(
            "Batch created with a budget of %(budget)s.", budget=format_rupiah(batch.budget)
        ),
        lambda batch: url_for("bpjs.batch_detail", batch_id=batch.id),
    ) or show_form("bpjs/batches/form.html", form, batch=None)


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
    form = _member_form()
    return submit(
        form,
        lambda: bpjs_batches.add_member(
            load_batch(batch_id),
            form.input_as(bpjs_batches.NewWorker),
            current_user,
            form.kpj.data,
        ),
        lambda membership: _("Added with KPJ %(kpj)s.", kpj=membership.kpj),
        url_for("bpjs.batch_detail", batch_id=batch_id),
    ) or _render_batch(load_batch(batch_id), form, 400)


@bp.route("/batches/<int:batch_id>/upload", methods=["GET", "POST"])
@require(BPJS)
def batch_upload(batch_id: int):
    batch = load_batch(batch_id)
    return upload_page(
        BpjsUploadKind.BATCH_MEMBERS,
        bpjs_uploads.MEMBER_LAYOUT,
        url_for("bpjs.member_template"),
        batch=batch,
        title=_("Upload members of %(name)s", name=batch.name),
    )


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
    done = submit(
        form,
        lambda: bpjs_batch_renewal.renew(batch, form.terms(), current_user),
        lambda renewed: _("Renewed: %(n)d members carried into the new batch.", n=renewed[1]),
        lambda renewed: url_for("bpjs.batch_detail", batch_id=renewed[0].id),
    )
    if done:
        return done
    if form.is_submitted():  # refused: show the batch as stored now
        batch = load_batch(batch_id)
    return show_form("bpjs/batches/form.html", form, batch=batch, eligible=eligible)
