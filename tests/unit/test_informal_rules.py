"""Pure rules of informal workers' own door: the BPU dues calendar with its reminders, and
retention (paid in each of the first three months)."""

from __future__ import annotations

from datetime import date

from portal.models import Membership
from portal.services.informal.reminders import reminder_for
from portal.services.informal.retention import (
    first_months,
    is_eligible,
    is_retained,
    retention_of,
)
from portal.services.membership.dues import due_date_for, schedule

# --- Dues calendar ---------------------------------------------------------------------------


def test_bpu_dues_fall_on_the_15th_of_the_same_month_or_the_next_working_day(app):
    assert due_date_for(False, date(2026, 4, 1)) == date(2026, 4, 15)  # a Wednesday
    # 15 Mar 2026 is a Sunday: Monday the 16th.
    assert due_date_for(False, date(2026, 3, 1)) == date(2026, 3, 16)
    # Employers pay a month later (15 May 2026 is a joint leave day after Ascension: the
    # 18th); members themselves in the same month.
    assert due_date_for(True, date(2026, 4, 1)) == date(2026, 5, 18)


def _member(start=date(2026, 1, 1)) -> Membership:
    return Membership(
        id=7,
        kpj="26000000017",
        category="BPU",
        with_jht=False,
        with_jp=False,
        monthly_amount=1_000_000,
        funding_source="self",
        start_date=start,
        state="active",
    )


def _remind(app, today: date, paid: dict | None = None, start=date(2026, 4, 1)):
    m = _member(start)
    rows = schedule(m, paid or {}, today)
    return reminder_for(m, rows, today, ahead=3, warn=7, grace=30)


class _Paid:
    amount = 16_800


def test_reminded_from_three_days_before_the_15th_while_unpaid(app):
    assert _remind(app, date(2026, 4, 11)) is None
    due = _remind(app, date(2026, 4, 12))
    assert due.kind == "dues_due" and due.key == "due:7:2026-04"
    assert "Rp 16.800" in due.message
    assert _remind(app, date(2026, 4, 12), {"2026-04": _Paid()}) is None


def test_missed_the_day_after_the_due_date(app):
    assert _remind(app, date(2026, 4, 15)).kind == "dues_due"
    missed = _remind(app, date(2026, 4, 16))
    assert missed.kind == "dues_missed" and missed.key == "missed:7:2026-04"


def test_warned_a_week_before_lapsing_after_the_grace_period(app):
    # April unpaid: due 15 Apr, lapses 30 days later on 15 May; warned from 8 May.
    assert _remind(app, date(2026, 5, 7), {"2026-05": _Paid()}) is None
    warning = _remind(app, date(2026, 5, 8), {"2026-05": _Paid()})
    assert warning.kind == "lapse_warning" and warning.key == "lapse:7:2026-05-15"


# --- Retention -------------------------------------------------------------------------------


def test_first_three_months_are_the_enrolment_month_and_the_two_after():
    assert first_months(date(2026, 11, 20)) == ["2026-11", "2026-12", "2027-01"]


def test_a_member_counts_once_the_third_months_due_date_has_passed(app):
    start = date(2026, 1, 10)  # third month March, due Monday 16 March 2026
    assert not is_eligible(start, date(2026, 3, 16))
    assert is_eligible(start, date(2026, 3, 17))


def test_retained_only_when_each_of_the_three_months_is_paid():
    assert is_retained(date(2026, 1, 5), ["2026-01", "2026-02", "2026-03"])
    assert not is_retained(date(2026, 1, 5), ["2026-01", "2026-03", "2026-04"])


def test_retention_share_counts_eligible_members_only(app):
    today = date(2026, 6, 1)
    result = retention_of(
        [
            (date(2026, 1, 1), ["2026-01", "2026-02", "2026-03"]),  # retained
            (date(2026, 2, 1), ["2026-02", "2026-04"]),  # not retained
            (date(2026, 5, 1), ["2026-05"]),  # too recent to count
        ],
        today,
    )
    assert (result.eligible, result.retained) == (2, 1)
    assert result.share == 0.5 and result.percent == "50%"
    assert retention_of([], today).percent == "–"
