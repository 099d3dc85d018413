"""Employer compliance under PP 86/2013: warnings, fine, withheld public services, clearance.

Steps follow `domain.workflow.EMPLOYER_COMPLIANCE`:
warning_1 (SP1) → warning_2 (SP2) → fined → services_withheld → cleared.

- SP1 and SP2 each give the employer 10 working days (the portal's working calendar).
  SP2 may be issued only after the SP1 deadline has passed; the fine only after the SP2
  deadline has passed.
- Fine: `fine_bp_per_month` basis points (setting `compliance_fine_bp_per_month`, default 10
  = 0.1%) per month of the contributions due, charged for the days after the SP2 deadline up to
  the day it is imposed, at most 30 days: fine = due × bp/10,000 × min(days, 30)/30, rounded
  half up to whole rupiah. 30 days or more is therefore exactly 0.1% of the contributions due.
- BPJS then asks the city to withhold certain services; the trade office records which were
  withheld and when. Withholding is only recorded after the request.
- Each step (SP1, SP2, the fine, the request to withhold, the withholding) is asked about
  first: `check_*` refuses what the step would refuse and changes nothing. Its author may
  take the latest step back within a day (`services.undo`): `undo_last_step` returns the case
  to the step before (an SP1 taken back leaves the case withdrawn). A fine payment or the
  clearance builds on the steps before, so nothing is taken back after them.
- Cleared (PP 86/2013 art. 9: sanctions end once the employer complies) only when
  `clearance_gaps` finds nothing missing: every worker the case names (by NIK, at SP1) has an
  active membership through this business (a case naming nobody, from before names were kept:
  at least one active membership), a contribution is paid since SP1, and a fine, once imposed,
  is recorded as paid (amount, date, receipt number). BPJS may clear a case before
  withholding; once services are withheld, the trade office lifts it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import exists, select

from ...domain.clock import now, today_wib
from ...domain.money import format_rupiah
from ...domain.workflow import TransitionError, check
from ...extensions import db
from ...models import (
    CLOSED_COMPLIANCE_STATES,
    Business,
    ComplianceCase,
    ComplianceCaseWorker,
    ComplianceState,
    ComplianceStep,
    ContributionPayment,
    Membership,
    MembershipState,
    User,
    Worker,
)
from ..audit.trail import record_event
from ..businesses.common import TradeError
from ..reference.lookups import setting_int, working_calendar
from ..saving import flush_or_refuse
from ..undo import check_undo, undo_open_until
from .rules import (
    DEFAULT_FINE_BP,
    FINE_MAX_DAYS,
    FINE_SETTING,
    WARNING_WORKING_DAYS,
    WITHHOLDABLE_SERVICES,
    compute_fine,
    out_of_order_message,
    service_codes,
)

MACHINE = "employer_compliance"


def _step(case: ComplianceCase, target: str) -> None:
    try:
        check(MACHINE, case.state, target)
    except TransitionError:
        raise TradeError(None, out_of_order_message(case.state, target)) from None


def _flush(case: ComplianceCase) -> None:
    flush_or_refuse(
        stale=TradeError(None, _("This case was changed by someone else. Review it and try again."))
    )


def _check_version(case: ComplianceCase, version: int) -> None:
    if case.version != version:
        raise TradeError(None, _("This case was changed by someone else. Review it and try again."))


def _not_future(day: date, field: str) -> None:
    if day > today_wib():
        raise TradeError(field, _("The date cannot be in the future."))


def _mark_step(case: ComplianceCase, step: ComplianceStep | None, officer: User | None) -> None:
    """Remember the step just taken (its author may take it back); None: nothing to take back."""
    case.last_step = step.value if step else None
    case.last_step_at = now() if step else None
    case.last_step_by_id = officer.id if step and officer else None


def _save_step(
    case: ComplianceCase,
    officer: User,
    action: str,
    summary: dict,
    *,
    step: ComplianceStep | None = None,
) -> None:
    """Remember `step` (None: nothing to take back), save the case and record `action`."""
    _mark_step(case, step, officer)
    _flush(case)
    record_event(action, case, summary, actor=officer)


def warning_deadline(issued_on: date) -> date:
    """The SP1 (and SP2) deadline: 10 working days after the letter's date."""
    return working_calendar().add_working_days(issued_on, WARNING_WORKING_DAYS)


def check_open_case(business: Business, issued_on: date) -> None:
    """Refuse an SP1 `open_case` would refuse; changes nothing."""
    _not_future(issued_on, "issued_on")
    open_case_id = db.session.scalar(
        select(ComplianceCase.id).where(
            ComplianceCase.business_id == business.id,
            ComplianceCase.state.not_in(CLOSED_COMPLIANCE_STATES),
        )
    )
    if open_case_id is not None:
        raise TradeError(None, _("This business already has an open compliance case."))


