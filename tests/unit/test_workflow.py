import pytest

from portal.domain.workflow import MACHINES, TransitionError, can, check


def test_enrolment_returned_can_only_be_resubmitted():
    assert can("enrolment", "returned", "submitted")
    assert not can("enrolment", "returned", "enrolled")


FINAL = [
    ("business_verification", "verified"),
    ("enrolment", "enrolled"),
    ("enrolment", "rejected"),
    ("complaint", "closed"),
    ("complaint", "rejected"),
    ("reprimand", "closed"),
    ("reprimand", "escalated"),
    ("employer_compliance", "cleared"),
]


@pytest.mark.parametrize(("machine", "state"), FINAL)
def test_final_states_have_no_exit(machine, state):
    assert MACHINES[machine][state] == frozenset()


def test_forbidden_transition_raises():
    with pytest.raises(TransitionError):
        check("complaint", "submitted", "resolved")
    with pytest.raises(TransitionError):
        check("employer_compliance", "warning_1", "services_withheld")


@pytest.mark.parametrize(
    "current, back_to",
    [
        ("warning_1", "withdrawn"),
        ("warning_2", "warning_1"),
        ("fined", "warning_2"),
        ("services_withheld", "fined"),
    ],
)
def test_a_compliance_step_taken_back_is_a_move_of_the_workflow(current, back_to):
    check("employer_compliance", current, back_to)  # no TransitionError


def test_a_cleared_or_withdrawn_case_moves_nowhere():
    for done in ("cleared", "withdrawn"):
        with pytest.raises(TransitionError):
            check("employer_compliance", done, "warning_1")
