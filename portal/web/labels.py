"""Display names for complaint and reprimand states, SLA states, notification kinds, and the
codes that must never reach a screen raw (sex, JKK risk class, audit actions)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..models import ComplaintState
from ..services.reference.choices import RISK_LABELS

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
