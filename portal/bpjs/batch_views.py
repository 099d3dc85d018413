"""Funded batches (APBD / CSR): list, create, detail, add members one by one or by file, renew."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..domain.clock import today_wib
from ..extensions import db
from ..models import BpjsUploadKind, FundedBatch, FundedBatchMember, Membership
from ..services.enrolment.reports import kelurahan_choices
from ..services.funded_batches import batches as bpjs_batches
from ..services.funded_batches import renewal as bpjs_batch_renewal
from ..services.membership import uploads as bpjs_uploads
from ..services.membership.common import BpjsError
from ..web.access import BPJS, require
from . import bp
from .forms import BatchForm, BatchMemberForm, RenewForm, UploadForm


@bp.route("/batches")
@require(BPJS)
def batches():
    stmt = select(FundedBatch).order_by(FundedBatch.period_end.desc(), FundedBatch.id.desc())
    page = db.paginate(stmt, per_page=current_app.config["PAGE_SIZE"], error_out=False)
    figures = bpjs_batches.figures_for([b.id for b in page.items])
    renewed = set(
        db.session.scalars(
            select(FundedBatch.renewed_from_id).where(
                FundedBatch.renewed_from_id.in_([b.id for b in page.items])
            )
        )
    )
    return render_template(
        "bpjs/batches/list.html",
        page=page,
        figures=figures,
        renewed=renewed,
        today=today_wib(),
        needs_renewal=bpjs_batches.needs_renewal,
    )


def _form_error(form, exc: BpjsError) -> None:
    target = getattr(form, exc.field, None) if exc.field else None
    if target is None:
        flash(exc.message, "danger")
    else:
        target.errors = [*target.errors, exc.message]


@bp.route("/batches/new", methods=["GET", "POST"])
@require(BPJS)
def batch_new():
    form = BatchForm()
    if form.validate_on_submit():
        try:
            batch = bpjs_batches.create_batch(
                name=form.name.data,
                funder_type=form.funder_type.data,
                funder_name=form.funder_name.data,
                category=form.category.data,
                period_start=form.period_start.data,
                period_end=form.period_end.data,
                quota=form.quota.data,
                monthly_premium=form.monthly_premium.data,
                actor=current_user,
            )
        except BpjsError as exc:
            db.session.rollback()
            _form_error(form, exc)
            return render_template("bpjs/batches/form.html", form=form, batch=None), 400
        db.session.commit()
        flash(_("Batch created with a budget of %(budget)s.", budget=_rp(batch.budget)), "success")
        return redirect(url_for("bpjs.batch_detail", batch_id=batch.id))
    status = 400 if form.errors else 200
    return render_template("bpjs/batches/form.html", form=form, batch=None), status


def _rp(amount: int) -> str:
    from ..domain.money import format_rupiah

    return format_rupiah(amount)


def _batch_or_404(batch_id: int) -> FundedBatch:
    batch = db.session.get(FundedBatch, batch_id)
    if batch is None:
        abort(404)
    return batch


def _member_form(formdata=True) -> BatchMemberForm:
    form = BatchMemberForm() if formdata else BatchMemberForm(formdata=None)
    form.kelurahan_code.choices = [("", "–"), *kelurahan_choices()]
    return form


def _render_batch(batch: FundedBatch, form: BatchMemberForm | None = None, status: int = 200):
    members = db.paginate(
        select(FundedBatchMember)
        .where(FundedBatchMember.batch_id == batch.id)
        .options(joinedload(FundedBatchMember.membership).joinedload(Membership.worker))
        .order_by(FundedBatchMember.id),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    successor = db.session.scalar(
        select(FundedBatch).where(FundedBatch.renewed_from_id == batch.id)
    )
    return render_template(
        "bpjs/batches/detail.html",
        batch=batch,
        figures=bpjs_batches.figures_for([batch.id])[batch.id],
        members=members,
        form=form or _member_form(formdata=False),
        upload_form=UploadForm(formdata=None),
        successor=successor,
        flag=bpjs_batches.needs_renewal(batch),
        overdue=bpjs_batches.renewal_overdue(batch),
        months=bpjs_batches.period_months(batch.period_start, batch.period_end),
    ), status


@bp.route("/batches/<int:batch_id>")
@require(BPJS)
def batch_detail(batch_id: int):
    return _render_batch(_batch_or_404(batch_id))


@bp.route("/batches/<int:batch_id>/members", methods=["POST"])
@require(BPJS)
def batch_add_member(batch_id: int):
    batch = _batch_or_404(batch_id)
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
    try:
        membership = bpjs_batches.add_member(batch, person, current_user, form.kpj.data or None)
    except BpjsError as exc:
        db.session.rollback()
        batch = _batch_or_404(batch_id)
        _form_error(form, exc)
        return _render_batch(batch, form, 400)
    db.session.commit()
    flash(_("Added with KPJ %(kpj)s.", kpj=membership.kpj), "success")
    return redirect(url_for("bpjs.batch_detail", batch_id=batch_id))


@bp.route("/batches/<int:batch_id>/upload", methods=["GET", "POST"])
@require(BPJS)
def batch_upload(batch_id: int):
    batch = _batch_or_404(batch_id)
    form = UploadForm()
    context = {
        "title": _("Upload members of %(name)s", name=batch.name),
        "columns": ", ".join(bpjs_uploads.MEMBER_COLUMNS),
    }
    if form.validate_on_submit():
        content = form.file.data.read(current_app.config["UPLOAD_MAX_BYTES"] + 1)
        if len(content) > current_app.config["UPLOAD_MAX_BYTES"]:
            form.file.errors = [_("The file is too large.")]
            return render_template("bpjs/payments/upload.html", form=form, **context), 400
        try:
            reports = bpjs_uploads.dry_run(BpjsUploadKind.BATCH_MEMBERS, content, batch)
        except BpjsError as exc:
            db.session.rollback()
            form.file.errors = [exc.message]
            return render_template("bpjs/payments/upload.html", form=form, **context), 400
        upload = bpjs_uploads.store_upload(
            BpjsUploadKind.BATCH_MEMBERS,
            form.file.data.filename or "upload",
            content,
            reports,
            current_user,
            batch,
        )
        db.session.commit()
        return redirect(url_for("bpjs.upload_review", upload_id=upload.id))
    status = 400 if form.errors else 200
    return render_template("bpjs/payments/upload.html", form=form, **context), status


@bp.route("/batches/<int:batch_id>/renew", methods=["GET", "POST"])
@require(BPJS)
def batch_renew(batch_id: int):
    batch = _batch_or_404(batch_id)
    form = RenewForm()
    if not form.is_submitted():
        months = bpjs_batches.period_months(batch.period_start, batch.period_end)
        form.name.data = batch.name
        form.funder_name.data = batch.funder_name
        form.period_start.data = batch.period_end + timedelta(days=1)
        form.period_end.data = batch.period_end + timedelta(days=31 * months)
        form.quota.data = batch.quota
        form.monthly_premium.data = batch.monthly_premium
    eligible = len(bpjs_batch_renewal.eligible_for_renewal(batch))
    if form.validate_on_submit():
        try:
            new, carried = bpjs_batch_renewal.renew(
                batch,
                name=form.name.data,
                funder_name=form.funder_name.data,
                period_start=form.period_start.data,
                period_end=form.period_end.data,
                quota=form.quota.data,
                monthly_premium=form.monthly_premium.data,
                actor=current_user,
            )
        except BpjsError as exc:
            db.session.rollback()
            batch = _batch_or_404(batch_id)
            _form_error(form, exc)
            return render_template(
                "bpjs/batches/form.html", form=form, batch=batch, eligible=eligible
            ), 400
        db.session.commit()
        flash(_("Renewed: %(n)d members carried into the new batch.", n=carried), "success")
        return redirect(url_for("bpjs.batch_detail", batch_id=new.id))
    status = 400 if form.errors else 200
    return render_template(
        "bpjs/batches/form.html", form=form, batch=batch, eligible=eligible
    ), status
