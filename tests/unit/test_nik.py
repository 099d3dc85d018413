from datetime import date

import pytest

from portal.domain.nik import PROVINCE_CODES, NikError, cross_check, parse_nik


def test_valid_male_nik():
    info = parse_nik("6172011705900001")
    assert (info.province, info.birth_day, info.birth_month, info.birth_yy, info.sex) == (
        "61",
        17,
        5,
        90,
        "L",
    )


def test_woman_has_forty_added_to_the_day():
    info = parse_nik("6172015705900002")
    assert info.sex == "P" and info.birth_day == 17


@pytest.mark.parametrize(
    ("nik", "code"),
    [
        ("617201170590001", "format"),  # 15 digits
        ("61720117059000a1", "format"),
        ("9972011705900001", "province"),
        ("6100011705900001", "area"),
        ("6172013205900001", "date"),  # day 32
        ("6172011713900001", "date"),  # month 13
        ("6172013102900001", "date"),  # 31 February
        ("6172017205900001", "date"),  # day 72-40 = 32
        ("6172011705900000", "serial"),
    ],
)
def test_invalid_niks(nik, code):
    with pytest.raises(NikError) as err:
        parse_nik(nik)
    assert err.value.code == code


def test_cross_check_names_each_disagreeing_part():
    nik = "6172011705900001"
    assert cross_check(nik, date(1990, 5, 17), "L") == []
    assert cross_check(nik, date(1990, 5, 18), "L") == ["birth_date"]
    assert cross_check(nik, date(1990, 5, 17), "P") == ["sex"]
    assert cross_check(nik, date(1991, 5, 17), "P") == ["birth_date", "sex"]


def test_leap_day_accepted():
    assert parse_nik("6172012902000003").birth_day == 29


def test_there_are_exactly_38_province_codes_and_97_is_not_one():
    assert len(PROVINCE_CODES) == 38
    assert "96" in PROVINCE_CODES  # Papua Barat Daya (2022)
    with pytest.raises(NikError) as caught:
        parse_nik("9772011705900001")
    assert caught.value.code == "province"
