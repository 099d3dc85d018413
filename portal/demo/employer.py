"""Demo records for the employer area, loaded by `flask seed-demo` (idempotent).

The demo owner's businesses get a handful of employees (wage earners and informal workers);
the verified ones submit some of them for enrolment, so every list has something to show.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import exists, select

from ..extensions import db
from ..models import Business, Employment, Role, User
from ..services.employees.records import EmployeeInvalid, add_employee
from ..services.employees.rules import EmployeeInput
from ..services.enrolment.submission import EnrolmentError, submit_enrolments

# (name, birth date, sex, kelurahan, occupation, category, monthly amount, with JHT).
# NIKs are built from the birth date and sex with serials 8xxx, kept for this demo.
DEMO_EMPLOYEES = [
    ("Rudi Hartanto", date(1991, 4, 9), "L", "61.72.01.1001", "Barista", "PU", 3_200_000, True),
    ("Lina Wijaya", date(1995, 10, 23), "P", "61.72.01.1002", "Kasir", "PU", 2_900_000, True),
    ("Bong Kim Fa", date(1987, 2, 14), "L", "61.72.02.1001", "Juru masak", "PU", 3_800_000, True),
    # Employers register their own workers as wage earners (UU 24/2011 art. 15), never BPU;
    # the last flag adds JHT voluntarily where the scale does not require it.
    ("Nur Aini", date(1999, 7, 1), "P", "61.72.02.1002", "Pelayan", "PU", 2_500_000, False),
    ("Samsul Bahri", date(1966, 12, 30), "L", "61.72.03.1001", "Kurir", "PU", 3_000_000, True),
]


def _nik(birth: date, sex: str, serial: int) -> str:
    day = birth.day + (40 if sex == "P" else 0)
    return f"617201{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"


def seed() -> None:
    """Add this area's demo records if they are missing. The caller commits."""
    owner = db.session.scalar(
        select(User).where(User.role == Role.BUSINESS_OWNER).order_by(User.id).limit(1)
    )
    if owner is None:
        return
    businesses = db.session.scalars(
        select(Business).where(Business.owner_id == owner.id).order_by(Business.id)
    ).all()
    for index, business in enumerate(businesses[:4]):
        has_staff = db.session.scalar(select(exists().where(Employment.business_id == business.id)))
        if has_staff:
            continue
        added = []
        for offset, (name, birth, sex, kelurahan, job, category, amount, jht) in enumerate(
            DEMO_EMPLOYEES
        ):
            data = EmployeeInput(
                nik=_nik(birth, sex, 8001 + index * 10 + offset),
                full_name=name,
                birth_date=birth,
                sex=sex,
                phone="0812555" + f"{index}{offset:03d}",
                kelurahan_code=kelurahan,
                occupation=job,
                category=category,
                monthly_amount=amount,
                with_jht=jht,
                start_date=date(2026, 1, 5),
            )
            try:
                added.append(add_employee(business, data))
            except EmployeeInvalid:
                continue  # a NIK another demo already used differently: skip it
        if business.is_verified and added:
            try:
                submit_enrolments(business, [e.id for e in added[:3]])
            except EnrolmentError:
                pass
        db.session.flush()
