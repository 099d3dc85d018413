"""Enrolment queue: list with filters, detail, claim/enrol/return/reject/reassign, bulk."""

from __future__ import annotations

import re

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..models import EnrolmentRequest, Role
from ..services.businesses.risk_class import review_risk_class
from ..services.enrolment import queue as bpjs_queue
from ..services.enrolment.reports import (
    load_request,
    officer_choices,
    queue_page,
    request_history,
)
from ..services.errors import ServiceError
from ..services.membership.queries import membership_for_request
from ..services.undo import undo_window_words
from ..web.access import BPJS, require
from ..web.confirmation import Confirmation, confirm_then_run, take_back
from ..web.forms import EmptyForm, attempt
from ..web.page_cache import cached_page
from . import bp
from .forms import BulkForm, EnrolForm, QueueFilterForm, ReasonForm, ReassignForm, RiskClassForm

_ID = re.compile(r"[0-9]{1,18}")


def _filter_form() -> QueueFilterForm:
    form = QueueFilterForm(request.args)
    if not form.validate():
        # Unknown choices fall back to the defaults rather than failing the page.
        form = QueueFilterForm(formdata=None)
    return form


@bp.route("/queue")
@cached_page
@require(BPJS)
def queue():
    filters = _filter_form()
    page = queue_page(
        request.args.get("page"),
        state=filters.state.data or "open",
        business=filters.business.data or "",
        kecamatan=filters.kecamatan.data or "",
        category=filters.category.data or "",
        overdue=bool(filters.overdue.data),
        mine_id=current_user.id if filters.mine.data else None,
        unclaimed=bool(filters.unclaimed.data),
    )
    return render_template("bpjs/queue/list.html", filters=filters, page=page, bulk_form=BulkForm())


def _render_detail(req: EnrolmentRequest, status: int = 200, **forms):
    reassign_form = forms.get("reassign_form")
    if reassign_form is None and current_user.role == Role.BPJS_HEAD:
        reassign_form = ReassignForm(formdata=None)
    if reassign_form is not None:
        reassign_form.officer_id.choices = officer_choices()
    context = {
        "req": req,
        "membership": membership_for_request(req.id),
        "events": request_history(req.id),
        "enrol_form": forms.get("enrol_form") or EnrolForm(formdata=None),
        "return_form": forms.get("return_form") or ReasonForm(formdata=None, prefix="ret"),
        "reject_form": forms.get("reject_form") or ReasonForm(formdata=None, prefix="rej"),
        "reassign_form": reassign_form,
        "risk_form": forms.get("risk_form") or _risk_form(req),
        "undo_form": EmptyForm(formdata=None),
        "undo_until": bpjs_queue.undo_reject_until(req, current_user),
    }
    return render_template("bpjs/queue/detail.html", **context), status


def _risk_form(req: EnrolmentRequest) -> RiskClassForm | None:
    business = req.business
    if business is None:
        return None
    return RiskClassForm(
        formdata=None, risk_class=business.risk_class or "", version=business.version
    )


@bp.route("/queue/<int:request_id>/risk-class", methods=["POST"])
@require(BPJS)
def queue_risk_class(request_id: int):
    """BPJS reviews the JKK risk class of the request's business (audited)."""
    req = load_request(request_id)
    form = RiskClassForm()
    if req.business is None or not form.validate_on_submit():
        return _render_detail(req, 400, risk_form=form)
    saved, _business = attempt(
        lambda: review_risk_class(
            req.business_id, form.risk_class.data, current_user, _int(form.version.data)
        ),
        form,
    )
    if not saved:
        return _render_detail(load_request(request_id), 400, risk_form=form)
    flash(_("The business's JKK risk class is recorded as reviewed by BPJS."), "success")
    return redirect(url_for("bpjs.queue_detail", request_id=request_id))


def _int(text) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        return -1


@bp.route("/queue/<int:request_id>")
@require(BPJS)
def queue_detail(request_id: int):
    return _render_detail(load_request(request_id))


def _refused(request_id: int, error: ServiceError, **forms):
    """The request again, as it is now, with the refusal (already shown by `attempt`): 409
    when the request itself refused the step (decided, held by someone else), 400 for input."""
    return _render_detail(load_request(request_id), 409 if not error.field else 400, **forms)


def _done(request_id: int, outcome, done: str, then: str | None = None, **forms):
    """After a step: once saved, flash `done` and go to `then` (the request's page by
    default); refused, the request again with the refusal (`_refused`)."""
    if not outcome:
        return _refused(request_id, outcome.error, **forms)
    flash(done, "success")
    return redirect(then or url_for("bpjs.queue_detail", request_id=request_id))


@bp.route("/queue/<int:request_id>/claim", methods=["POST"])
@require(BPJS)
def queue_claim(request_id: int):
    load_request(request_id)
    outcome = attempt(lambda: bpjs_queue.claim(request_id, current_user))
    return _done(request_id, outcome, _("The request is yours now."))


