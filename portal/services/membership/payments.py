"""Payments and membership states: recording what was paid, lapsing and re-activating.

Rules (documented here, used by the payment pages and by `flask membership-sweep`); what a
month owes and when is in `bpjs_dues`.
- One payment settles one whole month (one row per membership and period): its amount must
  be at least that month's dues. Partial payments are refused, never recorded.
- A self-paid membership lapses when its oldest unpaid month's due date is more than
  `membership_grace_days` (setting, default 30) days ago; it is active again once paid up.
- An employer-paid (PU) membership never lapses for the employer's arrears: the worker stays
  protected, BPJS pays the benefit and recovers it from the employer (PP 44/2015 jo.
  PP 82/2019). The arrears are the employer's debt, shown apart (`dues.arrears_of`); a PU
  membership found lapsed (before this rule) is made active again by the sweep.
  A membership ends when its employment ends, or when its funded batch ends without renewal.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from ...domain.clock import now, today_wib
from ...domain.money import format_rupiah
from ...extensions import db
from ...models import ContributionPayment, Employment, Membership, MembershipState, User
from ..audit.trail import record_event, record_events
from ..reference.lookups import setting_int
from .common import BpjsError, add_months, month_start, parse_period, period_key
from .dues import is_funded, lapse_due, monthly_due, payments_by_membership, schedule

PAYMENT_CHANNELS = ("bank", "virtual_account", "cash_office", "payroll", "other")
MAX_PAYMENT = 10_000_000_000  # far above any month's dues; keeps bad files out of BIGINT range


# --- Recording payments ----------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentLookup:
    """Memberships by KPJ and the months they have paid, read once for one payment or a file."""

    memberships: dict[str, Membership]
    paid: frozenset[tuple[int, str]]


def payment_lookup(kpjs: Iterable[str]) -> PaymentLookup:
    """Two queries whatever the number of KPJs (a payment file checks every row with them)."""
    wanted = sorted({(k or "").strip() for k in kpjs} - {""})
    memberships = {
        m.kpj: m for m in db.session.scalars(select(Membership).where(Membership.kpj.in_(wanted)))
    }
    paid = db.session.execute(
        select(ContributionPayment.membership_id, ContributionPayment.period)
        .join(Membership, Membership.id == ContributionPayment.membership_id)
        .where(Membership.kpj.in_(wanted))
    )
    return PaymentLookup(memberships, frozenset((mid, period) for mid, period in paid))


def validate_payment(
    kpj: str,
    period: str,
    amount: int | None,
    paid_on: date | None,
    lookup: PaymentLookup | None = None,
) -> tuple[Membership, date]:
    """Check one payment; raises BpjsError(field=...) naming the first problem.

    A payment settles one whole month: the unique (membership, period) row marks the month
    paid, so an amount below the month's dues (`monthly_due`) is refused rather than leaving
    a month that looks paid but is not. More than the dues is accepted (the branch refunds or
    credits the difference outside the portal). `lookup` lets a file check all its rows
    with the same two queries.
    """
    kpj = (kpj or "").strip()
    lookup = lookup or payment_lookup([kpj])
    membership = lookup.memberships.get(kpj)
    if membership is None:
        raise BpjsError("kpj", _("No membership has KPJ %(kpj)s.", kpj=kpj))
    if is_funded(membership):
        raise BpjsError("kpj", _("This member's contributions are paid by the batch funder."))
    month = parse_period(period)
    if month is None:
        raise BpjsError("period", _("Give the month as YYYY-MM."))
    if month < month_start(membership.start_date):
        raise BpjsError("period", _("The membership started after this month."))
    if month > add_months(today_wib(), 12):
        raise BpjsError("period", _("Payments can be recorded at most 12 months ahead."))
    if amount is None or amount <= 0:
        raise BpjsError("amount", _("Give an amount above zero."))
    if amount > MAX_PAYMENT:
        raise BpjsError("amount", _("This amount is too large for one month."))
    due = monthly_due(membership, month)
    if amount < due:
        raise BpjsError(
            "amount",
            _(
                "The dues for %(period)s are %(due)s: record the full amount "
                "(a month cannot be paid in part).",
                period=period_key(month),
                due=format_rupiah(due),
            ),
        )
    if paid_on is None or paid_on > today_wib():
        raise BpjsError("paid_on", _("The payment date cannot be in the future."))
    if (membership.id, period_key(month)) in lookup.paid:
        raise BpjsError("period", _("%(period)s is already paid for this KPJ.", period=period))
    return membership, month


def record_payment(
    kpj: str, period: str, amount: int | None, paid_on: date | None, channel: str, actor: User
) -> str:
    """Record one month's payment for a membership and re-activate it if now paid up.

    The one-line form of `record_payments` (same checks, same audit). Who: BPJS officer or
    head. Raises BpjsError(field=…) for an unknown KPJ, a funded member, a bad month, a month
    already paid (also when another officer records it at the same moment: the unique
    constraint decides), an amount below the month's dues or a bad date; nothing is saved
    then. Returns the month recorded (YYYY-MM).
    """
    (row,) = record_payments([PaymentLine(None, kpj, period, amount, paid_on, channel)], actor)
    return row["period"]


@dataclass(frozen=True)
class PaymentLine:
    """One payment, already parsed; `line` is its line in a file (None: entered by hand)."""

    line: int | None
    kpj: str
    period: str
    amount: int | None
    paid_on: date | None
    channel: str


def record_payments(lines: list[PaymentLine], actor: User) -> list[dict]:
    """Record many payments at once (a payment file): all of them or none.

    Same rules as `record_payment`, with a fixed number of queries whatever the number of
    lines: every line is checked against one lookup, the payments and their audit events
    are inserted together, and the memberships they settle are brought up to date (a lapsed
    member paid up is active again). Who: BPJS officer or head. Raises BpjsError naming the
    first bad line (by its line in the file) or a month another officer recorded meanwhile;
    the caller rolls back. Returns the payment rows inserted.
    """
    lookup = payment_lookup(line.kpj for line in lines)
    rows: list[dict] = []
    settled: dict[int, Membership] = {}
    seen: set[tuple[int, str]] = set()
    for line in lines:
        try:
            membership, month = validate_payment(
                line.kpj, line.period, line.amount, line.paid_on, lookup
            )
            key = (membership.id, period_key(month))
            if key in seen:
                raise BpjsError(None, _("The same KPJ and month appear twice in this file."))
        except BpjsError as exc:
            if line.line is None:
                raise
            raise BpjsError(
                exc.field, _("Line %(line)d: %(why)s", line=line.line, why=exc.message)
            ) from None
        seen.add(key)
        settled[membership.id] = membership
        rows.append(
            {
                "membership_id": membership.id,
                "period": key[1],
                "amount": line.amount,
                "paid_on": line.paid_on,
                "channel": line.channel,
                "recorded_by_id": actor.id,
                "created_at": now(),
            }
        )
    try:
        with db.session.begin_nested():
            db.session.execute(insert(ContributionPayment.__table__), rows)  # one executemany
    except IntegrityError:
        if len(rows) == 1:
            raise BpjsError(
                "period", _("%(period)s is already paid for this KPJ.", period=rows[0]["period"])
            ) from None
        raise BpjsError(
            None,
            _(
                "Some of these months were recorded by someone else meanwhile. Check the file again."  # noqa: E501
            ),
        ) from None
    record_events(
        [
            (
                "contribution.paid",
                ("ContributionPayment", payment_id),
                {
                    "kpj": settled[row["membership_id"]].kpj,
                    "period": row["period"],
                    "amount": row["amount"],
                    "channel": row["channel"],
                },
            )
            for payment_id, row in zip(_payment_ids(rows), rows, strict=True)
        ]
    )
    _refresh_states(list(settled))
    return rows


def _payment_ids(rows: list[dict]) -> list[int]:
    """The ids of payments just inserted, in the order of `rows` (one query)."""
    found = {
        (membership_id, period): payment_id
        for payment_id, membership_id, period in db.session.execute(
            select(
                ContributionPayment.id,
                ContributionPayment.membership_id,
                ContributionPayment.period,
            ).where(
                ContributionPayment.membership_id.in_({r["membership_id"] for r in rows}),
                ContributionPayment.period.in_({r["period"] for r in rows}),
            )
        )
    }
    return [found[(r["membership_id"], r["period"])] for r in rows]


def _refresh_states(membership_ids: list[int]) -> None:
    """Bring these memberships' states up to date with a fixed number of queries."""
    today, grace_days = today_wib(), setting_int("membership_grace_days", 30)
    memberships = db.session.scalars(
        select(Membership)
        .where(Membership.id.in_(membership_ids))
        .options(
            joinedload(Membership.employment).load_only(Employment.end_date),
            joinedload(Membership.funded_batch),
        )
    ).all()
    paid = payments_by_membership(membership_ids)
    events: list = []
    try:
        for membership in memberships:
            refresh_state(membership, paid[membership.id], today, grace_days, events=events)
        db.session.flush()
    except StaleDataError:
        raise BpjsError(
            None, _("This membership was changed by someone else. Try again.")
        ) from None
    record_events(events)


