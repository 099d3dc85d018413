"""Working-day deadlines for complaints: weekends, holidays, admin days off and pauses."""

from datetime import UTC, date, datetime

import pytest

from portal.domain.calendar import WorkingCalendar
from portal.models import Complaint
from portal.services.complaints.sla import pause_clock, resume_clock, sla_status, start_clock

CAL = WorkingCalendar()


def at(day: date, hour_utc: int = 3) -> datetime:
    return datetime(day.year, day.month, day.day, hour_utc, tzinfo=UTC)


def running(started=date(2026, 3, 2), days=5, state="assigned") -> Complaint:
    complaint = Complaint(state=state, paused_working_days=0)
    start_clock(complaint, started, days, CAL)
    return complaint


def test_deadline_skips_the_weekend():
    # Monday 2 March 2026 + 5 working days = Monday 9 March.
    assert running().sla_due == date(2026, 3, 9)
    # Thursday 5 March + 2 working days skips Saturday and Sunday: Monday 9 March.
    assert running(date(2026, 3, 5), 2).sla_due == date(2026, 3, 9)


def test_deadline_skips_national_holidays():
    # From Friday 13 March: Nyepi (Thursday 19 March) does not count → Monday 23 March.
    assert running(date(2026, 3, 13), 5).sla_due == date(2026, 3, 23)


def test_deadline_skips_admin_days_off_such_as_cuti_bersama():
    cal = WorkingCalendar([date(2026, 3, 20)])  # cuti bersama the day after Nyepi
    complaint = Complaint(state="assigned", paused_working_days=0)
    start_clock(complaint, date(2026, 3, 13), 5, cal)
    assert complaint.sla_due == date(2026, 3, 24)


def test_pause_moves_the_deadline_by_the_working_days_paused():
    complaint = running()
    pause_clock(complaint, at(date(2026, 3, 4)))  # Wednesday
    moved = resume_clock(complaint, at(date(2026, 3, 6)), CAL)  # Friday
    assert moved == 2
    assert complaint.sla_due == date(2026, 3, 11)
    assert complaint.paused_working_days == 2
    assert complaint.paused_since is None


def test_pause_over_a_weekend_costs_only_the_working_days():
    complaint = running()
    pause_clock(complaint, at(date(2026, 3, 6)))  # Friday
    assert resume_clock(complaint, at(date(2026, 3, 9)), CAL) == 1  # Monday
    assert complaint.sla_due == date(2026, 3, 10)


def test_pause_and_resume_on_the_same_day_costs_nothing():
    complaint = running()
    pause_clock(complaint, at(date(2026, 3, 4), 1))
    assert resume_clock(complaint, at(date(2026, 3, 4), 9), CAL) == 0
    assert complaint.sla_due == date(2026, 3, 9)


def test_pause_across_a_holiday_does_not_count_the_holiday():
    complaint = running(date(2026, 3, 16), 5)  # due Monday 23 March (Nyepi skipped)
    pause_clock(complaint, at(date(2026, 3, 18)))  # Wednesday
    # Thursday is Nyepi: only Friday 20 March counts.
    assert resume_clock(complaint, at(date(2026, 3, 20)), CAL) == 1


@pytest.mark.parametrize(
    ("today", "code", "late"),
    [
        (date(2026, 3, 3), "on_track", 0),  # 1 of 5 days used
        (date(2026, 3, 5), "on_track", 0),  # 3 of 5: below 75 %
        (date(2026, 3, 6), "due_soon", 0),  # 4 of 5: reminder
        (date(2026, 3, 9), "due_soon", 0),  # the due day itself is still in time
        (date(2026, 3, 10), "overdue", 1),  # agency head
        (date(2026, 3, 11), "escalated", 2),  # labour office's oversight list
    ],
)
def test_status_follows_the_escalation_ladder(today, code, late):
    status = sla_status(running(), today, CAL)
    assert status.code == code
    assert status.days_overdue == late
    assert status.budget == 5


def test_levels_of_the_ladder():
    assert [
        sla_status(running(), d, CAL).level
        for d in (date(2026, 3, 3), date(2026, 3, 6), date(2026, 3, 10), date(2026, 3, 11))
    ] == [0, 1, 2, 3]


def test_a_paused_complaint_is_never_overdue_while_waiting():
    complaint = running(state="waiting_reporter")
    pause_clock(complaint, at(date(2026, 3, 4)))
    status = sla_status(complaint, date(2026, 3, 20), CAL)
    assert status.code == "paused"
    assert status.elapsed == 2  # Tuesday and Wednesday before the pause
    assert status.due > date(2026, 3, 20)


def test_resolved_on_or_before_the_deadline_is_met_and_after_it_missed():
    on_time = running(state="resolved")
    on_time.resolved_at = at(date(2026, 3, 9))
    assert sla_status(on_time, date(2026, 4, 1), CAL).code == "met"
    late = running(state="closed")
    late.resolved_at = at(date(2026, 3, 12))
    status = sla_status(late, date(2026, 4, 1), CAL)
    assert (status.code, status.days_overdue, status.elapsed) == ("missed", 3, 8)


def test_verification_is_late_after_three_working_days():
    complaint = Complaint(state="submitted", verify_due=date(2026, 3, 5), paused_working_days=0)
    assert sla_status(complaint, date(2026, 3, 5), CAL).code == "triage"
    assert sla_status(complaint, date(2026, 3, 6), CAL).code == "verify_overdue"


def test_wib_day_is_used_for_pauses_near_midnight():
    complaint = running()
    # 18:00 UTC on Wednesday is already Thursday 01:00 in WIB.
    pause_clock(complaint, datetime(2026, 3, 4, 18, tzinfo=UTC))
    assert resume_clock(complaint, at(date(2026, 3, 6)), CAL) == 1
