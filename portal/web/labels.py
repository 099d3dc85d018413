"""Display names for complaint and reprimand states, SLA states and notification kinds."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..models import ComplaintState

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
}

NOTIFICATION_LABELS = {
    "assignment": _l("Assignment"),
    "reminder": _l("Reminder"),
    "overdue": _l("Overdue"),
    "escalated": _l("Escalated"),
    "reprimand": _l("Reprimand received"),
    "reprimand_response": _l("Reprimand answered"),
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
    }