# --- Lapsing and ending ----------------------------------------------------------------------


def _set_state(membership: Membership, state: str, events: list | None, **changes) -> None:
    """Change the state and audit it, at once or (`events` given) collected for
    `record_events`."""
    before = membership.state
    membership.state = state
    for key, value in changes.items():
        setattr(membership, key, value)
    event = (
        f"membership.{state}",
        membership,
        {"kpj": membership.kpj, "before": before, "after": state, **changes},
    )
    if events is None:
        record_event(*event)
    else:
        events.append(event)


def refresh_state(
    membership: Membership,
    paid: dict[str, ContributionPayment] | None = None,
    today: date | None = None,
    grace_days: int | None = None,
    events: list | None = None,
) -> bool:
    """Bring one membership's state in line with the rules above. Returns True if changed.

    Who: the sweep and services that record payments. Writes an audit event per change, or
    appends it to `events` for the caller to write in bulk (`audit.record_events`).
    """
    today = today or today_wib()
    if membership.state == MembershipState.ENDED:
        return False
    employment = membership.employment
    if employment is not None and employment.end_date is not None and employment.end_date < today:
        end = max(employment.end_date, membership.start_date)
        _set_state(membership, MembershipState.ENDED.value, events, end_date=end)
        return True
    batch = membership.funded_batch
    if batch is not None:
        if batch.period_end < today:
            _set_state(membership, MembershipState.ENDED.value, events, end_date=batch.period_end)
            return True
        return False
    if membership.is_employer_paid:
        # The employer's arrears never take the worker's protection (PP 44/2015 jo. PP 82/2019).
        should_lapse = False
    else:
        if grace_days is None:
            grace_days = setting_int("membership_grace_days", 30)
        if paid is None:
            paid = payments_by_membership([membership.id])[membership.id]
        lapses_on = lapse_due(schedule(membership, paid, today), today, grace_days)
        should_lapse = lapses_on is not None and lapses_on < today
    if should_lapse and membership.state == MembershipState.ACTIVE:
        _set_state(membership, MembershipState.LAPSED.value, events, lapsed_at=today)
        return True
    if not should_lapse and membership.state == MembershipState.LAPSED:
        _set_state(membership, MembershipState.ACTIVE.value, events, lapsed_at=None)
        return True
    return False


