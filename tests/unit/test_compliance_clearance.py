"""Rule 7 (PP 86/2013): what keeps a compliance case open, at its boundaries."""

from __future__ import annotations

import pytest

from portal.services.compliance.cases import ClearanceGaps


def test_nothing_missing_clears():
    assert ClearanceGaps().cleared


@pytest.mark.parametrize(
    "gaps",
    [
        ClearanceGaps(unregistered=["6172011705900001"]),
        ClearanceGaps(no_membership=True),
        ClearanceGaps(no_contribution=True),
        ClearanceGaps(fine_unpaid=True),
    ],
)
def test_any_one_thing_missing_keeps_the_case_open(gaps):
    assert not gaps.cleared


def test_one_of_two_named_workers_registered_is_not_enough():
    # The defect: one membership used to clear a case naming several workers.
    assert not ClearanceGaps(unregistered=["6172011705900002"]).cleared
