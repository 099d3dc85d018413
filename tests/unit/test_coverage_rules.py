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


def series(*official, workforce=100):
    """Months from January 2026 with these official counts (None: no count that month)."""
    start = Month(2026, 1)
    return [
        Point(str(start.shift(i)), str(start.shift(i)), 0, workforce, n)
        for i, n in enumerate(official)
    ]


def test_projection_continues_the_average_gain_of_the_last_three_months():
    # 30 → 36 over the last 3 months: +2 a month; 40 needs 4 more → 2 months after May.
    projection = project(series(28, 30, 32, 34, 36), 40, 2029)
    assert projection.monthly_gain == 2
    assert projection.target_members == 40
    assert projection.month == Month(2026, 7)


def test_projection_rounds_the_months_up():
    projection = project(series(30, 31, 32, 33), 40, 2029)  # +1 a month, 7 to go
    assert projection.month == Month(2026, 11)


def test_projection_without_gain_is_not_reached_by_the_target_year():
    projection = project(series(30, 31, 30, 29), 40, 2029)
    assert projection.month is None and not projection.reached
    assert projection.monthly_gain < 0


def test_projection_says_reached_when_the_target_is_met():
    projection = project(series(38, 39, 40, 41), 40, 2029)
    assert projection.reached


def test_projection_is_unknown_without_a_workforce_estimate():
    assert project(series(1, 2, 3, 4, workforce=None), 40, 2029).unknown


def test_projection_is_unknown_with_fewer_than_three_months_of_counts():
    assert project(series(None, None, 30, 31), 40, 2029).unknown


def test_projection_skips_a_month_without_a_count_and_divides_by_the_months_between():
    # No count three months back (Feb): Jan 24 → May 36 is +3 a month over 4 months.
    projection = project(series(24, None, 30, None, 36), 40, 2029)
    assert projection.monthly_gain == 3
    assert projection.month == Month(2026, 7)


def test_projection_far_beyond_the_target_year_is_never_a_year_like_3150():
    # 27% of 90,000 growing by 1 member a month: the old text said "reached in 3150-09".
    projection = project(series(24_297, 24_298, 24_299, 24_300, workforce=90_000), 40, 2029)
    assert projection.month is None and not projection.reached and not projection.unknown
    assert projection.monthly_gain == 1


@pytest.mark.parametrize(
    ("official", "expected"),
    [
        # Fast: +400 a month from 300 of 1,000: 40% in 1 month (May 2026), 50% in 1 month.
        ((0, 100, 200, 300), "40%: tercapai pada Mei 2026 dengan laju ini."),
        # Slow: +1 a month from 30 of 100: 10 to go → 10 months (February 2027).
        ((27, 28, 29, 30), "40%: tercapai pada Februari 2027 dengan laju ini."),
        # Slower than the target year allows: +1 a month from 30 of 10,000 never before 2030.
        ((27, 28, 29, 30), "40%: tidak tercapai sampai 2029 dengan laju ini."),
    ],
    ids=["fast", "slow", "beyond-the-target-year"],
)
def test_projection_text_at_three_paces(app, official, expected, request):
    from portal.dashboard.tables import projection_text

    workforce = 10_000 if request.node.callspec.id == "beyond-the-target-year" else None
    points = series(*official, workforce=workforce or (1_000 if official[0] == 0 else 100))
    with app.test_request_context(headers={"Accept-Language": "id"}):
        assert projection_text(project(points, 40, 2029)) == expected