SWEEP_ATTEMPTS = 3


def _sweep_chunk(after_id: int, chunk: int, today: date, grace_days: int) -> tuple[int, dict]:
    """One chunk of memberships in a savepoint: (last id read or 0 when done, changes)."""
    batch = list(
        db.session.scalars(
            select(Membership)
            .where(Membership.state != MembershipState.ENDED.value, Membership.id > after_id)
            .options(
                joinedload(Membership.employment).load_only(Employment.end_date),
                joinedload(Membership.funded_batch),
            )
            .order_by(Membership.id)
            .limit(chunk)
        )
    )
    if not batch:
        return 0, {}
    changes: dict[str, int] = defaultdict(int)
    paid = payments_by_membership(m.id for m in batch)
    with db.session.begin_nested():
        for membership in batch:
            if refresh_state(membership, paid[membership.id], today, grace_days):
                changes[membership.state] += 1
    return batch[-1].id, changes


def sweep(today: date | None = None, chunk: int = 500, *, commit: bool = False) -> dict[str, int]:
    """Lapse, re-activate and end memberships by the rules above (idempotent).

    Who: `flask membership-sweep` (cron), with commit=True so each chunk is committed and its
    row locks released. A membership an officer changes while its chunk is being swept makes
    that chunk's savepoint stale: the chunk is rolled back and read again (at most
    SWEEP_ATTEMPTS times), so the sweep never overwrites the officer's change nor stops.
    Returns counts of changes by new state.
    """
    today = today or today_wib()
    grace_days = setting_int("membership_grace_days", 30)
    counts = {"lapsed": 0, "active": 0, "ended": 0}
    last_id = 0
    while True:
        for attempt in range(1, SWEEP_ATTEMPTS + 1):
            try:
                next_id, changes = _sweep_chunk(last_id, chunk, today, grace_days)
                break
            except StaleDataError:
                if attempt == SWEEP_ATTEMPTS:
                    raise
        if not next_id:
            break
        last_id = next_id
        for state, number in changes.items():
            counts[state] += number
        if commit:
            db.session.commit()
    return counts
