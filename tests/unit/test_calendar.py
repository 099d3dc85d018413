from datetime import date

from portal.domain.calendar import WorkingCalendar


def test_weekend_is_skipped():
    cal = WorkingCalendar()
    # Friday 6 Nov 2026 + 1 working day = Monday 9 Nov 2026
    assert cal.add_working_days(date(2026, 11, 6), 1) == date(2026, 11, 9)


def test_national_holiday_is_skipped():
    cal = WorkingCalendar()
    # 17 Aug 2026 (Independence Day) is a Monday: Friday 14 Aug + 1 = Tuesday 18 Aug
    assert not cal.is_working_day(date(2026, 8, 17))
    assert cal.add_working_days(date(2026, 8, 14), 1) == date(2026, 8, 18)


def test_christmas_and_new_year():
    cal = WorkingCalendar()
    assert not cal.is_working_day(date(2026, 12, 25))
    assert not cal.is_working_day(date(2027, 1, 1))


def test_admin_added_day_off_is_skipped():
    plain = WorkingCalendar()
    with_leave = WorkingCalendar([date(2026, 11, 10)])
    assert plain.add_working_days(date(2026, 11, 9), 1) == date(2026, 11, 10)
    assert with_leave.add_working_days(date(2026, 11, 9), 1) == date(2026, 11, 11)


def test_working_days_between_counts_after_start_through_end():
    cal = WorkingCalendar()
    # Mon 2 Nov → Mon 9 Nov 2026: Tue..Fri (4) + Mon (1) = 5
    assert cal.working_days_between(date(2026, 11, 2), date(2026, 11, 9)) == 5
    assert cal.working_days_between(date(2026, 11, 9), date(2026, 11, 2)) == 0


def test_zero_days_is_the_same_day_and_next_working_day():
    cal = WorkingCalendar()
    assert cal.add_working_days(date(2026, 11, 7), 0) == date(2026, 11, 7)
    assert cal.next_working_day(date(2026, 11, 7)) == date(2026, 11, 9)
