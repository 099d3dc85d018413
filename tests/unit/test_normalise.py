"""Input read the way clerks type it (portal.domain.normalise)."""

from __future__ import annotations

from datetime import date

import pytest

from portal.domain import normalise
from portal.domain.normalise import Unreadable


@pytest.mark.parametrize(
    "typed", ["6172011234560001", "6172 0112 3456 0001", "6172.0112.3456.0001", "'6172011234560001"]
)
def test_nik_loses_the_spaces_dots_and_apostrophes_people_add(typed):
    assert normalise.nik(typed) == "6172011234560001"


def test_seventeen_digits_stay_seventeen_for_the_check_to_refuse():
    assert normalise.nik("61720112345600012") == "61720112345600012"


def test_nik_with_letters_is_unreadable():
    with pytest.raises(Unreadable) as caught:
        normalise.nik("6172O11234560001")
    assert caught.value.code == "nik_digits"


@pytest.mark.parametrize(
    "typed",
    ["359.450", "Rp 359.450", "359450", "Rp359.450", "359,450", "Rp 359.450,00", "rp. 359.450"],
)
def test_money_as_typed_reads_as_whole_rupiah(typed):
    assert normalise.rupiah(typed) == 359_450


def test_money_empty_is_none_and_numbers_pass_through():
    assert normalise.rupiah("  ") is None
    assert normalise.rupiah(3_000_000) == 3_000_000
    assert normalise.rupiah(16800.0) == 16_800


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("-359.450", "money_negative"),
        ("1.50", "money_cents"),
        ("1.5000", "money_format"),
        ("12a", "money_format"),
        ("9" * 80, "too_long"),
    ],
)
def test_money_that_cannot_be_rupiah_says_why(typed, code):
    with pytest.raises(Unreadable) as caught:
        normalise.rupiah(typed)
    assert caught.value.code == code


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0562-631234", "0562631234"),
        ("0812 5678 9012", "081256789012"),
        ("+62 812-5678-9012", "081256789012"),
        ("6281256789012", "081256789012"),
        ("(0562) 631234", "0562631234"),
    ],
)
def test_phone_numbers_are_stored_one_way(typed, stored):
    assert normalise.phone(typed) == stored


@pytest.mark.parametrize("typed", ["12345", "0812-ABC", "+1 202 555 0100 99999"])
def test_phone_numbers_that_are_not_numbers_are_refused(typed):
    with pytest.raises(Unreadable):
        normalise.phone(typed)


@pytest.mark.parametrize("typed", ["17-08-1990", "17/08/1990", "17.8.1990", "1990-08-17"])
def test_dates_read_as_dd_mm_yyyy_or_iso(typed):
    assert normalise.day(typed) == date(1990, 8, 17)


def test_a_day_that_does_not_exist_is_told_apart_from_a_bad_shape():
    with pytest.raises(Unreadable) as not_a_day:
        normalise.day("31-02-1997")
    with pytest.raises(Unreadable) as bad_shape:
        normalise.day("Feb 3rd 1997")
    assert (not_a_day.value.code, bad_shape.value.code) == ("date_not_a_day", "date_format")


def test_dates_are_written_back_as_dd_mm_yyyy():
    assert normalise.dmy(date(2026, 3, 9)) == "09-03-2026"


@pytest.mark.parametrize("typed", ["03-2026", "3/2026", "2026-03", "2026-03-01", date(2026, 3, 9)])
def test_contribution_months_read_as_year_and_month(typed):
    assert normalise.month(typed) == "2026-03"


@pytest.mark.parametrize("typed", ["13-2026", "Maret", "2026"])
def test_a_month_that_is_not_one_is_refused(typed):
    with pytest.raises(Unreadable) as caught:
        normalise.month(typed)
    assert caught.value.code == "month_format"