@bp.route("/queue/<int:request_id>/release", methods=["POST"])
@require(BPJS)
def queue_release(request_id: int):
    load_request(request_id)
    outcome = attempt(lambda: bpjs_queue.release(request_id, current_user))
    return _done(request_id, outcome, _("The request is back in the queue."), url_for("bpjs.queue"))


@bp.route("/queue/<int:request_id>/enrol", methods=["POST"])
@require(BPJS)
def queue_enrol(request_id: int):
    req = load_request(request_id)
    form = EnrolForm()
    if not form.validate():
        return _render_detail(req, 400, enrol_form=form)
    outcome = attempt(lambda: bpjs_queue.enrol(request_id, current_user, form.kpj.data), form)
    if not outcome:
        return _refused(request_id, outcome.error, enrol_form=form)
    return _done(request_id, outcome, _("Enrolled with KPJ %(kpj)s.", kpj=outcome.value.kpj))


def _reason_action(request_id: int, prefix: str, action, done: str):
    req = load_request(request_id)
    form = ReasonForm(prefix=prefix)
    key = "return_form" if prefix == "ret" else "reject_form"
    if not form.validate():
        return _render_detail(req, 400, **{key: form})
    outcome = attempt(lambda: action(request_id, current_user, form.reason.data), form)
    return _done(request_id, outcome, done, **{key: form})


@bp.route("/queue/<int:request_id>/return", methods=["POST"])
@require(BPJS)
def queue_return(request_id: int):
    return _reason_action(
        request_id, "ret", bpjs_queue.return_for_correction, _("Returned to the owner.")
    )


@bp.route("/queue/<int:request_id>/reject", methods=["POST"])
@require(BPJS)
def queue_reject(request_id: int):
    """Rejecting ends the worker's way to cover through this request: asked first."""
    req = load_request(request_id)
    form = ReasonForm(prefix="rej")
    step = confirm_then_run(
        form,
        check=lambda: bpjs_queue.check_reject(request_id, current_user, form.reason.data),
        ask=lambda _checked: Confirmation(
            question=_("Reject the request of %(name)s?", name=req.worker.full_name),
            facts=[
                (_("Worker"), req.worker.full_name),
                (_("Employer"), req.business.name if req.business else "-"),
                (_("Reject reason"), form.reason.data),
            ],
            consequence=_(
                "The request is refused: the worker is not enrolled through it, and the owner "
                "sees the reason."
            ),
            undo=_(
                "You can take the rejection back within %(window)s of confirming it.",
                window=undo_window_words(),
            ),
            confirm_label=_("Yes, reject the request"),
            cancel_url=url_for("bpjs.queue_detail", request_id=request_id),
        ),
        command=lambda: bpjs_queue.reject(request_id, current_user, form.reason.data),
    )
    answer = step.answer(
        _("The request was rejected."), url_for("bpjs.queue_detail", request_id=request_id)
    )
    if answer:
        return answer
    if form.form_errors:  # the request itself refused (decided, held by someone else)
        return _render_detail(load_request(request_id), 409, reject_form=form)
    return _render_detail(req, 400 if form.errors else 200, reject_form=form)


@bp.route("/queue/<int:request_id>/undo-reject", methods=["POST"])
@require(BPJS)
def queue_undo_reject(request_id: int):
    """Take a rejection back within a day: the request returns to the queue."""
    load_request(request_id)
    return take_back(
        lambda _version: bpjs_queue.undo_reject(request_id, current_user),
        _("The rejection is taken back: the request is in the queue again."),
        url_for("bpjs.queue_detail", request_id=request_id),
        versioned=False,
    )


@bp.route("/queue/<int:request_id>/reassign", methods=["POST"])
@require(Role.BPJS_HEAD.value)
def queue_reassign(request_id: int):
    req = load_request(request_id)
    form = ReassignForm()
    form.officer_id.choices = officer_choices()
    if not form.validate():
        return _render_detail(req, 400, reassign_form=form)
    outcome = attempt(
        lambda: bpjs_queue.reassign(request_id, current_user, form.officer_id.data), form
    )
    if not outcome:
        return _refused(request_id, outcome.error, reassign_form=form)
    flash(_("Reassigned to %(name)s.", name=outcome.value.assignee.name), "success")
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
    done, outcomes = attempt(
        lambda: bpjs_queue.bulk(form.action.data, ids, current_user, form.reason.data or "")
    )
    if not done:
        return redirect(back_url)
    succeeded = sum(1 for o in outcomes if o.ok)
    flash(
        _("%(done)d of %(total)d requests done.", done=succeeded, total=len(outcomes)),
        "success" if succeeded == len(outcomes) else "warning",
    )
    for outcome in outcomes:
        if not outcome.ok:
            flash(
                _("Request #%(id)d refused: %(why)s", id=outcome.request_id, why=outcome.message),
                "danger",
            )
    return redirect(back_url)
