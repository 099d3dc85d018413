"""Enrolment queue: list with filters, detail, claim/enrol/return/reject/reassign, bulk."""

from __future__ import annotations

import re

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..domain.clock import today_wib
from ..extensions import db
from ..models import AuditEvent, EnrolmentRequest, Membership, Role
from ..services.enrolment import queue as bpjs_queue
from ..services.enrolment.reports import bpjs_staff, kecamatan_choices, queue_statement
from ..services.membership.common import BpjsError
from ..web.access import BPJS, require
from . import bp
from .forms import BulkForm, EnrolForm, QueueFilterForm, ReasonForm, ReassignForm

_ID = re.compile(r"[0-9]{1,18}")


def _filter_form() -> QueueFilterForm:
    form = QueueFilterForm(request.args)
    form.kecamatan.choices = [("", _("All kecamatan")), *kecamatan_choices()]
    if not form.validate():
        # Unknown choices fall back to the defaults rather than failing the page.
        form = QueueFilterForm(formdata=None)
        form.kecamatan.choices = [("", _("All kecamatan"))]
    return form


@bp.route("/queue")
@require(BPJS)
def queue():
    filters = _filter_form()
    stmt = queue_statement(
        state=filters.state.data or "open",
        business=filters.business.data or "",
        kecamatan=filters.kecamatan.data or "",
        category=filters.category.data or "",
        overdue=bool(filters.overdue.data),
        mine_id=current_user.id if filters.mine.data else None,
    )
    page = db.paginate(stmt, per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template(
        "bpjs/queue/list.html",
        filters=filters,
        page=page,
        bulk_form=BulkForm(),
        today=today_wib(),
    )


def _request_or_404(request_id: int) -> EnrolmentRequest:
    req = db.session.scalar(
        select(EnrolmentRequest)
        .where(EnrolmentRequest.id == request_id)
        .options(
            joinedload(EnrolmentRequest.worker),
            joinedload(EnrolmentRequest.business),
            joinedload(EnrolmentRequest.employment),
            joinedload(EnrolmentRequest.assignee),
            joinedload(EnrolmentRequest.decided_by),
        )
    )
    if req is None:
        abort(404)
    return req


def _render_detail(req: EnrolmentRequest, status: int = 200, **forms):
    reassign_form = forms.get("reassign_form")
    if reassign_form is None and current_user.role == Role.BPJS_HEAD:
        reassign_form = ReassignForm(formdata=None)
    if reassign_form is not None:
        reassign_form.officer_id.choices = [(u.id, u.name) for u in bpjs_staff()]
    membership = db.session.scalar(
        select(Membership).where(Membership.enrolment_request_id == req.id)
    )
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.record_type == "EnrolmentRequest", AuditEvent.record_id == str(req.id))
        .order_by(AuditEvent.id)
    ).all()
    context = {
        "req": req,
        "membership": membership,
        "events": events,
        "today": today_wib(),
        "enrol_form": forms.get("enrol_form") or EnrolForm(formdata=None),
        "return_form": forms.get("return_form") or ReasonForm(formdata=None, prefix="ret"),
        "reject_form": forms.get("reject_form") or ReasonForm(formdata=None, prefix="rej"),
        "reassign_form": reassign_form,
    }
    return render_template("bpjs/queue/detail.html", **context), status


@bp.route("/queue/<int:request_id>")
@require(BPJS)
def queue_detail(request_id: int):
    return _render_detail(_request_or_404(request_id))


def _refused(req_id: int, exc: BpjsError, **forms):
    """Roll back, show the request again with the message next to the right field."""
    db.session.rollback()
    req = _request_or_404(req_id)
    form = next(iter(forms.values()), None)
    if form is not None and exc.field and hasattr(form, exc.field):
        target = getattr(form, exc.field)
        target.errors = [*target.errors, exc.message]
    else:
        flash(exc.message, "danger")
    return _render_detail(req, 409 if not exc.field else 400, **forms)


@bp.route("/queue/<int:request_id>/claim", methods=["POST"])
@require(BPJS)
def queue_claim(request_id: int):
    _request_or_404(request_id)
    try:
        bpjs_queue.claim(request_id, current_user)
    except BpjsError as exc:
        return _refused(request_id, exc)
    db.session.commit()
    flash(_("The request is yours now."), "success")
    return redirect(url_for("bpjs.queue_detail", request_id=request_id))


