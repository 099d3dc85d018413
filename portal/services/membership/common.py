"""Small shared pieces of the BPJS area: today's date in WIB, months, KPJ numbers, errors."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ...domain.clock import today_wib
from ...extensions import db
from ...models import Membership
from ..errors import ServiceError


class BpjsError(ServiceError):
    """A domain refusal with a user-facing message and (optionally) the form field it concerns."""


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    """First days of every month from `first`'s month to `last`'s month, inclusive."""
    out: list[date] = []
    current = month_start(first)
    while current <= month_start(last):
        out.append(current)
        current = add_months(current, 1)
    return out


def period_key(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def parse_period(text: str) -> date | None:
    """ "2026-03" → 1 Mar 2026; None when it is not a YYYY-MM month."""
    text = (text or "").strip()
    if len(text) != 7 or text[4] != "-":
        return None
    try:
        return date(int(text[:4]), int(text[5:]), 1)
    except ValueError:
        return None


# --- KPJ -------------------------------------------------------------------------------------
# Generated KPJ format (11 digits): YY (enrolment year) + 8-digit sequence + 1 Luhn check digit.
# The sequence continues from the highest generated number of that year; the unique constraint
# on memberships.kpj plus a retry in a savepoint makes a collision impossible.


def luhn_digit(digits: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 0:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return str((10 - total % 10) % 10)


def is_valid_kpj(kpj: str) -> bool:
    return kpj.isdigit() and 10 <= len(kpj) <= 15


def _next_generated_kpj(year: int) -> str:
    return next_generated_kpjs(year, 1)[0]


def next_generated_kpjs(year: int, count: int) -> list[str]:
    """The next `count` generated KPJs of `year` (one query); the unique constraint on
    memberships.kpj catches a concurrent enrolment that took the same numbers."""
    prefix = f"{year % 100:02d}"
    highest = db.session.scalar(
        select(func.max(Membership.kpj)).where(
            Membership.kpj.like(f"{prefix}%"), func.length(Membership.kpj) == 11
        )
    )
    first = int(highest[2:10]) + 1 if highest else 1
    bodies = [f"{prefix}{sequence:08d}" for sequence in range(first, first + count)]
    return [body + luhn_digit(body) for body in bodies]


def kpj_taken(kpj: str) -> bool:
    return db.session.scalar(select(Membership.id).where(Membership.kpj == kpj)) is not None


def insert_membership(membership: Membership, *, generate: bool, attempts: int = 5) -> None:
    """Flush a new membership inside a savepoint, generating its KPJ when asked.

    Raises BpjsError(field="kpj") when an entered KPJ is already used.
    """
    for _ in range(attempts if generate else 1):
        if generate:
            membership.kpj = _next_generated_kpj(today_wib().year)
        try:
            with db.session.begin_nested():
                db.session.add(membership)
                db.session.flush()
            return
        except IntegrityError:
            if not generate:
                raise BpjsError("kpj", kpj_used_message(membership.kpj)) from None
    raise BpjsError("kpj", kpj_used_message(membership.kpj))


def kpj_used_message(kpj: str) -> str:
    from flask_babel import gettext as _

    return _("KPJ %(kpj)s is already used by another membership.", kpj=kpj)
