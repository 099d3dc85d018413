"""BPJS's side of employer compliance (PP 86/2013): SP1, SP2, the fine, the request to
withhold public services, and clearing a case before services are withheld."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..domain.money import format_rupiah as rupiah
from ..services.compliance.cases import (
    check_fine,
    check_open_case_by_nib,
    check_sp2,
    check_withholding_request,
    clearance_gaps,
    impose_fine,
    issue_sp2,
    open_case_by_nib,
    record_fine_payment,
    request_withholding,
    undo_until,
    warning_deadline,
)
from ..services.compliance.queries import load_case
from ..services.compliance.rules import WARNING_WORKING_DAYS, service_labels
from ..services.undo import undo_window_words
from ..templating import format_day, mask_nik
from ..web.access import BPJS, me, require
from ..web.case_forms import (
    ClearForm,
    FineForm,
    FinePaymentForm,
    OpenCaseForm,
    Sp2Form,
    WithholdingRequestForm,
)
from ..web.case_views import add_case_routes, clear_as_typed, confirmed_case_step
from ..web.confirmation import Confirmation, confirm_then_run
from ..web.forms import VersionedForm, attempt, form_status
from . import bp

add_case_routes(bp, BPJS, "bpjs/compliance/list.html", ("open", "all"))


@bp.context_processor
def compliance_rules() -> dict:
    """The warning period, for the pages that explain it (never written in a template)."""
    return {"warning_working_days": WARNING_WORKING_DAYS}


@bp.route("/compliance/new", methods=["GET", "POST"])
@require(BPJS)
def compliance_new():
    # The letter's date is never pre-filled: the officer types it, then confirms it.
    form = OpenCaseForm(nib=request.args.get("nib"))
    step = confirm_then_run(
        form,
        check=lambda: check_open_case_by_nib(form.nib.data, form.issued_on.data),
        ask=lambda business: Confirmation(
            question=_("Send SP1 to %(name)s?", name=business.name),
            facts=[
                Confirmation.employer_fact(business),
                (_("SP1 issued on"), format_day(form.issued_on.data)),
                (_("Deadline"), format_day(warning_deadline(form.issued_on.data))),
                (_("Workers named"), ", ".join(mask_nik(nik) for nik in form.worker_niks.data)),
            ],
            consequence=_(
                "BPJS issues the first written warning (SP1): the employer has %(days)d "
                "working days to register the named workers and pay, or gets SP2.",
                days=WARNING_WORKING_DAYS,
            ),
            undo=_(
                "You can withdraw the letter within %(window)s of confirming it.",
                window=undo_window_words(),
            ),
            confirm_label=_("Yes, send SP1"),
            cancel_url=url_for(".compliance"),
        ),
        command=lambda: open_case_by_nib(
            form.nib.data,
            me(),
            finding=form.finding.data,
            issued_on=form.issued_on.data,
            worker_niks=form.worker_niks.data,
        ),
    )
    answer = step.answer(
        lambda case: _("SP1 is recorded; the deadline is %(due)s.", due=format_day(case.sp1_due)),
        lambda case: url_for(".compliance_case", case_id=case.id),
    )
    if answer:
        return answer
    status = form_status(form)
    return render_template("bpjs/compliance/new.html", form=form), status


def _render_case(case, status: int = 200, **forms):
    # Dates of letters and the fine are never pre-filled: the officer types them.
    defaults = {
        "sp2_form": Sp2Form(formdata=None, version=case.version),
        "fine_form": FineForm(formdata=None, version=case.version),
        "request_form": WithholdingRequestForm(formdata=None, version=case.version),
        "clear_form": ClearForm(formdata=None, version=case.version),
        "fine_paid_form": FinePaymentForm(formdata=None, version=case.version),
        "undo_form": VersionedForm(formdata=None, version=case.version),
    }
    defaults.update(forms)
    return (
        render_template(
            "bpjs/compliance/case.html",
            case=case,
            gaps=clearance_gaps(case),
            service_labels=service_labels,
            undo_until=undo_until(case, me()),
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


@bp.route("/compliance/<int:case_id>/sp2", methods=["POST"])
@require(BPJS)
def compliance_sp2(case_id: int):
    return confirmed_case_step(
        case_id,
        Sp2Form,
        "sp2_form",
        ("issued_on",),
        check_sp2,
        lambda case, form, _checked: Confirmation(
            question=_("Send SP2 to %(name)s?", name=case.business.name),
            facts=[
                (_("SP2 issued on"), format_day(form.issued_on.data)),
                (_("Deadline"), format_day(warning_deadline(form.issued_on.data))),
            ],
            consequence=_(
                "BPJS issues the second written warning (SP2): after its deadline the "
                "employer can be fined."
            ),
            undo=_(
                "You can withdraw the letter within %(window)s of confirming it.",
                window=undo_window_words(),
            ),
            confirm_label=_("Yes, send SP2"),
        ),
        issue_sp2,
        _("SP2 is recorded."),
        render=_render_case,
    )


@bp.route("/compliance/<int:case_id>/fine", methods=["POST"])
@require(BPJS)
def compliance_fine(case_id: int):
    return confirmed_case_step(
        case_id,
        FineForm,
        "fine_form",
        ("contributions_due", "fined_on"),
        check_fine,
        lambda case, form, checked: Confirmation(
            question=_("Fine %(name)s?", name=case.business.name),
            facts=[
                (_("Contributions due (Rp)"), rupiah(form.contributions_due.data)),
                (_("Fine imposed on"), format_day(form.fined_on.data)),
                (_("Days charged"), str(checked[0])),
                (_("Fine"), rupiah(checked[2])),
            ],
            consequence=_(
                "The employer owes this fine to BPJS; the case clears only once it is paid."
            ),
            undo=Confirmation.undo_in_window(),
            confirm_label=_("Yes, impose the fine"),
        ),
        impose_fine,
        _("The fine is recorded."),
        render=_render_case,
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
            me(),
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
    return confirmed_case_step(
        case_id,
        WithholdingRequestForm,
        "request_form",
        ("services",),
        check_withholding_request,
        lambda case, form, codes: Confirmation(
            question=_("Ask the city to withhold services from %(name)s?", name=case.business.name),
            facts=[
                (_("Services to withhold"), ", ".join(service_labels(codes))),
            ],
            consequence=_(
                "The request goes to the trade office, which then withholds these public "
                "services from the employer until the case is cleared."
            ),
            undo=_(
                "You can withdraw the request within %(window)s of confirming it.",
                window=undo_window_words(),
            ),
            confirm_label=_("Yes, send the request"),
        ),
        request_withholding,
        _("The request to withhold services is sent to the trade office."),
        render=_render_case,
    )


@bp.route("/compliance/<int:case_id>/clear", methods=["POST"])
@require(BPJS)
def compliance_clear(case_id: int):
    return _run_step(
        case_id,
        ClearForm,
        "clear_form",
        lambda case, form: clear_as_typed(case, form, by_trade_office=False),
        _("The case is cleared."),
    )
