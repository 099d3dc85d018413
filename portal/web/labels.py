"""Display names for complaint and reprimand states, SLA states, notification kinds, the
badges of enrolment, membership, business and case states, and the codes that must never
reach a screen raw (sex, JKK risk class, audit actions)."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from ..models import (
    BusinessScale,
    ComplaintState,
    ComplianceState,
    EnrolmentState,
    MembershipState,
    ReferralState,
    VerificationState,
)
from ..services.reference.choices import (
    FUNDING_LABELS,
    MEMBERSHIP_STATE_LABELS,
    RISK_LABELS,
    VERIFICATION_LABELS,
)

STATE_LABELS = {
    "submitted": _l("Submitted"),
    "verified": _l("Verified"),
    "assigned": _l("Assigned"),
    "in_progress": _l("In progress"),
    "on_hold": _l("On hold"),
    "waiting_reporter": _l("Waiting for the reporter"),
    "resolved": _l("Resolved"),
    "closed": _l("Closed"),
    "rerouted": _l("Re-routed to another agency"),
    "rejected": _l("Rejected"),
    "reopened": _l("Reopened"),
}

EVENT_LABELS = {**STATE_LABELS, "note": _l("Note")}

SLA_LABELS = {
    "triage": (_l("Being verified"), "secondary"),
    "verify_overdue": (_l("Verification late"), "danger"),
    "on_track": (_l("On track"), "success"),
    "due_soon": (_l("Due soon"), "warning"),
    "overdue": (_l("Overdue"), "danger"),
    "escalated": (_l("Overdue – labour office"), "danger"),
    "paused": (_l("Paused"), "info"),
    "met": (_l("Resolved on time"), "success"),
    "missed": (_l("Resolved late"), "warning"),
    "none": (_l("No deadline"), "light"),
}

REPRIMAND_STATE_LABELS = {
    "draft": _l("Draft"),
    "issued": _l("Issued"),
    "acknowledged": _l("Acknowledged"),
    "responded": _l("Answered"),
    "closed": _l("Closed"),
    "escalated": _l("Escalated"),
    "withdrawn": _l("Withdrawn"),
}

NOTIFICATION_LABELS = {
    "assignment": _l("Assignment"),
    "reminder": _l("Reminder"),
    "overdue": _l("Overdue"),
    "escalated": _l("Escalated"),
    "reprimand": _l("Reprimand received"),
    "reprimand_response": _l("Reprimand answered"),
}


SEX_LABELS = {"L": _l("Male"), "P": _l("Female")}

RISK_CLASS_LABELS = {risk.value: label for risk, label in RISK_LABELS.items()}

#: What an audit event says in a history, as the end of "<who> …".
AUDIT_ACTION_LABELS = {
    "enrolment.submitted": _l("submitted the request"),
    "enrolment.resubmitted": _l("sent the request again"),
    "enrolment.withdrawn": _l("withdrew the request"),
    "enrolment.claimed": _l("took the request"),
    "enrolment.released": _l("put the request back in the queue"),
    "enrolment.returned": _l("returned the request to the owner"),
    "enrolment.rejected": _l("rejected the request"),
    "enrolment.reject_undone": _l("took back the rejection"),
    "enrolment.enrolled": _l("enrolled the worker"),
    "enrolment.reassigned": _l("passed the request to another officer"),
    "enrolment.figures_changed": _l("changed the wage or declared income"),
}


# Badges: (label, Bootstrap colour) by stored value, one lookup per table cell. Templates'
# macros (bpjs/_state.html, disperindagkop/_labels.html) draw them; they used to build a dict
# of every translated label on each call, i.e. for every row of a list. Each state's label is
# written once: the badges and the filters' and forms' choices read the same table.


def _badges(labels: dict, colours: dict) -> dict[str, tuple]:
    """{stored value: (label, colour)} from a state's labels and its colours (both by state)."""
    return {str(state): (label, colours[state]) for state, label in labels.items()}


ENROLMENT_STATE_LABELS = {
    EnrolmentState.DRAFT: _l("Draft"),
    EnrolmentState.SUBMITTED: _l("Submitted"),
    EnrolmentState.IN_REVIEW: _l("In review"),
    EnrolmentState.ENROLLED: _l("Enrolled"),
    EnrolmentState.RETURNED: _l("Returned"),
    EnrolmentState.REJECTED: _l("Rejected"),
    EnrolmentState.WITHDRAWN: _l("Withdrawn"),
}
ENROLMENT_BADGES = _badges(
    ENROLMENT_STATE_LABELS,
    {
        EnrolmentState.DRAFT: "secondary",
        EnrolmentState.SUBMITTED: "primary",
        EnrolmentState.IN_REVIEW: "info",
        EnrolmentState.ENROLLED: "success",
        EnrolmentState.RETURNED: "warning",
        EnrolmentState.REJECTED: "danger",
        EnrolmentState.WITHDRAWN: "secondary",
    },
)

