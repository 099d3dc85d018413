"""BPJS's side of employer compliance (PP 86/2013): SP1, SP2, the fine, the request to
withhold public services, and clearing a case before services are withheld."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..domain.clock import today_wib
from ..services.compliance.cases import (
    clear_case,
    clearance_gaps,
    impose_fine,
    issue_sp2,
    open_case_by_nib,
    record_fine_payment,
    request_withholding,
)
from ..services.compliance.queries import case_page, load_case
from ..services.compliance.rules import service_labels
from ..templating import format_day
from ..web.access import BPJS, require
from ..web.case_forms import (
    ClearForm,
    FineForm,
    FinePaymentForm,
    OpenCaseForm,
    Sp2Form,
    WithholdingRequestForm,
)
from ..web.forms import attempt, form_status
from . import bp


@bp.route("/compliance")
@require(BPJS)
def compliance():
    view = request.args.get("view", "open")
    if view not in ("open", "all"):
        view = "open"
    page = case_page(view, request.args.get("page"))
    return render_template("bpjs/compliance/list.html", page=page, view=view)


@bp.route("/compliance/new", methods=["GET", "POST"])
@require(BPJS)
def compliance_new():
    form = OpenCaseForm(nib=request.args.get("nib"))
    if request.method == "GET":
        form.issued_on.data = today_wib()
    if form.validate_on_submit():
        saved, case = attempt(
            lambda: open_case_by_nib(
                form.nib.data,
                current_user._get_current_object(),
                finding=form.finding.data,
                issued_on=form.issued_on.data,
                worker_niks=form.worker_niks.data,
            ),
            form,
        )
        if saved:
            flash(
                _("SP1 is recorded; the deadline is %(due)s.", due=format_day(case.sp1_due)),
                "success",
            )
            return redirect(url_for(".compliance_case", case_id=case.id))
    status = form_status(form)
    return render_template("bpjs/compliance/new.html", form=form), status


def _render_case(case, status: int = 200, **forms):
    today = today_wib()
    defaults = {
        "sp2_form": Sp2Form(formdata=None, version=case.version, issued_on=today),
        "fine_form": FineForm(formdata=None, version=case.version, fined_on=today),
        "request_form": WithholdingRequestForm(formdata=None, version=case.version),
        "clear_form": ClearForm(formdata=None, version=case.version),
        "fine_paid_form": FinePaymentForm(formdata=None, version=case.version),
    }
    defaults.update(forms)
    return (
        render_template(
            "bpjs/compliance/case.html",
            case=case,
            gaps=clearance_gaps(case),
            service_labels=service_labels,
            **defaults,
        ),
        status,
    )


@bp.route("/compliance/<int:case_id>")
@require(BPJS)
def compliance_case(case_id: int):
    return _render_case(load_case(case_id))


# One POST endpoint per step: form class, service call and the form's name on the page.
def _run_step(case_id: int, form_cls, form_name: str, action, done_message: str):
    case = load_case(case_id)
    form = form_cls()
    if form.validate_on_submit():
        saved, _result = attempt(lambda: action(case, form), form)
        if saved:
            flash(done_message, "success")
            return redirect(url_for(".compliance_case", case_id=case.id))
        case = load_case(case_id)
    return _render_case(case, 400, **{form_name: form})


def _me():
    return current_user._get_current_object()


@bp.route("/compliance/<int:case_id>/sp2", methods=["POST"])
@require(BPJS)
def compliance_sp2(case_id: int):
    return _run_step(
        case_id,
        Sp2Form,
        "sp2_form",
        lambda case, form: issue_sp2(
            case, _me(), issued_on=form.issued_on.data, version=int(form.version.data)
        ),
        _("SP2 is recorded."),
    )


@bp.route("/compliance/<int:case_id>/fine", methods=["POST"])
@require(BPJS)
def compliance_fine(case_id: int):
    return _run_step(
        case_id,
        FineForm,
        "fine_form",
        lambda case, form: impose_fine(
            case,
            _me(),
            contributions_due=form.contributions_due.data,
            fined_on=form.fined_on.data,
            version=int(form.version.data),
        ),
        _("The fine is recorded."),
    )


@bp.route("/compliance/<int:case_id>/fine-paid", methods=["POST"])
@require(BPJS)
def compliance_fine_paid(case_id: int):
    return _run_step(
        case_id,
        FinePaymentForm,
        "fine_paid_form",
        lambda case, form: record_fine_payment(
            case,
            _me(),
            amount=form.amount.data,
            paid_on=form.paid_on.data,
            receipt_no=form.receipt_no.data,
            version=int(form.version.data),
        ),
        _("The fine payment is recorded."),
    )


@bp.route("/compliance/<int:case_id>/request-withholding", methods=["POST"])
@require(BPJS)
def compliance_request_withholding(case_id: int):
    return _run_step(
        case_id,
        WithholdingRequestForm,
        "request_form",
        lambda case, form: request_withholding(
            case, _me(), services=form.services.data, version=int(form.version.data)
        ),
        _("The request to withhold services is sent to the trade office."),
    )


@bp.route("/compliance/<int:case_id>/clear", methods=["POST"])
@require(BPJS)
def compliance_clear(case_id: int):
    return _run_step(
        case_id,
        ClearForm,
        "clear_form",
        lambda case, form: clear_case(
            case,
            _me(),
            note=form.note.data,
            version=int(form.version.data),
            by_trade_office=False,
        ),
        _("The case is cleared."),
    )
