"""Cash a field agent collects from his people, confirmed by BPJS as payments.

Rules (one place):
- The agent records: person (one of his own), receipt number, amount, first month and number
  of months (1–12). A receipt number is recorded once (unique constraint): the same receipt
  twice is refused, also when two submits race. The amount must cover every month's dues
  (`membership.dues.monthly_due`); months already paid are refused.
- BPJS confirms a recorded collection: one payment per month (channel `field_agent`,
  `membership.payments.record_payments`: the lapsed member paid up is active again), or
  refuses it with a reason. Each is one conditional UPDATE, so a double confirm pays once.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...domain.clock import now, today_wib
from ...domain.money import format_rupiah
from ...extensions import db
from ...models import CashCollection, CollectionState, ContributionPayment, Membership, User
from ..audit.trail import record_event
from ..errors import InvalidInput, NotFound, ServiceError
from ..membership.common import add_months, parse_period, period_key
from ..membership.dues import monthly_due
from ..membership.payments import PaymentLine, record_payments
from ..pages import page_of
from ..saving import flush_or_refuse, update_rows
from .agents import agent_membership

PAYMENT_CHANNEL = "field_agent"


def collection_periods(first_period: str, months: int) -> list[str]:
    first = parse_period(first_period)
    return [period_key(add_months(first, i)) for i in range(months)]


def record_collection(
    agent: User,
    membership_id: int,
    receipt_no: str,
    amount: int | None,
    first_period: str | None,
    months: int,
) -> CashCollection:
    """The agent records cash he took. Writes `collection.recorded`. Raises InvalidInput."""
    membership = agent_membership(agent.id, membership_id)
    receipt_no = (receipt_no or "").strip().upper()
    problems: list[tuple[str, str]] = []
    if membership.is_funded or membership.is_ended:
        problems.append(("membership_id", _("This person pays no dues of his own now.")))
    if not receipt_no:
        problems.append(("receipt_no", _("Write the receipt number.")))
    elif db.session.scalar(
        select(CashCollection.id).where(CashCollection.receipt_no == receipt_no)
    ):
        problems.append(
            (
                "receipt_no",
                _("Receipt %(no)s is already recorded: nothing was added.", no=receipt_no),
            )
        )
    if first_period is None or parse_period(first_period) is None:
        problems.append(("first_period", _("Write the month as MM-YYYY, for example 03-2026.")))
    if not 1 <= (months or 0) <= 12:
        problems.append(("months", _("From 1 to 12 months.")))
    if problems:
        raise InvalidInput(problems)
    periods = collection_periods(first_period, months)
    if parse_period(periods[0]) < membership.start_date.replace(day=1):
        raise InvalidInput([("first_period", _("The membership starts later than this month."))])
    already = set(
        db.session.scalars(
            select(ContributionPayment.period).where(
                ContributionPayment.membership_id == membership.id,
                ContributionPayment.period.in_(periods),
            )
        )
    )
    if already:
        raise InvalidInput(
            [("first_period", _("Already paid: %(months)s.", months=", ".join(sorted(already))))]
        )
    due = sum(monthly_due(membership, parse_period(p)) for p in periods)
    if amount is None or amount < due:
        raise InvalidInput(
            [("amount", _("The dues for these months are %(due)s.", due=format_rupiah(due)))]
        )
    collection = CashCollection(
        agent_id=agent.id,
        membership_id=membership.id,
        receipt_no=receipt_no,
        amount=amount,
        first_period=periods[0],
        months=months,
        collected_on=today_wib(),
        state=CollectionState.RECORDED.value,
    )
    taken = _("Receipt %(no)s is already recorded: nothing was added.", no=receipt_no)
    flush_or_refuse(collection, taken=InvalidInput([("receipt_no", taken)]))
    record_event(
        "collection.recorded",
        collection,
        {"receipt": receipt_no, "amount": amount, "periods": periods, "kpj": membership.kpj},
    )
    return collection


def agent_collections(agent_id: int, limit: int = 20) -> list[CashCollection]:
    return list(
        db.session.scalars(
            select(CashCollection)
            .where(CashCollection.agent_id == agent_id)
            .options(joinedload(CashCollection.membership).joinedload(Membership.worker))
            .order_by(CashCollection.id.desc())
            .limit(limit)
        )
    )


def recorded_collections(page: object = 1) -> Pagination:
    """BPJS's list of cash waiting for confirmation, oldest first."""
    return page_of(
        select(CashCollection)
        .where(CashCollection.state == CollectionState.RECORDED.value)
        .options(
            joinedload(CashCollection.agent),
            joinedload(CashCollection.membership).joinedload(Membership.worker),
        )
        .order_by(CashCollection.id),
        page,
    )


def _claim(collection_id: int, actor: User, state: CollectionState) -> CashCollection:
    changed = update_rows(
        CashCollection,
        CashCollection.id == collection_id,
        CashCollection.state == CollectionState.RECORDED.value,
        state=state.value,
        decided_by_id=actor.id,
        decided_at=now(),
    )
    collection = db.session.scalars(
        select(CashCollection)
        .where(CashCollection.id == collection_id)
        .execution_options(populate_existing=True)
    ).one_or_none()
    if collection is None:
        raise NotFound()
    if changed != 1:
        raise ServiceError(None, _("This collection has already been decided."))
    return collection


def confirm_collection(collection_id: int, actor: User, paid_on: date | None = None) -> list[str]:
    """BPJS confirms the cash: one payment per month. Returns the months paid.

    Writes `collection.confirmed` and the payments' own events. Raises ServiceError when it
    was decided already or a month was paid meanwhile (nothing saved then).
    """
    collection = _claim(collection_id, actor, CollectionState.CONFIRMED)
    periods = collection_periods(collection.first_period, collection.months)
    share = collection.amount // collection.months
    lines = [
        PaymentLine(
            None,
            collection.membership.kpj,
            period,
            share + (collection.amount - share * collection.months if i == 0 else 0),
            paid_on or collection.collected_on,
            PAYMENT_CHANNEL,
        )
        for i, period in enumerate(periods)
    ]
    record_payments(lines, actor)
    record_event(
        "collection.confirmed", collection, {"receipt": collection.receipt_no, "periods": periods}
    )
    return periods


def refuse_collection(collection_id: int, actor: User, reason: str) -> CashCollection:
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ServiceError("reason", _("Give a reason of at least 5 characters."))
    collection = _claim(collection_id, actor, CollectionState.REFUSED)
    record_event(
        "collection.refused", collection, {"receipt": collection.receipt_no, "reason": reason}
    )
    return collection