def open_case(
    business: Business,
    officer: User,
    *,
    finding: str,
    issued_on: date,
    worker_niks: list[str] | tuple[str, ...] = (),
) -> ComplianceCase:
    """Issue SP1 (first written warning) to an employer: opens a case at warning_1.

    Who: bpjs_officer or bpjs_head. The deadline is 10 working days after `issued_on`.
    `worker_niks`: the workers the finding names as not registered (16-digit NIKs, checked
    by the form); the case clears only once each is registered.
    Raises TradeError when the business already has an open case or the date is in the future.
    """
    check_open_case(business, issued_on)
    case = ComplianceCase(
        business_id=business.id,
        state=ComplianceState.WARNING_1,
        finding=finding,
        sp1_issued_on=issued_on,
        sp1_due=warning_deadline(issued_on),
        opened_by_id=officer.id,
        named_workers=[ComplianceCaseWorker(nik=nik) for nik in dict.fromkeys(worker_niks)],
    )
    _mark_step(case, ComplianceStep.SP1, officer)
    flush_or_refuse(
        case, taken=TradeError(None, _("This business already has an open compliance case."))
    )
    record_event(
        "compliance.sp1",
        case,
        {
            "business_id": business.id,
            "issued_on": issued_on,
            "due": case.sp1_due,
            "workers_named": len(case.named_workers),
        },
        actor=officer,
    )
    return case


def check_sp2(case: ComplianceCase, *, issued_on: date, version: int) -> None:
    """Refuse an SP2 `issue_sp2` would refuse; changes nothing."""
    _check_version(case, version)
    _step(case, ComplianceState.WARNING_2)
    _not_future(issued_on, "issued_on")
    if issued_on <= case.sp1_due:
        raise TradeError(
            "issued_on",
            _(
                "SP2 can be issued only after the SP1 deadline (%(due)s) has passed.",
                due=format_date(case.sp1_due, "dd MMM yyyy"),
            ),
        )


def issue_sp2(case: ComplianceCase, officer: User, *, issued_on: date, version: int) -> None:
    """Issue SP2 (second written warning) once the SP1 deadline has passed.

    Who: bpjs_officer or bpjs_head. Raises TradeError for a step out of order, an SP1
    deadline not yet passed (field "issued_on") or a stale form.
    """
    check_sp2(case, issued_on=issued_on, version=version)
    case.state = ComplianceState.WARNING_2
    case.sp2_issued_on = issued_on
    case.sp2_due = warning_deadline(issued_on)
    _save_step(
        case,
        officer,
        "compliance.sp2",
        {"before": "warning_1", "after": "warning_2", "issued_on": issued_on, "due": case.sp2_due},
        step=ComplianceStep.SP2,
    )


def check_fine(
    case: ComplianceCase, *, contributions_due: int, fined_on: date, version: int
) -> tuple[int, int, int]:
    """Refuse a fine `impose_fine` would refuse; changes nothing. Returns the days charged,
    the rate (basis points per month) and the fine in rupiah, for the page that asks first."""
    _check_version(case, version)
    _step(case, ComplianceState.FINED)
    _not_future(fined_on, "fined_on")
    if contributions_due <= 0:
        raise TradeError("contributions_due", _("Enter the contributions the employer owes."))
    assert case.sp2_due is not None  # warning_2 always has an SP2 deadline
    if fined_on <= case.sp2_due:
        raise TradeError(
            "fined_on",
            _(
                "The fine can be imposed only after the SP2 deadline (%(due)s) has passed.",
                due=format_date(case.sp2_due, "dd MMM yyyy"),
            ),
        )
    days = min((fined_on - case.sp2_due).days, FINE_MAX_DAYS)
    bp = setting_int(FINE_SETTING, DEFAULT_FINE_BP)
    return days, bp, compute_fine(contributions_due, days, bp)


def impose_fine(
    case: ComplianceCase, officer: User, *, contributions_due: int, fined_on: date, version: int
) -> None:
    """Record the PP 86/2013 fine once the SP2 deadline has passed (see module docstring).

    Who: bpjs_officer or bpjs_head. Raises TradeError for a step out of order, an SP2
    deadline not yet passed (field "fined_on"), a non-positive amount due
    (field "contributions_due") or a stale form.
    """
    days, bp, amount = check_fine(
        case, contributions_due=contributions_due, fined_on=fined_on, version=version
    )
    case.state = ComplianceState.FINED
    case.contributions_due = contributions_due
    case.fine_days = days
    case.fine_amount = amount
    case.fined_on = fined_on
    _save_step(
        case,
        officer,
        "compliance.fined",
        {
            "before": "warning_2",
            "after": "fined",
            "contributions_due": contributions_due,
            "days": days,
            "bp_per_month": bp,
            "fine": case.fine_amount,
        },
        step=ComplianceStep.FINE,
    )


