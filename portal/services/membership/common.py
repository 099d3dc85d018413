"""Small shared pieces of the BPJS area: today's date in WIB, months, KPJ numbers, errors."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import and_, select

from ...extensions import db
from ...models import FundingSource, Membership, MembershipState
from ..errors import ServiceError
from ..saving import flush_or_refuse


class BpjsError(ServiceError):
    """A domain refusal with a user-facing message and (optionally) the form field it concerns."""


def running_self_paid():
    """SQL: a self-paid membership on the person's own account (no employer) that has not
    ended — what BPU reminders go to, and what a person may hold only one of."""
    return and_(
        Membership.funding_source == FundingSource.SELF.value,
        Membership.business_id.is_(None),
        Membership.state != MembershipState.ENDED.value,
    )


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
# A KPJ is issued by BPJS's own system when it enrols someone; its officer types it in here.
# The portal never makes one up: a number it invented would name no real membership. The
# unique constraint on memberships.kpj refuses a duplicate even from two officers at once.

#: Digits of a KPJ as BPJS issues it today (entered at enrolment); older numbers found in
#: payment files may have 10–15 (`is_valid_kpj`).
ISSUED_KPJ_DIGITS = 11


def is_valid_kpj(kpj: str) -> bool:
    return kpj.isdigit() and 10 <= len(kpj) <= 15


def issued_kpj(text: str | None) -> str:
    """The KPJ an officer typed from BPJS's system: spaces, dots and dashes dropped; it must
    have 11 digits and be unused. Raises BpjsError(field="kpj")."""
    kpj = "".join(ch for ch in (text or "") if ch not in " .-\t")
    if not kpj:
        raise BpjsError("kpj", _("Give the KPJ that BPJS's system issued for this enrolment."))
    if not (kpj.isascii() and kpj.isdigit() and len(kpj) == ISSUED_KPJ_DIGITS):
        raise BpjsError("kpj", _("A KPJ issued by BPJS has 11 digits."))
    if kpj_taken(kpj):
        raise BpjsError("kpj", kpj_used_message(kpj))
    return kpj


def kpj_taken(kpj: str) -> bool:
    return db.session.scalar(select(Membership.id).where(Membership.kpj == kpj)) is not None


def insert_membership(membership: Membership) -> None:
    """Flush a new membership inside a savepoint.

    Raises BpjsError(field="kpj") when its KPJ is already used (the unique constraint decides,
    also between two officers entering the same number at once).
    """
    flush_or_refuse(membership, taken=BpjsError("kpj", kpj_used_message(membership.kpj)))


def kpj_used_message(kpj: str) -> str:
    return _("KPJ %(kpj)s is already used by another membership.", kpj=kpj)
