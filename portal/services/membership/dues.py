"""Monthly dues and arrears of a membership: what each month owes, when, and the late fine.

Rules (documented here, used by every page that shows dues and by the payment checks):
- Dues for a month come from `domain.contributions.monthly_contribution` (same module as the
  employer's preview), with the figures in force in that month (`terms_in`): a wage change
  applies from its month on. Members of a funded batch owe nothing themselves: the funder pays.
- Due date: self-paid (BPU) members pay by the 15th of the same month; employers (PU) by the
  15th of the following month; a due date on a day off moves to the next working day
  (`services.reference.working_calendar()`).
- A month is in arrears once its due date has passed without a payment for that period.
- Employer late fine: `employer_late_fine` (2% per month) × each started month since the due
  date (due 15 Mar: 20 Mar → 1 month, 16 Apr → 2 months). Self-paid members pay no fine.
- A self-paid membership lapses when its oldest unpaid month's due date is more than
  `membership_grace_days` (setting, default 30) days ago (`lapse_due`). An employer-paid one
  never lapses: its months in arrears are the employer's debt, the worker stays protected
  (PP 44/2015 jo. PP 82/2019; `payments.refresh_state`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from ...domain.clock import today_wib
from ...domain.contributions import (
    IncomeOutOfRange,
    RateMissing,
    employer_late_fine,
    informal_income_range,
)
from ...domain.contributions import monthly_contribution as compute_contribution
from ...extensions import db
from ...models import ContributionPayment, FundingSource, Membership
from ..errors import ServiceError
from ..reference.lookups import rate_table, working_calendar
from .common import add_months, months_between, period_key

FUNDED = (FundingSource.APBD.value, FundingSource.CSR.value)


def is_funded(membership: Membership) -> bool:
    return membership.funding_source in FUNDED


#: The membership figures a month's dues are computed from; they change with the wage.
TERMS = ("monthly_amount", "risk_class", "with_jht", "with_jp")


def terms_in(membership: Membership, month: date) -> dict:
    """The figures that applied in `month`: the current ones, or an earlier set when the
    terms changed after that month (a wage raise does not change what an old month owes)."""
    period = period_key(month)
    for past in membership.past_terms or ():
        if period < past["until"]:
            return past
    return {name: getattr(membership, name) for name in TERMS}


def change_terms(membership: Membership, new_terms: dict, today: date) -> dict:
    """Set new figures from `today`'s month on, keeping the old ones for earlier months.

    Who: the services that change what a member declares (the owner's employee edit). Returns
    {name: [old, new]} of what changed, empty when nothing did. Several changes in one month
    keep one earlier set: the figures in force before that month.
    """
    changed = {
        name: [getattr(membership, name), value]
        for name, value in new_terms.items()
        if getattr(membership, name) != value
    }
    if not changed:
        return changed
    until = period_key(today)
    history = list(membership.past_terms or [])
    if membership.start_date < today.replace(day=1) and not any(
        past["until"] == until for past in history
    ):
        history.append({"until": until} | {name: getattr(membership, name) for name in TERMS})
        membership.past_terms = history  # a new list: the JSON column sees the change
    for name, (_old, value) in changed.items():
        setattr(membership, name, value)
    return changed


class RatesMissing(ServiceError):
    """No contribution rate is recorded for a month: dues are never silently Rp 0."""

    def __init__(self, month: date):
        super().__init__(
            None,
            _(
                "No contribution rates are recorded for %(month)s. An administrator must add "
                "them (Admin → Rates) before dues for that month can be computed.",
                month=period_key(month),
            ),
        )
        self.month = month


def lowest_bpu_dues(month: date | None = None) -> int:
    """The least a self-paid (BPU) member pays a month: JKK + JKM on the lowest declared
    income the rates allow (Rp 16.800 on Rp 1.000.000 in 2026), read from the dated rates."""
    month = month or today_wib()
    table = rate_table()
    return compute_contribution(
        table, category="BPU", monthly_amount=informal_income_range(table, month)[0], month=month
    ).total


def monthly_due(membership: Membership, month: date) -> int:
    """What the member (or employer) owes for `month`; 0 for funded members."""
    if is_funded(membership):
        return 0
    terms = terms_in(membership, month)
    if membership.category == "PU" and terms["risk_class"] is None:
        # Never a guessed (lowest) class: the business's class is copied at enrolment.
        raise ServiceError(
            None,
            _(
                "KPJ %(kpj)s has no JKK risk class; BPJS must set the business's risk class "
                "before its dues can be computed.",
                kpj=getattr(membership, "kpj", "–"),
            ),
        )
    try:
        return compute_contribution(
            rate_table(),
            category=membership.category,
            monthly_amount=terms["monthly_amount"],
            month=month,
            risk_class=terms["risk_class"] or "",
            with_jht=terms["with_jht"],
            with_jp=terms["with_jp"],
        ).total
    except RateMissing as missing:
        raise RatesMissing(month) from missing
    except IncomeOutOfRange as outside:
        raise ServiceError(
            "monthly_amount",
            _(
                "KPJ %(kpj)s: the declared income is outside the range allowed in %(month)s; "
                "correct it before dues can be computed.",
                kpj=membership.kpj,
                month=period_key(month),
            ),
        ) from outside


def due_date(membership: Membership, month: date) -> date:
    return due_date_for(membership.funding_source == FundingSource.EMPLOYER.value, month)


def due_date_for(employer_paid: bool, month: date) -> date:
    """Employers pay by the 15th of the next month, members themselves by the 15th of the
    month; a due date on a day off moves to the next working day."""
    if employer_paid:
        nominal = add_months(month, 1).replace(day=15)
    else:
        nominal = month.replace(day=15)
    return working_calendar().next_working_day(nominal)


def months_late(due: date, today: date) -> int:
    """Each started month after the due date counts as one month late."""
    if today <= due:
        return 0
    months = (today.year * 12 + today.month) - (due.year * 12 + due.month)
    return months + (1 if today.day > due.day else 0)


@dataclass(frozen=True)
class DueMonth:
    month: date
    amount: int
    due: date
    paid: ContributionPayment | None
    months_late: int
    fine: int

    @property
    def period(self) -> str:
        return period_key(self.month)

    @property
    def in_arrears(self) -> bool:
        return self.paid is None and self.months_late > 0


def payments_by_membership(ids: Iterable[int]) -> dict[int, dict[str, ContributionPayment]]:
    """All payments of these memberships in one query, keyed by membership then period."""
    out: dict[int, dict[str, ContributionPayment]] = defaultdict(dict)
    ids = list(ids)
    if not ids:
        return out
    for payment in db.session.scalars(
        select(ContributionPayment).where(ContributionPayment.membership_id.in_(ids))
    ):
        out[payment.membership_id][payment.period] = payment
    return out


def schedule(
    membership: Membership, paid: dict[str, ContributionPayment], today: date | None = None
) -> list[DueMonth]:
    """Every month from the start to this month (or the end), newest first."""
    today = today or today_wib()
    last = min(today, membership.end_date) if membership.end_date else today
    rows: list[DueMonth] = []
    employer = membership.funding_source == FundingSource.EMPLOYER.value
    for month in months_between(membership.start_date, last):
        amount = monthly_due(membership, month)
        due = due_date(membership, month)
        payment = paid.get(period_key(month))
        late = months_late(due, today) if payment is None and amount > 0 else 0
        fine = 0
        if employer and late:
            fine = employer_late_fine(rate_table(), amount, late, today)
        rows.append(DueMonth(month, amount, due, payment, late, fine))
    rows.reverse()
    return rows


def lapse_due(schedule_rows: list[DueMonth], today: date, grace_days: int) -> date | None:
    """The day the membership lapses(d) from its oldest unpaid month, or None if paid up."""
    unpaid = [r for r in schedule_rows if r.in_arrears]
    if not unpaid:
        return None
    oldest = min(unpaid, key=lambda r: r.month)
    return oldest.due + timedelta(days=grace_days)


@dataclass
class Arrears:
    months: int = 0
    amount: int = 0
    fine: int = 0

    @property
    def total(self) -> int:
        return self.amount + self.fine


def arrears_of(rows: list[DueMonth]) -> Arrears:
    result = Arrears()
    for row in rows:
        if row.in_arrears:
            result.months += 1
            result.amount += row.amount
            result.fine += row.fine
    return result
