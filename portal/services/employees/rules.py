"""The rules an employee record must satisfy, shared by the form and the bulk upload.

`employee_problems()` returns every problem it finds as a `Problem(field, code, params)`;
`problem_message()` turns one into a translated sentence at display time, so a stored dry-run
report shows in the language the owner reads it in.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...domain.contributions import Contribution, RateTable
from ...domain.contributions import monthly_contribution as compute_contribution
from ...domain.money import format_rupiah
from ...domain.nik import NikError, parse_nik
from ...domain.programmes import Cover
from ...models import WorkerCategory

EMPLOYER_CATEGORIES = (WorkerCategory.PU.value, WorkerCategory.BPU.value)


@dataclass
class PersonInput:
    """Who a person is, as a form or a file row gives it, already typed: the part the
    employee form and the self-registration (BPU) share, and a new worker record is made of."""

    nik: str
    full_name: str
    birth_date: date | None
    sex: str
    phone: str | None
    kelurahan_code: str

    def person(self) -> dict:
        """The fields above by name (for another input or a `Worker`)."""
        return {f.name: getattr(self, f.name) for f in fields(PersonInput)}


#: What the owner's form or file sets on an employment, by name.
EMPLOYMENT_FIELDS = (
    "full_name",
    "phone",
    "kelurahan_code",
    "occupation",
    "category",
    "monthly_amount",
    "with_jht",
    "with_jp",
    "start_date",
)


@dataclass
class EmployeeInput(PersonInput):
    """What an owner enters about one employee (form or file row), already typed."""

    occupation: str
    category: str
    monthly_amount: int | None
    # What the owner asked for beyond the business's required programmes; `with_cover`
    # turns them into the programmes the job is covered by.
    with_jht: bool = False
    start_date: date | None = None
    with_jp: bool = False

    def with_cover(self, cover: Cover) -> EmployeeInput:
        """Take the programmes of `cover` (required by the scale, voluntary, JP by age)."""
        self.with_jht, self.with_jp = cover.with_jht, cover.with_jp
        return self


@dataclass(frozen=True)
class Problem:
    field: str
    code: str
    params: dict = field(default_factory=dict)

    def as_list(self) -> list:
        return [self.field, self.code, self.params]


_MESSAGES = {
    "required": _l("This field is required."),
    "nik_format": _l("NIK must be exactly 16 digits."),
    "nik_province": _l("The first two digits of the NIK (%(code)s) are not a province code."),
    "nik_area": _l("Digits 3–6 of the NIK (regency and district) cannot contain 00."),
    "nik_date": _l("Digits 7–12 of the NIK are not a real birth date (DD MM YY, women DD + 40)."),
    "nik_serial": _l("The last four digits of the NIK cannot be 0000."),
    "nik_number_cell": _l(
        "The NIK is stored as a number, so Excel dropped its last digits. Format the NIK "
        "column as Text and type it again."
    ),
    "not_returned": _l("Only a request that BPJS returned can be resubmitted."),
    "income_range_now": _l("The declared income is outside the allowed range; correct it first."),
    "birth_date_mismatch": _l(
        "The birth date does not match the NIK: digits 7–12 say %(nik_date)s."
    ),
    "sex_mismatch": _l(
        "The sex does not match the NIK: its birth day digits say %(nik_sex)s "
        "(women have 40 added to the day)."
    ),
    "birth_date_future": _l("The birth date cannot be in the future."),
    "too_young": _l("The worker must be at least %(years)s years old."),
    "date_format": _l("Write the date as DD-MM-YYYY."),
    "date_not_a_day": _l("This date does not exist in the calendar."),
    "unreadable": _l("Contains characters we cannot read."),
    "sex_unknown": _l("Write L (male) or P (female)."),
    "category_unknown": _l("Choose PU (wage earner) or BPU (informal worker)."),
    "bpu_employee": _l(
        "An employer registers its own workers as wage earners (PU) and pays their "
        "contributions (UU 24/2011 art. 15). The BPU scheme is for people who work on their "
        "own account: they register themselves."
    ),
    "risk_unknown": _l(
        "Choose a risk class: sangat rendah, rendah, sedang, tinggi or sangat tinggi."
    ),
    "risk_class_reviewed": _l(
        "BPJS has reviewed this business's JKK risk class; only BPJS can change it now."
    ),
    "risk_class_missing": _l(
        "Choose the business's JKK risk class (its line of activity, PP 44/2015 annex I) on "
        "the business page first."
    ),
    "kelurahan_unknown": _l("Choose one of the 26 kelurahan of Kota Singkawang."),
    "amount_format": _l("Write the amount in whole rupiah, for example 2500000."),
    "wage_positive": _l("The monthly wage must be more than zero."),
    "income_range": _l("Declared income must be between %(minimum)s and %(maximum)s."),
    "yes_no": _l("Write Ya or Tidak."),
    "phone_format": _l("Write the phone number with digits only (8–15 digits), e.g. 081234567890."),
    "too_long": _l("At most %(max)s characters."),
    "start_before_birth": _l("The start date cannot be before the birth date."),
    "duplicate_in_file": _l("This NIK is also on line %(line)s of the file."),
    "worker_birth_date": _l(
        "This NIK is already registered with a different birth date. Check the NIK on the ID "
        "card; if it is right, ask BPJS to correct the registered identity."
    ),
    "worker_sex": _l(
        "This NIK is already registered with a different sex. Check the NIK on the ID card; "
        "if it is right, ask BPJS to correct the registered identity."
    ),
    "category_enrolled": _l(
        "The category cannot change while this employee has a BPJS membership through this job."
    ),
    "already_employed": _l("This worker is already registered in this business."),
    "changed_here": _l(
        "This worker is already registered in this business with different data; "
        "change them on their own page."
    ),
    "nib_taken": _l("A business with this NIB is already registered."),
    "nib_format": _l("NIB must be exactly 13 digits."),
    "sector_unknown": _l("Choose a sector."),
    "not_verified": _l("The business must be verified by the trade office first."),
    "end_before_start": _l("The end date cannot be before the start date (%(start)s)."),
    "already_ended": _l("This employment has already ended."),
    "not_scheduled": _l("Only a last day still to come can be cancelled."),
    "undo_expired": _l("An end can be taken back only within %(window)s of entering it."),
    "rejected": _l("A rejected business is corrected through “Correct and resubmit”."),
    "stale": _l("Someone else changed this record meanwhile. Reload the page and try again."),
}


def problem_message(code: str, params: dict | None = None) -> str:
    params = dict(params or {})
    for key in ("minimum", "maximum"):
        if isinstance(params.get(key), int):
            params[key] = format_rupiah(params[key])
    if params.get("nik_sex") in ("L", "P"):
        params["nik_sex"] = _("female") if params["nik_sex"] == "P" else _("male")
    message = _MESSAGES.get(code)
    if message is None:
        return code
    return str(message) % params if params else str(message)


MIN_WORKER_AGE = 15


def _nik_problems(nik: str) -> list[Problem]:
    try:
        parse_nik(nik)
    except NikError as exc:
        params = {"code": nik[:2]} if exc.code == "province" else {}
        return [Problem("nik", f"nik_{exc.code}", params)]
    return []


def employee_problems(data: EmployeeInput, rates: RateTable, today: date) -> list[Problem]:
    """Every rule broken by `data`, without touching the database (no existing-data checks).

    Kelurahan codes are checked by the caller, which knows the reference list.
    """
    found: list[Problem] = []
    if not data.nik:
        found.append(Problem("nik", "required"))
    else:
        found += _nik_problems(data.nik)
    if not data.full_name:
        found.append(Problem("full_name", "required"))
    elif len(data.full_name) > 120:
        found.append(Problem("full_name", "too_long", {"max": 120}))
    if data.sex not in ("L", "P"):
        found.append(Problem("sex", "sex_unknown"))
    if data.birth_date is None:
        found.append(Problem("birth_date", "required"))
    elif data.birth_date > today:
        found.append(Problem("birth_date", "birth_date_future"))
    elif _age(data.birth_date, today) < MIN_WORKER_AGE:
        found.append(Problem("birth_date", "too_young", {"years": MIN_WORKER_AGE}))
    if data.nik and not any(p.field == "nik" for p in found) and data.birth_date:
        info = parse_nik(data.nik)
        if not info.matches_birth_date(data.birth_date):
            nik_date = f"{info.birth_day:02d}-{info.birth_month:02d}-{info.birth_yy:02d}"
            found.append(Problem("birth_date", "birth_date_mismatch", {"nik_date": nik_date}))
        if data.sex in ("L", "P") and data.sex != info.sex:
            found.append(Problem("sex", "sex_mismatch", {"nik_sex": info.sex}))
    if data.phone and not (data.phone.isdigit() and 8 <= len(data.phone) <= 15):
        found.append(Problem("phone", "phone_format"))
    if not data.occupation:
        found.append(Problem("occupation", "required"))
    elif len(data.occupation) > 100:
        found.append(Problem("occupation", "too_long", {"max": 100}))
    if data.category not in EMPLOYER_CATEGORIES:
        found.append(Problem("category", "category_unknown"))
    elif data.monthly_amount is None:
        found.append(Problem("monthly_amount", "required"))
    elif data.category != WorkerCategory.PU:
        # UU 24/2011 art. 15: no self-paid (BPU) membership for an employer's own worker.
        found.append(Problem("category", "bpu_employee"))
    elif data.monthly_amount <= 0:
        found.append(Problem("monthly_amount", "wage_positive"))
    if data.start_date is None:
        found.append(Problem("start_date", "required"))
    elif data.birth_date and data.start_date < data.birth_date:
        found.append(Problem("start_date", "start_before_birth"))
    return found


def _age(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def identity_conflicts(worker, data: EmployeeInput) -> list[Problem]:
    """Where `data` disagrees with the registered worker of the same NIK, next to the field.

    The registered values are never put in the message: they may come from another business.
    """
    found = []
    if worker.birth_date != data.birth_date:
        found.append(Problem("birth_date", "worker_birth_date"))
    if worker.sex != data.sex:
        found.append(Problem("sex", "worker_sex"))
    return found


def employment_contribution(employment, rates: RateTable, month: date) -> Contribution | None:
    """The monthly contribution for an employment: the programmes it is covered by, at its
    business's JKK risk class. None if its figures are out of range now or the business has
    not chosen its risk class yet (never a guessed class)."""
    risk_class = employment.business.risk_class
    if employment.category == WorkerCategory.PU and risk_class is None:
        return None
    try:
        return compute_contribution(
            rates,
            category=employment.category,
            monthly_amount=employment.monthly_amount,
            month=month,
            risk_class=risk_class or "sangat_rendah",
            with_jht=employment.with_jht,
            with_jp=employment.with_jp,
        )
    except ValueError:
        return None