def _services(codes: list[str], field: str) -> str:
    if not codes or any(code not in WITHHOLDABLE_SERVICES for code in codes):
        raise TradeError(field, _("Choose at least one of the listed services."))
    return ",".join(code for code in WITHHOLDABLE_SERVICES if code in codes)


def check_withholding_request(case: ComplianceCase, *, services: list[str], version: int) -> str:
    """Refuse a request `request_withholding` would refuse; changes nothing. Returns the
    services as they would be stored."""
    _check_version(case, version)
    if case.state != ComplianceState.FINED:
        raise TradeError(None, _("Withholding can be requested only after the fine."))
    if case.withholding_requested_on is not None:
        raise TradeError(None, _("Withholding has already been requested for this case."))
    return _services(services, "services")


def request_withholding(
    case: ComplianceCase, officer: User, *, services: list[str], version: int
) -> None:
    """BPJS asks the city to withhold public services from a fined employer.

    Who: bpjs_officer or bpjs_head. Only in state `fined` and only once. Raises TradeError
    otherwise, for no or unknown services (field "services") or a stale form.
    """
    case.requested_services = check_withholding_request(case, services=services, version=version)
    case.withholding_requested_on = today_wib()
    case.withholding_requested_by_id = officer.id
    _save_step(
        case,
        officer,
        "compliance.withholding_requested",
        {"services": case.requested_services},
        step=ComplianceStep.WITHHOLDING_REQUEST,
    )


def record_withholding(
    case: ComplianceCase, officer: User, *, services: list[str], withheld_on: date, version: int
) -> None:
    """The trade office records which public services the city withholds, and since when.

    Who: trade_officer or trade_head. Only after BPJS's request, and only services BPJS asked
    for (the city acts at BPJS's request). Raises TradeError for a step out of order, no,
    unknown or unrequested services (field "services"), a date before the request or in the
    future (field "withheld_on") or a stale form.
    """
    case.services_withheld = check_withholding(
        case, services=services, withheld_on=withheld_on, version=version
    )
    case.withheld_on = withheld_on
    case.withheld_by_id = officer.id
    case.state = ComplianceState.SERVICES_WITHHELD
    _save_step(
        case,
        officer,
        "compliance.services_withheld",
        {"before": "fined", "after": "services_withheld", "services": case.services_withheld},
        step=ComplianceStep.WITHHOLDING,
    )


def check_withholding(
    case: ComplianceCase, *, services: list[str], withheld_on: date, version: int
) -> str:
    """Refuse what `record_withholding` would refuse; changes nothing. Returns the services
    as they would be stored."""
    _check_version(case, version)
    if case.state == ComplianceState.FINED and case.withholding_requested_on is None:
        raise TradeError(None, _("BPJS has not requested withholding for this case yet."))
    _step(case, ComplianceState.SERVICES_WITHHELD)
    _not_future(withheld_on, "withheld_on")
    assert case.withholding_requested_on is not None
    if withheld_on < case.withholding_requested_on:
        raise TradeError("withheld_on", _("Services cannot be withheld before BPJS asked for it."))
    withheld = _services(services, "services")
    requested = requested_service_codes(case)
    unasked = [code for code in service_codes(withheld) if code not in requested]
    if unasked:
        raise TradeError(
            "services",
            _(
                "BPJS did not ask to withhold: %(list)s. Withhold only the services BPJS "
                "requested.",
                list=", ".join(str(WITHHOLDABLE_SERVICES[code]) for code in unasked),
            ),
        )
    return withheld


def requested_service_codes(case: ComplianceCase) -> list[str]:
    """The services BPJS asked the city to withhold, in the listed order."""
    return service_codes(case.requested_services)


def withholding_choices(case: ComplianceCase) -> list[tuple[str, str]]:
    """The services the trade office may record as withheld: only what BPJS asked for."""
    return [
        (code, str(WITHHOLDABLE_SERVICES[code]))
        for code in requested_service_codes(case)
        if code in WITHHOLDABLE_SERVICES
    ]