@bp.route("/queue/<int:request_id>/release", methods=["POST"])
@require(BPJS)
def queue_release(request_id: int):
    _request_or_404(request_id)
    try:
        bpjs_queue.release(request_id, current_user)
    except BpjsError as exc:
        return _refused(request_id, exc)
    db.session.commit()
    flash(_("The request is back in the queue."), "success")
    return redirect(url_for("bpjs.queue"))


@bp.route("/queue/<int:request_id>/enrol", methods=["POST"])
@require(BPJS)
def queue_enrol(request_id: int):
    _request_or_404(request_id)
    form = EnrolForm()
    if not form.validate():
        return _render_detail(_request_or_404(request_id), 400, enrol_form=form)
    try:
        membership = bpjs_queue.enrol(request_id, current_user, form.kpj.data or None)
    except BpjsError as exc:
        return _refused(request_id, exc, enrol_form=form)
    db.session.commit()
    flash(_("Enrolled with KPJ %(kpj)s.", kpj=membership.kpj), "success")
    return redirect(url_for("bpjs.queue_detail", request_id=request_id))


def _reason_action(request_id: int, prefix: str, action, done: str):
    _request_or_404(request_id)
    form = ReasonForm(prefix=prefix)
    key = "return_form" if prefix == "ret" else "reject_form"
    if not form.validate():
        return _render_detail(_request_or_404(request_id), 400, **{key: form})
    try:
        action(request_id, current_user, form.reason.data)
    except BpjsError as exc:
        return _refused(request_id, exc, **{key: form})
    db.session.commit()
    flash(done, "success")
    return redirect(url_for("bpjs.queue_detail", request_id=request_id))


@bp.route("/queue/<int:request_id>/return", methods=["POST"])
@require(BPJS)
def queue_return(request_id: int):
    return _reason_action(
        request_id, "ret", bpjs_queue.return_for_correction, _("Returned to the owner.")
    )


@bp.route("/queue/<int:request_id>/reject", methods=["POST"])
@require(BPJS)
def queue_reject(request_id: int):
    return _reason_action(request_id, "rej", bpjs_queue.reject, _("The request was rejected."))


@bp.route("/queue/<int:request_id>/reassign", methods=["POST"])
@require(Role.BPJS_HEAD.value)
def queue_reassign(request_id: int):
    _request_or_404(request_id)
    form = ReassignForm()
    form.officer_id.choices = [(u.id, u.name) for u in bpjs_staff()]
    if not form.validate():
        return _render_detail(_request_or_404(request_id), 400, reassign_form=form)
    try:
        req = bpjs_queue.reassign(request_id, current_user, form.officer_id.data)
    except BpjsError as exc:
        return _refused(request_id, exc, reassign_form=form)
    db.session.commit()
    flash(_("Reassigned to %(name)s.", name=req.assignee.name), "success")
    if request.form.get("from") == "head":
        return redirect(url_for("bpjs.head"))
    return redirect(url_for("bpjs.queue_detail", request_id=request_id))


@bp.route("/queue/bulk", methods=["POST"])
@require(BPJS)
def queue_bulk():
    form = BulkForm()
    # Ids are plain ASCII digits that fit a database integer; anything else is ignored.
    ids = [int(v) for v in request.form.getlist("ids") if _ID.fullmatch(v)][:200]
    back = request.form.get("back") or ""
    back_url = url_for("bpjs.queue") + (("?" + back) if back and "//" not in back else "")
    if not form.validate():
        flash(_("Choose an action."), "danger")
        return redirect(back_url)
    if not ids:
        flash(_("Select at least one request."), "warning")
        return redirect(back_url)
    try:
        outcomes = bpjs_queue.bulk(form.action.data, ids, current_user, form.reason.data or "")
    except BpjsError as exc:
        flash(exc.message, "danger")
        return redirect(back_url)
    db.session.commit()
    done = sum(1 for o in outcomes if o.ok)
    flash(
        _("%(done)d of %(total)d requests done.", done=done, total=len(outcomes)),
        "success" if done == len(outcomes) else "warning",
    )
    for outcome in outcomes:
        if not outcome.ok:
            flash(
                _("Request #%(id)d refused: %(why)s", id=outcome.request_id, why=outcome.message),
                "danger",
            )
    return redirect(back_url)
