"""Every workflow step from every state: allowed exactly when the COMPLAINT table allows it.

Refused steps leave the complaint unchanged and raise the error the pages turn into a message.
"""

from __future__ import annotations

import pytest

from portal.domain.workflow import COMPLAINT, TransitionError
from portal.extensions import db
from portal.models import ComplaintState
from portal.models._common import utcnow
from portal.services.complaints import reporter
from portal.services.complaints import workflow as flow
from tests.factories_complaints import OpenComplaintFactory

# step name → (target state, how to call it)
STEPS = {
    "verify": ("verified", lambda c, s: flow.verify(c, s["labour_officer"], None)),
    "hold": ("on_hold", lambda c, s: flow.hold(c, s["labour_officer"], "Lengkapi data")),
    "reroute": (
        "rerouted",
        lambda c, s: flow.reroute(c, s["labour_officer"], s["trade_officer"].agency_id, None),
    ),
    "reject": ("rejected", lambda c, s: flow.reject(c, s["labour_officer"], "Bukan pengaduan")),
    "assign": ("assigned", lambda c, s: flow.assign(c, s["bpjs_head"], s["bpjs_officer"].id)),
    "start": ("in_progress", lambda c, s: flow.start_work(c, s["bpjs_officer"])),
    "wait": ("waiting_reporter", lambda c, s: flow.wait_for_reporter(c, s["bpjs_officer"], "?")),
    "resolve": ("resolved", lambda c, s: flow.resolve(c, s["bpjs_officer"], "Sudah selesai")),
    "reply": ("in_progress", lambda c, s: reporter.reporter_reply(c, "Ini jawaban saya")),
    "confirm": ("closed", lambda c, s: reporter.confirm(c)),
    "reopen": ("reopened", lambda c, s: reporter.reopen(c, "Belum beres")),
}


@pytest.mark.parametrize("state", [s.value for s in ComplaintState])
def test_each_step_from_each_state(app, staff, state):
    for name, (target, run) in STEPS.items():
        complaint = OpenComplaintFactory(
            state=state,
            resolved_at=utcnow() if state in ("resolved", "closed") else None,
            paused_since=utcnow() if state == "waiting_reporter" else None,
        )
        db.session.flush()
        allowed = target in COMPLAINT[state]
        if name == "reply":  # the reporter answers only when asked
            allowed = state == "waiting_reporter"
        try:
            run(complaint, staff)
            db.session.flush()
        except (TransitionError, flow.ComplaintActionError):
            assert not allowed, f"{name} from {state} should be allowed"
            db.session.rollback()
            continue
        assert allowed, f"{name} from {state} should be refused"
        assert complaint.state == target
        db.session.rollback()
