"""State machines: one table of allowed transitions per workflow.

Services call `check(MACHINE, current, target)` before changing a state; a forbidden step
raises `TransitionError`, which views turn into a clear message.
"""

from __future__ import annotations

from collections.abc import Mapping


class TransitionError(Exception):
    def __init__(self, machine: str, current: str, target: str):
        super().__init__(f"{machine}: {current} → {target} is not allowed")
        self.machine = machine
        self.current = current
        self.target = target


Transitions = Mapping[str, frozenset[str]]


def _table(**steps: set[str]) -> dict[str, frozenset[str]]:
    return {state: frozenset(targets) for state, targets in steps.items()}


BUSINESS_VERIFICATION: Transitions = _table(
    pending={"verified", "rejected"},
    rejected={"pending"},  # the owner corrects and resubmits
    verified=set(),
)

# `withdrawn`: the owner ended the employment while the request was still open.
ENROLMENT: Transitions = _table(
    draft={"submitted", "withdrawn"},
    submitted={"in_review", "enrolled", "returned", "rejected", "withdrawn"},
    in_review={
        "enrolled",
        "returned",
        "rejected",
        "submitted",
        "withdrawn",
    },  # submitted = released
    returned={"submitted", "withdrawn"},
    enrolled=set(),
    rejected=set(),
    withdrawn=set(),
)

# The labour office triages (verify, hold, re-route to the right agency, reject); the concerned
# agency assigns, works, may wait for the reporter (clock paused) and resolves; the reporter
# confirms (closed) or reopens. `rerouted` means the complaint now sits with another agency,
# verified, waiting for that agency to assign it.
COMPLAINT: Transitions = _table(
    submitted={"verified", "on_hold", "rerouted", "rejected"},
    on_hold={"verified", "rerouted", "rejected"},
    verified={"assigned", "rerouted"},
    rerouted={"assigned", "rerouted"},
    assigned={"in_progress", "assigned", "waiting_reporter", "resolved"},
    in_progress={"waiting_reporter", "resolved", "assigned"},
    waiting_reporter={"in_progress", "resolved"},
    resolved={"closed", "reopened"},
    reopened={"assigned", "in_progress"},
    rejected=set(),
    closed=set(),
)

# An ignored letter (issued or acknowledged, deadline passed) may be escalated too; the
# service checks the deadline.
# `withdrawn`: the labour head takes a letter back within a day of issuing it, before the
# addressed agency has answered it (the service checks the day).
REPRIMAND: Transitions = _table(
    draft={"issued"},
    issued={"acknowledged", "escalated", "withdrawn"},
    acknowledged={"responded", "escalated", "withdrawn"},
    responded={"closed", "escalated"},
    closed=set(),
    escalated=set(),
    withdrawn=set(),
)

EMPLOYER_COMPLIANCE: Transitions = _table(
    # Forward steps, then the step taken back within a day by its author (services.undo):
    # SP1 withdrawn, SP2 back to SP1, the fine back to SP2, the withholding back to the fine.
    warning_1={"warning_2", "cleared", "withdrawn"},
    warning_2={"fined", "cleared", "warning_1"},
    fined={"services_withheld", "cleared", "warning_2"},
    services_withheld={"cleared", "fined"},
    cleared=set(),
    withdrawn=set(),
)

MACHINES: dict[str, Transitions] = {
    "business_verification": BUSINESS_VERIFICATION,
    "enrolment": ENROLMENT,
    "complaint": COMPLAINT,
    "reprimand": REPRIMAND,
    "employer_compliance": EMPLOYER_COMPLIANCE,
}


def can(machine: str, current: str, target: str) -> bool:
    return target in MACHINES[machine].get(current, frozenset())


def check(machine: str, current: str, target: str) -> None:
    if not can(machine, current, target):
        raise TransitionError(machine, current, target)
