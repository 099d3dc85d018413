"""factory_boy factories for the core records. Areas add theirs in tests/factories_<area>.py."""

from __future__ import annotations

import itertools
from datetime import date

import factory
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    ROLE_AGENCY,
    Agency,
    Business,
    Employment,
    Role,
    User,
    VerificationState,
    Worker,
)
from portal.services.accounts.passwords import hash_password

PASSWORD = "Rahasia-Kuat-2026"
_nik_serial = itertools.count(1)
_nib_serial = itertools.count(1)


def make_nik(
    birth_date: date = date(1990, 5, 17), sex: str = "L", serial: int | None = None
) -> str:
    """A valid NIK for a Singkawang-issued ID card with the given birth date and sex."""
    day = birth_date.day + (40 if sex == "P" else 0)
    serial = next(_nik_serial) if serial is None else serial
    return f"617201{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{serial:04d}"


def agency(code: str) -> Agency:
    return db.session.scalar(select(Agency).where(Agency.code == code))


class BaseFactory(factory.alchemy.SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"


class UserFactory(BaseFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.id")
    name = factory.Sequence(lambda n: f"Pengguna {n}")
    phone = "081234567890"
    role = Role.BUSINESS_OWNER.value
    password_hash = factory.LazyFunction(lambda: hash_password(PASSWORD))
    agency_id = factory.LazyAttribute(
        lambda o: agency(ROLE_AGENCY[Role(o.role)]).id if Role(o.role) in ROLE_AGENCY else None
    )


class BusinessFactory(BaseFactory):
    class Meta:
        model = Business

    nib = factory.LazyFunction(lambda: f"{912000000000 + next(_nib_serial):013d}")
    name = factory.Sequence(lambda n: f"Usaha {n}")
    owner = factory.SubFactory(UserFactory)
    sector_code = "trade"
    scale = "mikro"
    risk_class = "sangat_rendah"
    kelurahan_code = "61.72.01.1001"
    address = "Jl. Diponegoro 1"
    phone = "081234567890"
    verification_state = VerificationState.VERIFIED.value


class WorkerFactory(BaseFactory):
    class Meta:
        model = Worker

    birth_date = date(1990, 5, 17)
    sex = "L"
    nik = factory.LazyAttribute(lambda o: make_nik(o.birth_date, o.sex))
    full_name = factory.Sequence(lambda n: f"Pekerja {n}")
    category = "PU"


class EmploymentFactory(BaseFactory):
    class Meta:
        model = Employment

    business = factory.SubFactory(BusinessFactory)
    worker = factory.SubFactory(WorkerFactory)
    full_name = factory.LazyAttribute(lambda o: o.worker.full_name)
    kelurahan_code = "61.72.01.1002"
    occupation = "Pelayan"
    category = "PU"
    monthly_amount = 3_000_000
    with_jht = True
    with_jp = True
    start_date = date(2026, 1, 1)
