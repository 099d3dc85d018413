"""Issue 12, the rules as pure functions over the shipped dated data, tested at their
boundaries: Perpres 109/2013 art. 6 (programmes by scale), PP 45/2015 art. 15 (JP pension
age), PP 44/2015 annex I (JKK by the business's risk class) and the DOMAIN worked checks."""

from __future__ import annotations

from datetime import date

import pytest

from portal.domain.contributions import RateMissing, RateTable, wage_earner
from portal.domain.programmes import (
    ProgrammeRules,
    age_on,
    cover_for,
    jp_allowed,
    parse_programmes,
    pension_age,
)
from portal.services.reference.seed import PROGRAMME_REQUIREMENTS, RATES

RATES_TABLE = RateTable.from_rows((k, d, v) for k, d, v, _ in RATES)
RULES = ProgrammeRules.from_rows((s, d, p) for s, d, p, _ in PROGRAMME_REQUIREMENTS)


def test_perpres_109_2013_art_6_required_programmes_by_scale():
    """Micro JKK + JKM; small + JHT; medium (and large) + JP."""
    on = date(2026, 12, 1)
    assert RULES.required("mikro", on) == {"JKK", "JKM"}
    assert RULES.required("kecil", on) == {"JKK", "JKM", "JHT"}
    assert RULES.required("menengah", on) == {"JKK", "JKM", "JHT", "JP"}


def test_perpres_109_2013_rows_are_dated_and_a_day_before_has_none():
    assert RULES.required("mikro", date(2014, 1, 1)) == {"JKK", "JKM"}
    with pytest.raises(RateMissing):
        RULES.required("mikro", date(2013, 12, 31))
    with pytest.raises(RateMissing):
        RULES.required("besar", date(2026, 1, 1))  # no row: never a guess


def test_perpres_109_2013_a_later_row_takes_over_from_its_date():
    rules = ProgrammeRules.from_rows(
        [("mikro", date(2014, 1, 1), "JKK JKM"), ("mikro", date(2027, 1, 1), "JKK,JKM,JHT")]
    )
    assert rules.required("mikro", date(2026, 12, 31)) == {"JKK", "JKM"}
    assert rules.required("mikro", date(2027, 1, 1)) == {"JKK", "JKM", "JHT"}


def test_programme_codes_are_checked():
    assert parse_programmes("jkk jkm") == {"JKK", "JKM"}
    with pytest.raises(ValueError):
        parse_programmes("JKK JKP")


def test_voluntary_programmes_are_marked_as_such():
    """Perpres 109/2013 art. 6: an employer may join more programmes than its scale needs."""
    micro = RULES.required("mikro", date(2026, 12, 1))
    cover = cover_for(micro, add_jht=True, add_jp=False, jp_possible=True)
    assert cover.programmes == ("JKK", "JKM", "JHT")
    assert cover.is_voluntary("JHT") and not cover.is_voluntary("JKK")
    medium = RULES.required("menengah", date(2026, 12, 1))
    # Ticking a programme the scale already requires does not make it voluntary.
    assert not cover_for(medium, add_jht=True, add_jp=True, jp_possible=True).voluntary


@pytest.mark.parametrize(
    ("day", "age"),
    [
        (date(2018, 12, 31), 56),
        (date(2019, 1, 1), 57),
        (date(2024, 12, 31), 58),
        (date(2025, 1, 1), 59),
        (date(2027, 12, 31), 59),
        (date(2028, 1, 1), 60),
        (date(2030, 12, 31), 60),
        (date(2031, 1, 1), 61),
        (date(2043, 1, 1), 65),
        (date(2060, 1, 1), 65),
    ],
)
def test_pp_45_2015_art_15_pension_age_by_year(day, age):
    """59 in 2025–2027, one more year every three years up to 65."""
    assert pension_age(RATES_TABLE, day) == age


def test_pp_45_2015_art_15_no_new_jp_from_the_59th_birthday_in_2026():
    born = date(1967, 12, 5)
    assert age_on(born, date(2026, 12, 4)) == 58
    assert jp_allowed(RATES_TABLE, born, date(2026, 12, 4))
    assert age_on(born, date(2026, 12, 5)) == 59
    assert not jp_allowed(RATES_TABLE, born, date(2026, 12, 5))


def test_pp_45_2015_a_worker_past_the_pension_age_gets_the_rest_without_jp():
    medium = RULES.required("menengah", date(2026, 12, 5))
    cover = cover_for(medium, add_jht=False, add_jp=False, jp_possible=False)
    assert cover.programmes == ("JKK", "JKM", "JHT") and cover.jp_barred


def test_domain_worked_check_micro_business_pays_16_200():
    """Issue 12 done-when: micro, risk class sangat rendah, Rp 3.000.000 → Rp 16.200."""
    cover = cover_for(
        RULES.required("mikro", date(2026, 12, 1)), add_jht=False, add_jp=False, jp_possible=True
    )
    c = wage_earner(
        RATES_TABLE,
        3_000_000,
        date(2026, 12, 1),
        risk_class="sangat_rendah",
        with_jht=cover.with_jht,
        with_jp=cover.with_jp,
    )
    assert (c.by_programme()["JKK"].amount, c.by_programme()["JKM"].amount) == (7_200, 9_000)
    assert c.total == 16_200


def test_domain_worked_check_medium_business_jp_december_2026_is_332_589():
    """JP on the 2026 ceiling Rp 11.086.300 (circular B/1226/022026): 3% = Rp 332.589."""
    c = wage_earner(RATES_TABLE, 12_000_000, date(2026, 12, 1), risk_class="sangat_rendah")
    assert c.by_programme()["JP"].base == 11_086_300
    assert c.by_programme()["JP"].amount == 332_589


@pytest.mark.parametrize(
    ("risk", "jkk"),
    [("sangat_rendah", 7_200), ("rendah", 16_200), ("sedang", 26_700), ("tinggi", 38_100)],
)
def test_pp_44_2015_annex_i_jkk_follows_the_class(risk, jkk):
    c = wage_earner(
        RATES_TABLE, 3_000_000, date(2026, 12, 1), risk_class=risk, with_jht=False, with_jp=False
    )
    assert c.by_programme()["JKK"].amount == jkk
