"""Pure rules of the BPJS area: KPJ length, months, percentile, batch budget, late months."""

from __future__ import annotations

from datetime import date

from portal.services.enrolment.reports import _percentile
from portal.services.funded_batches.batches import compute_budget, needs_renewal, period_months
from portal.services.membership.common import (
    add_months,
    is_valid_kpj,
    months_between,
    parse_period,
    period_key,
)
from portal.services.membership.dues import lapse_due, months_late


def test_kpj_must_have_10_to_15_digits():
    assert is_valid_kpj("2600000001" + "7")
    assert is_valid_kpj("1234567890")
    assert not is_valid_kpj("123456789")
    assert not is_valid_kpj("1234567890123456")
    assert not is_valid_kpj("12345abcde1")


def test_months_and_periods():
    assert add_months(date(2026, 11, 20), 2) == date(2027, 1, 1)
    assert add_months(date(2026, 1, 31), -1) == date(2025, 12, 1)
    assert months_between(date(2025, 12, 15), date(2026, 2, 1)) == [
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]
    assert period_key(date(2026, 3, 1)) == "2026-03"
    assert parse_period("2026-03") == date(2026, 3, 1)
    assert parse_period("2026-13") is None
    assert parse_period("26-03") is None


def test_budget_is_quota_times_premium_times_months():
    # The Dec 2025 – Apr 2026 APBD batch: 7,737 workers × Rp 16,800 × 5 months.
    assert period_months(date(2025, 12, 1), date(2026, 4, 30)) == 5
    assert compute_budget(7737, 16_800, date(2025, 12, 1), date(2026, 4, 30)) == 649_908_000


def test_batch_ending_within_30_days_needs_renewal():
    class Batch:
        period_end = date(2026, 5, 20)

    assert needs_renewal(Batch, today=date(2026, 5, 1))
    assert not needs_renewal(Batch, today=date(2026, 4, 1))
    assert not needs_renewal(Batch, today=date(2026, 5, 21))  # already ended


def test_each_started_month_after_the_due_date_is_late():
    due = date(2026, 3, 16)
    assert months_late(due, date(2026, 3, 16)) == 0
    assert months_late(due, date(2026, 3, 17)) == 1
    assert months_late(due, date(2026, 4, 16)) == 1
    assert months_late(due, date(2026, 4, 17)) == 2


def test_nearest_rank_percentile():
    assert _percentile([5, 1, 3, 2, 4, 6, 7, 8, 9, 10], 90) == 9.0
    assert _percentile([], 50) is None


def test_paid_up_membership_never_lapses():
    assert lapse_due([], date(2026, 3, 1), 30) is None
