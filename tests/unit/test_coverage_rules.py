"""Pure rules behind the dashboard: months, the median, the projection."""

from __future__ import annotations

import pytest

from portal.services.coverage.periods import Month, PeriodError, weighted_median, window
from portal.services.coverage.stats import Point, project


@pytest.mark.parametrize(
    "text", ["2026-3", "2026-13", "2026-00", "26-03", "2026/03", "", "abcd-ef"]
)
def test_period_must_be_a_real_yyyy_mm_month(text):
    with pytest.raises(PeriodError):
        Month.parse(text)


def test_month_arithmetic_crosses_years():
    assert str(Month.parse("2026-01").shift(-1)) == "2025-12"
    assert Month(2025, 12).shift(14) == Month(2027, 2)
    assert Month(2024, 2).last_day.day == 29
    assert [str(m) for m in window(Month(2026, 2), 3)] == ["2025-12", "2026-01", "2026-02"]


def test_month_starts_at_midnight_wib():
    start = Month(2026, 3).start_utc
    assert (start.day, start.hour) == (28, 17)  # 1 Mar 00:00 WIB = 28 Feb 17:00 UTC


def test_weighted_median():
    assert weighted_median([]) is None
    assert weighted_median([(3, 1), (5, 1)]) == 4
    assert weighted_median([(2, 3), (9, 1)]) == 2
    assert weighted_median([(1, 1), (4, 2), (10, 1)]) == 4


def series(*members, workforce=100):
    start = Month(2026, 1)
    return [
        Point(str(start.shift(i)), str(start.shift(i)), n, workforce) for i, n in enumerate(members)
    ]


def test_projection_continues_the_average_gain_of_the_last_three_months():
    # 30 → 36 over the last 3 months: +2 a month; 40 needs 4 more → 2 months after April.
    projection = project(series(28, 30, 32, 34, 36), 40)
    assert projection.monthly_gain == 2
    assert projection.target_members == 40
    assert projection.month == Month(2026, 7)


def test_projection_rounds_the_months_up():
    projection = project(series(30, 31, 32, 33), 40)  # +1 a month, 7 to go
    assert projection.month == Month(2026, 11)


def test_projection_without_gain_is_not_at_this_pace():
    projection = project(series(30, 31, 30, 29), 40)
    assert projection.month is None and not projection.reached
    assert projection.monthly_gain < 0


def test_projection_says_reached_when_the_target_is_met():
    projection = project(series(38, 39, 40, 41), 40)
    assert projection.reached


def test_projection_is_unknown_without_a_workforce_estimate():
    assert project(series(1, 2, 3, 4, workforce=None), 40).unknown
