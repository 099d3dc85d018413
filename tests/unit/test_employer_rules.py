"""Employee rules shared by the form and the upload, and the contribution preview."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from portal.domain.contributions import RateTable
from portal.services.employees.rules import (
    EmployeeInput,
    employee_problems,
    employment_contribution,
)
from portal.services.reference.seed import RATES
from tests.factories import make_nik

RATES_TABLE = RateTable.from_rows((k, d, v) for k, d, v, _ in RATES)
TODAY = date(2026, 11, 24)
BIRTH = date(1990, 5, 17)


def employee(**overrides) -> EmployeeInput:
    values = {
        "nik": make_nik(BIRTH, "P", serial=12),
        "full_name": "Lina",
        "birth_date": BIRTH,
        "sex": "P",
        "phone": "081234567890",
        "kelurahan_code": "61.72.01.1001",
        "occupation": "Kasir",
        "category": "PU",
        "monthly_amount": 3_000_000,
        "start_date": date(2026, 1, 1),
    }
    values.update(overrides)
    return EmployeeInput(**values)


def codes(data: EmployeeInput) -> set[tuple[str, str]]:
    return {(p.field, p.code) for p in employee_problems(data, RATES_TABLE, TODAY)}


def test_a_correct_employee_has_no_problems():
    assert codes(employee()) == set()


def test_women_have_forty_added_to_the_nik_day():
    assert codes(employee(sex="L")) == {("sex", "sex_mismatch")}


def test_birth_date_mismatch_names_the_nik_digits():
    problems = employee_problems(employee(birth_date=date(1991, 5, 17)), RATES_TABLE, TODAY)
    assert [(p.code, p.params) for p in problems] == [
        ("birth_date_mismatch", {"nik_date": "17-05-90"})
    ]


def test_each_nik_defect_has_its_own_code():
    assert codes(employee(nik="12345")) == {("nik", "nik_format")}
    assert codes(employee(nik="9972015705900012")) == {("nik", "nik_province")}
    assert codes(employee(nik="6100015705900012")) == {("nik", "nik_area")}
    assert codes(employee(nik="6172019905900012")) == {("nik", "nik_date")}
    assert codes(employee(nik="6172015705900000")) == {("nik", "nik_serial")}


def test_future_birth_date_child_and_start_before_birth_are_refused():
    assert ("birth_date", "birth_date_future") in codes(employee(birth_date=date(2027, 1, 1)))
    child = date(2015, 5, 17)
    assert ("birth_date", "too_young") in codes(
        employee(nik=make_nik(child, "P", serial=3), birth_date=child)
    )
    assert ("start_date", "start_before_birth") in codes(employee(start_date=date(1980, 1, 1)))


def test_bad_phone_and_unknown_category():
    assert ("phone", "phone_format") in codes(employee(phone="08-12"))
    assert ("category", "category_unknown") in codes(employee(category="rentan"))


def test_uu_24_2011_art_15_no_bpu_for_an_employers_own_worker():
    """UU 24/2011 art. 15: an employer registers its workers as wage earners (PU)."""
    assert ("category", "bpu_employee") in codes(employee(category="BPU", monthly_amount=1_500_000))
    assert not any(f == "category" for f, _ in codes(employee(category="PU")))


def _employment(**kw):
    values = dict(
        category="PU",
        monthly_amount=5_000_000,
        business=SimpleNamespace(risk_class="sangat_rendah"),
        with_jht=True,
        with_jp=True,
    )
    values.update(kw)
    return SimpleNamespace(**values)


def test_preview_reproduces_the_domain_worked_examples():
    pu = employment_contribution(_employment(), RATES_TABLE, date(2026, 5, 1))
    assert (pu.total, pu.employer, pu.worker) == (462_000, 312_000, 150_000)
    bpu = _employment(category="BPU", monthly_amount=1_000_000, with_jht=False, with_jp=False)
    assert employment_contribution(bpu, RATES_TABLE, date(2026, 5, 1)).total == 16_800
    bpu_jht = _employment(category="BPU", monthly_amount=1_000_000, with_jht=True, with_jp=False)
    assert employment_contribution(bpu_jht, RATES_TABLE, date(2026, 5, 1)).total == 36_800


def test_preview_picks_the_jp_ceiling_by_month():
    high = _employment(monthly_amount=12_000_000)
    april_2024 = employment_contribution(high, RATES_TABLE, date(2024, 4, 15))
    assert april_2024.by_programme()["JP"].amount == 301_269  # 3% of 10,042,300, rounded
    february_2024 = employment_contribution(high, RATES_TABLE, date(2024, 2, 10))
    assert february_2024.by_programme()["JP"].base == 9_559_600


def test_preview_is_none_when_income_left_the_allowed_range():
    bpu = _employment(category="BPU", monthly_amount=50_000_000, with_jp=False)
    assert employment_contribution(bpu, RATES_TABLE, date(2026, 5, 1)) is None