@dataclass
class ClearanceGaps:
    """What still keeps a case open; `cleared` is True when nothing does."""

    unregistered: list[str] = field(default_factory=list)  # named NIKs without active cover
    no_membership: bool = False  # a case naming nobody: not one active membership
    no_contribution: bool = False  # no contribution paid since SP1
    fine_unpaid: bool = False  # a fine imposed and not recorded as paid

    @property
    def cleared(self) -> bool:
        return not (
            self.unregistered or self.no_membership or self.no_contribution or self.fine_unpaid
        )

    def messages(self) -> list[str]:
        found = []
        if self.unregistered:
            found.append(
                _(
                    "%(count)d of the workers the case names are not yet registered with BPJS "
                    "through this employer.",
                    count=len(self.unregistered),
                )
            )
        if self.no_membership:
            found.append(_("The employer has no worker with an active BPJS membership."))
        if self.no_contribution:
            found.append(_("No contribution has been paid since SP1."))
        if self.fine_unpaid:
            found.append(_("The fine is not recorded as paid."))
        return found


def clearance_gaps(case: ComplianceCase) -> ClearanceGaps:
    """What is missing before `case` may clear (two queries)."""
    covered = (
        select(Membership.id)
        .join(Worker, Worker.id == Membership.worker_id)
        .where(
            Worker.nik == ComplianceCaseWorker.nik,
            Membership.business_id == case.business_id,
            Membership.state == MembershipState.ACTIVE,
        )
        .exists()
    )
    named = db.session.execute(
        select(ComplianceCaseWorker.nik, covered)
        .where(ComplianceCaseWorker.case_id == case.id)
        .order_by(ComplianceCaseWorker.id)
    ).all()
    active = exists().where(
        Membership.business_id == case.business_id, Membership.state == MembershipState.ACTIVE
    )
    paid = exists().where(
        ContributionPayment.membership_id == Membership.id,
        Membership.business_id == case.business_id,
        ContributionPayment.paid_on >= case.sp1_issued_on,
    )
    has_active, has_paid = db.session.execute(select(active, paid)).one()
    return ClearanceGaps(
        unregistered=[nik for nik, ok in named if not ok],
        no_membership=not named and not has_active,
        no_contribution=not has_paid,
        fine_unpaid=case.fine_amount is not None and case.fine_paid_on is None,
    )


def record_fine_payment(
    case: ComplianceCase,
    officer: User,
    *,
    amount: int,
    paid_on: date,
    receipt_no: str,
    version: int,
) -> None:
    """Record that the employer paid the PP 86/2013 fine: amount, day and receipt number.

    Who: bpjs_officer or bpjs_head, once per case, after the fine and before clearance.
    Raises TradeError for no fine or one already recorded, an amount below the fine (field
    "amount"), a day before the fine or in the future (field "paid_on"), no receipt number
    (field "receipt_no") or a stale form.
    """
    _check_version(case, version)
    if case.fine_amount is None or case.fined_on is None or not case.is_open:
        raise TradeError(None, _("There is no fine to record a payment for."))
    if case.fine_paid_on is not None:
        raise TradeError(None, _("The fine payment is already recorded."))
    if amount < case.fine_amount:
        raise TradeError(
            "amount",
            _(
                "The fine is %(fine)s: record the full amount.",
                fine=format_rupiah(case.fine_amount),
            ),
        )
    _not_future(paid_on, "paid_on")
    if paid_on < case.fined_on:
        raise TradeError("paid_on", _("The fine cannot be paid before it was imposed."))
    receipt_no = (receipt_no or "").strip()
    if not receipt_no:
        raise TradeError("receipt_no", _("Enter the receipt number."))
    case.fine_paid_amount = amount
    case.fine_paid_on = paid_on
    case.fine_receipt_no = receipt_no
    case.fine_payment_recorded_by_id = officer.id
    # No step to take back: the payment stands on the fine, neither is taken back now.
    _save_step(
        case,
        officer,
        "compliance.fine_paid",
        {"amount": amount, "paid_on": paid_on, "receipt_no": receipt_no},
    )


def clear_case(
    case: ComplianceCase, officer: User, *, note: str, version: int, by_trade_office: bool
) -> None:
    """Close a case once the employer has registered and paid (lifts any withholding).

    Who: BPJS (bpjs_officer, bpjs_head) before services are withheld; the trade office
    (trade_officer, trade_head) lifts a case whose services are withheld. Raises TradeError for
    the wrong office, an already cleared case, an employer that has not registered and paid,
    or a stale form.
    """
    _check_version(case, version)
    _step(case, ComplianceState.CLEARED)
    withheld = case.state == ComplianceState.SERVICES_WITHHELD
    if withheld and not by_trade_office:
        raise TradeError(None, _("Services are withheld: the trade office lifts this case."))
    if not withheld and by_trade_office:
        raise TradeError(
            None, _("Only a case with services withheld is lifted by the trade office.")
        )
    gaps = clearance_gaps(case)
    if not gaps.cleared:
        raise TradeError(None, " ".join(gaps.messages()))
    before = case.state
    case.state = ComplianceState.CLEARED
    case.cleared_on = today_wib()
    case.cleared_by_id = officer.id
    case.clearance_note = note or None
    _save_step(
        case,
        officer,
        "compliance.cleared",
        {"before": before, "after": "cleared", "note": note},
    )


