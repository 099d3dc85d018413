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
# of every translated label on each call, i.e. for every row of a list.
ENROLMENT_BADGES = {
    EnrolmentState.DRAFT.value: (_l("Draft"), "secondary"),
    EnrolmentState.SUBMITTED.value: (_l("Submitted"), "primary"),
    EnrolmentState.IN_REVIEW.value: (_l("In review"), "info"),
    EnrolmentState.ENROLLED.value: (_l("Enrolled"), "success"),
    EnrolmentState.RETURNED.value: (_l("Returned"), "warning"),
    EnrolmentState.REJECTED.value: (_l("Rejected"), "danger"),
    EnrolmentState.WITHDRAWN.value: (_l("Withdrawn"), "secondary"),
}

_MEMBERSHIP_COLOURS = {
    MembershipState.ACTIVE: "success",
    MembershipState.LAPSED: "warning",
    MembershipState.ENDED: "secondary",
}
MEMBERSHIP_BADGES = {
    state.value: (label, _MEMBERSHIP_COLOURS[state])
    for state, label in MEMBERSHIP_STATE_LABELS.items()
}
FUNDING_NAMES = {source.value: label for source, label in FUNDING_LABELS.items()}

_VERIFICATION_COLOURS = {"pending": "warning", "verified": "success", "rejected": "danger"}
VERIFICATION_BADGES = {
    state.value: (label, _VERIFICATION_COLOURS[state.value])
    for state, label in VERIFICATION_LABELS.items()
}

REFERRAL_STATE_LABELS = {
    ReferralState.OPEN.value: _l("Open"),
    ReferralState.CONTACTED.value: _l("Contacted"),
    ReferralState.REGISTERED.value: _l("Registered"),
    ReferralState.DECLINED.value: _l("Declined"),
    ReferralState.WITHDRAWN.value: _l("Withdrawn"),
}
_REFERRAL_COLOURS = {
    "open": "primary",
    "contacted": "info",
    "registered": "success",
    "declined": "secondary",
    "withdrawn": "secondary",
}
REFERRAL_BADGES = {
    state: (label, _REFERRAL_COLOURS[state]) for state, label in REFERRAL_STATE_LABELS.items()
}
#: The referral lists' tabs: the states, and "active" for open or contacted.
REFERRAL_TAB_LABELS = {**REFERRAL_STATE_LABELS, "active": _l("In progress")}

COMPLIANCE_BADGES = {
    ComplianceState.WARNING_1.value: (_l("SP1 (first warning)"), "warning"),
    ComplianceState.WARNING_2.value: (_l("SP2 (second warning)"), "warning"),
    ComplianceState.FINED.value: (_l("Fined"), "danger"),
    ComplianceState.SERVICES_WITHHELD.value: (_l("Services withheld"), "danger"),
    ComplianceState.CLEARED.value: (_l("Cleared"), "success"),
    ComplianceState.WITHDRAWN.value: (_l("SP1 withdrawn"), "secondary"),
}

#: A business's scale in a list or summary (the filters' longer names: choices.SCALE_LABELS).
SCALE_NAMES = {
    BusinessScale.MIKRO.value: _l("Micro"),
    BusinessScale.KECIL.value: _l("Small"),
    BusinessScale.MENENGAH.value: _l("Medium"),
}


def install_badge_labels(app: Flask) -> None:
    """The badge and name tables as template globals (imported macros see globals only)."""
    app.jinja_env.globals.update(
        ENROLMENT_BADGES=ENROLMENT_BADGES,
        MEMBERSHIP_BADGES=MEMBERSHIP_BADGES,
        FUNDING_NAMES=FUNDING_NAMES,
        VERIFICATION_BADGES=VERIFICATION_BADGES,
        REFERRAL_BADGES=REFERRAL_BADGES,
        REFERRAL_TAB_LABELS=REFERRAL_TAB_LABELS,
        COMPLIANCE_BADGES=COMPLIANCE_BADGES,
        SCALE_NAMES=SCALE_NAMES,
    )


def complaint_state_choices() -> list[tuple[str, str]]:
    """Every complaint state with its label, in the workflow's order (for filters)."""
    return [(s.value, str(STATE_LABELS[s.value])) for s in ComplaintState]


def template_labels() -> dict:
    return {
        "STATE_LABELS": STATE_LABELS,
        "EVENT_LABELS": EVENT_LABELS,
        "SLA_LABELS": SLA_LABELS,
        "REPRIMAND_STATE_LABELS": REPRIMAND_STATE_LABELS,
        "NOTIFICATION_LABELS": NOTIFICATION_LABELS,
        "SEX_LABELS": SEX_LABELS,
        "RISK_CLASS_LABELS": RISK_CLASS_LABELS,
        "AUDIT_ACTION_LABELS": AUDIT_ACTION_LABELS,
    }
