"""The worked examples from DOMAIN.md, reproduced exactly."""

from datetime import date

import pytest

from portal.domain.contributions import (
    IncomeOutOfRange,
    RateMissing,
    RateTable,
    employer_late_fine,
    informal_worker,
    monthly_contribution,
    wage_earner,
)
from portal.services.reference.seed import RATES

RATES_TABLE = RateTable.from_rows((k, d, v) for k, d, v, _ in RATES)


def test_bpu_jkk_jkm_at_one_million_is_16800():
    c = informal_worker(RATES_TABLE, 1_000_000, date(2026, 1, 1))
    assert c.by_programme()["JKK"].amount == 10_000
    assert c.by_programme()["JKM"].amount == 6_800
    assert c.total == 16_800
    assert c.employer == 0 and c.worker == 16_800


def test_bpu_with_jht_at_one_million_is_36800():
    c = informal_worker(RATES_TABLE, 1_000_000, date(2026, 1, 1), with_jht=True)
    assert c.total == 36_800


def test_pu_five_million_lowest_risk_all_programmes():
    c = wage_earner(RATES_TABLE, 5_000_000, date(2026, 5, 1), risk_class="sangat_rendah")
    p = c.by_programme()
    assert p["JKK"].amount == 12_000
    assert p["JKM"].amount == 15_000
    assert (p["JHT"].amount, p["JHT"].employer, p["JHT"].worker) == (285_000, 185_000, 100_000)
    assert (p["JP"].amount, p["JP"].employer, p["JP"].worker) == (150_000, 100_000, 50_000)
    assert (c.total, c.employer, c.worker) == (462_000, 312_000, 150_000)


def test_pu_jp_capped_at_april_2024_ceiling():
    c = wage_earner(RATES_TABLE, 12_000_000, date(2024, 4, 10))
    jp = c.by_programme()["JP"]
    assert jp.base == 10_042_300
    assert jp.amount == 301_269


def test_jp_ceiling_changes_in_march_not_january():
    feb = wage_earner(RATES_TABLE, 12_000_000, date(2024, 2, 29)).by_programme()["JP"]
    mar = wage_earner(RATES_TABLE, 12_000_000, date(2024, 3, 1)).by_programme()["JP"]
    assert feb.base == 9_559_600
    assert mar.base == 10_042_300


@pytest.mark.parametrize(
    ("risk", "expected"),
    [("rendah", 27_000), ("sedang", 44_500), ("tinggi", 63_500), ("sangat_tinggi", 87_000)],
)
def test_pu_jkk_by_risk_class(risk, expected):
    c = wage_earner(RATES_TABLE, 5_000_000, date(2026, 1, 1), risk_class=risk)
    assert c.by_programme()["JKK"].amount == expected


def test_rounding_is_half_up_per_share():
    # 0.24% of 1,234,567 = 2,962.96 -> 2,963
    c = wage_earner(RATES_TABLE, 1_234_567, date(2026, 1, 1), with_jht=False, with_jp=False)
    assert c.by_programme()["JKK"].amount == 2_963


def test_bpu_income_outside_range_is_refused():
    with pytest.raises(IncomeOutOfRange):
        informal_worker(RATES_TABLE, 999_999, date(2026, 1, 1))
    with pytest.raises(IncomeOutOfRange):
        informal_worker(RATES_TABLE, 20_700_001, date(2026, 1, 1))
    assert informal_worker(RATES_TABLE, 20_700_000, date(2026, 1, 1)).total == 213_800


def test_dispatch_treats_rentan_as_informal():
    c = monthly_contribution(
        RATES_TABLE, category="rentan", monthly_amount=1_000_000, month=date(2026, 1, 1)
    )
    assert c.total == 16_800


def test_missing_rate_is_reported():
    with pytest.raises(RateMissing):
        wage_earner(RateTable(), 5_000_000, date(2026, 1, 1))


def test_late_fine_two_percent_per_month():
    assert employer_late_fine(RATES_TABLE, 462_000, 2, date(2026, 1, 1)) == 18_480
    assert employer_late_fine(RATES_TABLE, 462_000, 0, date(2026, 1, 1)) == 0