# --- Taking the latest step back (within a day, by its author) ---------------------------------

#: Each step taken back: the state it must find, the state it leaves, the columns it empties,
#: and its audit action.
_UNDO = {
    ComplianceStep.SP1: (
        ComplianceState.WARNING_1,
        ComplianceState.WITHDRAWN,
        (),
        "compliance.sp1_withdrawn",
    ),
    ComplianceStep.SP2: (
        ComplianceState.WARNING_2,
        ComplianceState.WARNING_1,
        ("sp2_issued_on", "sp2_due"),
        "compliance.sp2_withdrawn",
    ),
    ComplianceStep.FINE: (
        ComplianceState.FINED,
        ComplianceState.WARNING_2,
        ("contributions_due", "fine_days", "fine_amount", "fined_on"),
        "compliance.fine_undone",
    ),
    ComplianceStep.WITHHOLDING_REQUEST: (
        ComplianceState.FINED,
        ComplianceState.FINED,
        ("requested_services", "withholding_requested_on", "withholding_requested_by_id"),
        "compliance.withholding_request_withdrawn",
    ),
    ComplianceStep.WITHHOLDING: (
        ComplianceState.SERVICES_WITHHELD,
        ComplianceState.FINED,
        ("services_withheld", "withheld_on", "withheld_by_id"),
        "compliance.withholding_undone",
    ),
}


def undo_until(case: ComplianceCase, user: User):
    """Until when `user` may take back the case's latest step; None when not (not the
    author, a day has passed, or nothing to take back)."""
    if case.last_step is None:
        return None
    return undo_open_until(case.last_step_at, case.last_step_by_id, user)


def undo_last_step(case: ComplianceCase, officer: User, *, version: int) -> str:
    """Take back the latest step within a day of taking it: the case returns to the step
    before it (an SP1 taken back leaves the case withdrawn; the business may get a new one).

    Who: the officer who took the step (NotAllowed for anyone else). The events of the step
    stay in the audit trail; this writes its own (`compliance.sp1_withdrawn`,
    `compliance.sp2_withdrawn`, `compliance.fine_undone`,
    `compliance.withholding_request_withdrawn`, `compliance.withholding_undone`). Raises
    TradeError when nothing can be taken back, a day has passed or the form is stale.
    Returns the step taken back.
    """
    _check_version(case, version)
    step = ComplianceStep(case.last_step) if case.last_step else None
    if step is None:
        raise TradeError(None, _("There is no step to take back on this case."))
    check_undo(case.last_step_at, case.last_step_by_id, officer)
    found, back_to, columns, action = _UNDO[step]
    if case.state != found:  # pragma: no cover - every later step clears last_step
        raise TradeError(None, _("There is no step to take back on this case."))
    if back_to != found:  # a withholding request taken back leaves the case fined
        _step(case, back_to.value)
    before = case.state
    taken_back = {name: getattr(case, name) for name in columns}
    for name in columns:
        setattr(case, name, None)
    case.state = back_to
    _save_step(
        case,
        officer,
        action,
        {"before": before, "after": back_to.value, "taken_back": taken_back},
    )
    return step.value


# --- BPJS area: opening a case from the NIB the officer typed ----------------------------------


def open_case_by_nib(
    nib: str,
    officer: User,
    *,
    finding: str,
    issued_on: date,
    worker_niks: list[str] | tuple[str, ...] = (),
) -> ComplianceCase:
    """`open_case` for the business registered with `nib`; TradeError("nib") if there is none."""
    business = business_by_nib(nib)
    return open_case(
        business, officer, finding=finding, issued_on=issued_on, worker_niks=worker_niks
    )


def business_by_nib(nib: str) -> Business:
    """The business registered with `nib`; TradeError("nib") if there is none."""
    business = db.session.scalar(select(Business).where(Business.nib == nib))
    if business is None:
        raise TradeError("nib", _("No business is registered with this NIB."))
    return business


def check_open_case_by_nib(nib: str, issued_on: date) -> Business:
    """Refuse what `open_case_by_nib` would refuse; changes nothing. Returns the business."""
    business = business_by_nib(nib)
    check_open_case(business, issued_on)
    return business
