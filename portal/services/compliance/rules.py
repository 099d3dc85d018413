"""The PP 86/2013 rules the compliance steps use: deadlines, the fine, the services the
city may withhold, and what an owner must do. No database, no Flask request."""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...models import ComplianceCase, ComplianceState

WARNING_WORKING_DAYS = 10
FINE_MAX_DAYS = 30
FINE_SETTING = "compliance_fine_bp_per_month"
DEFAULT_FINE_BP = 10  # 0.1% per month (PP 86/2013 art. 5)

#: Public services PP 86/2013 art. 9 lets the city withhold from a non-compliant employer.
WITHHOLDABLE_SERVICES = {
    "business_permit": _l("Business permits"),
    "tender_permit": _l("Permits to take part in project tenders"),
    "foreign_worker_permit": _l("Permits to employ foreign workers"),
    "labour_supplier_permit": _l("Labour supplier company permits"),
    "building_permit": _l("Building permits (PBG/IMB)"),
}


def service_codes(codes: str | None) -> list[str]:
    """Service codes stored comma-separated (requested or withheld), in their order."""
    return [code for code in (codes or "").split(",") if code]


def service_labels(codes: str | None) -> list[str]:
    """The services' names in the user's language."""
    return [str(WITHHOLDABLE_SERVICES.get(code, code)) for code in service_codes(codes)]


def compute_fine(
    contributions_due: int, days_late: int, bp_per_month: int = DEFAULT_FINE_BP
) -> int:
    """Fine in whole rupiah: due × bp/10,000 per 30 days, for at most 30 days, rounded half up."""
    days = max(0, min(days_late, FINE_MAX_DAYS))
    numerator = contributions_due * bp_per_month * days
    denominator = 10_000 * FINE_MAX_DAYS
    return (2 * numerator + denominator) // (2 * denominator)


def out_of_order_message(current: str, target: str) -> str:
    if current == ComplianceState.CLEARED:
        return _("This case is already cleared.")
    names = {
        ComplianceState.WARNING_2: _("SP2 can only follow SP1."),
        ComplianceState.FINED: _("The fine can only follow SP2."),
        ComplianceState.SERVICES_WITHHELD: _(
            "Services can only be withheld after the fine and BPJS's request."
        ),
        ComplianceState.CLEARED: _("This case cannot be cleared from its current step."),
    }
    return str(names.get(target, _("This step is not allowed now.")))


def next_step_for_owner(case: ComplianceCase) -> str:
    """What the owner must do to clear the case, in plain words, with the current deadline."""
    if case.state == ComplianceState.CLEARED:
        return _("Nothing: this case is cleared.")
    if case.state == ComplianceState.WITHDRAWN:
        return _("Nothing: BPJS withdrew this letter.")
    steps = _(
        "Register all your workers with BPJS Ketenagakerjaan through this portal and pay the "
        "contributions due."
    )
    if case.state == ComplianceState.WARNING_1:
        steps += " " + _(
            "Do it by %(due)s; otherwise BPJS issues a second warning (SP2).",
            due=format_date(case.sp1_due, "dd MMM yyyy"),
        )
    elif case.state == ComplianceState.WARNING_2 and case.sp2_due:
        steps += " " + _(
            "Do it by %(due)s; otherwise BPJS imposes a fine and may ask the city to withhold "
            "public services such as business permits.",
            due=format_date(case.sp2_due, "dd MMM yyyy"),
        )
    if case.fine_amount:
        steps += " " + _("Pay the fine to BPJS Ketenagakerjaan.")
    if case.state == ComplianceState.FINED and case.withholding_requested_on:
        steps += " " + _(
            "BPJS has asked the city government to withhold these services until you comply: "
            "%(list)s.",
            list=", ".join(service_labels(case.requested_services)),
        )
    if case.state == ComplianceState.SERVICES_WITHHELD:
        steps += " " + _("Once BPJS confirms, the trade office lifts the withheld services.")
    return steps