MEMBERSHIP_BADGES = _badges(
    MEMBERSHIP_STATE_LABELS,
    {
        MembershipState.ACTIVE: "success",
        MembershipState.LAPSED: "warning",
        MembershipState.ENDED: "secondary",
    },
)
FUNDING_NAMES = {str(source): label for source, label in FUNDING_LABELS.items()}

VERIFICATION_BADGES = _badges(
    VERIFICATION_LABELS,
    {
        VerificationState.PENDING: "warning",
        VerificationState.VERIFIED: "success",
        VerificationState.REJECTED: "danger",
    },
)

REFERRAL_STATE_LABELS = {
    ReferralState.OPEN: _l("Open"),
    ReferralState.CONTACTED: _l("Contacted"),
    ReferralState.REGISTERED: _l("Registered"),
    ReferralState.DECLINED: _l("Declined"),
    ReferralState.WITHDRAWN: _l("Withdrawn"),
}
REFERRAL_BADGES = _badges(
    REFERRAL_STATE_LABELS,
    {
        ReferralState.OPEN: "primary",
        ReferralState.CONTACTED: "info",
        ReferralState.REGISTERED: "success",
        ReferralState.DECLINED: "secondary",
        ReferralState.WITHDRAWN: "secondary",
    },
)
#: The referral lists' tabs: the states, and "active" for open or contacted.
REFERRAL_TAB_LABELS = {
    **{str(state): label for state, label in REFERRAL_STATE_LABELS.items()},
    "active": _l("In progress"),
}

COMPLIANCE_BADGES = _badges(
    {
        ComplianceState.WARNING_1: _l("SP1 (first warning)"),
        ComplianceState.WARNING_2: _l("SP2 (second warning)"),
        ComplianceState.FINED: _l("Fined"),
        ComplianceState.SERVICES_WITHHELD: _l("Services withheld"),
        ComplianceState.CLEARED: _l("Cleared"),
        ComplianceState.WITHDRAWN: _l("SP1 withdrawn"),
    },
    {
        ComplianceState.WARNING_1: "warning",
        ComplianceState.WARNING_2: "warning",
        ComplianceState.FINED: "danger",
        ComplianceState.SERVICES_WITHHELD: "danger",
        ComplianceState.CLEARED: "success",
        ComplianceState.WITHDRAWN: "secondary",
    },
)

#: A business's scale in a list or summary (the filters' longer names: choices.SCALE_LABELS).
SCALE_NAMES = {
    str(BusinessScale.MIKRO): _l("Micro"),
    str(BusinessScale.KECIL): _l("Small"),
    str(BusinessScale.MENENGAH): _l("Medium"),
}


def complaint_state_choices() -> list[tuple[str, str]]:
    """Every complaint state with its label, in the workflow's order (for filters)."""
    return [(s.value, str(STATE_LABELS[s.value])) for s in ComplaintState]


def install_template_labels(app: Flask) -> None:
    """Every table above as a template global, set once when the app is built (the labels are
    lazy: each renders in the reader's language). Globals also reach imported macros."""
    app.jinja_env.globals.update(
        STATE_LABELS=STATE_LABELS,
        EVENT_LABELS=EVENT_LABELS,
        SLA_LABELS=SLA_LABELS,
        REPRIMAND_STATE_LABELS=REPRIMAND_STATE_LABELS,
        NOTIFICATION_LABELS=NOTIFICATION_LABELS,
        SEX_LABELS=SEX_LABELS,
        RISK_CLASS_LABELS=RISK_CLASS_LABELS,
        AUDIT_ACTION_LABELS=AUDIT_ACTION_LABELS,
        ENROLMENT_BADGES=ENROLMENT_BADGES,
        MEMBERSHIP_BADGES=MEMBERSHIP_BADGES,
        FUNDING_NAMES=FUNDING_NAMES,
        VERIFICATION_BADGES=VERIFICATION_BADGES,
        REFERRAL_BADGES=REFERRAL_BADGES,
        REFERRAL_TAB_LABELS=REFERRAL_TAB_LABELS,
        COMPLIANCE_BADGES=COMPLIANCE_BADGES,
        SCALE_NAMES=SCALE_NAMES,
    )
