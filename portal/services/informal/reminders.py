"""Staying covered: the daily reminders to BPU members and the funded batches' end.

The dues calendar (one place): a self-paid member owes each month's dues by the 15th of the
same month, moved to the next working day (`membership.dues.due_date_for`). The sweep tells
him, once each:
- `dues_due`: from `dues_reminder_days` (setting, 3) days before the due date while the
  month is unpaid;
- `dues_missed`: the day after the due date when the month is still unpaid;
- `lapse_warning`: from `lapse_warning_days` (setting, 7) days before the membership would
  lapse (`membership.dues.lapse_due`, the grace period after the oldest unpaid month);
- `batch_ending`: a funded member whose batch ends within `batch_end_notice_days`
  (setting, 30) — with his agent — and the one-step choice to continue self-paid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...domain.clock import today_wib
from ...domain.money import format_rupiah
from ...extensions import db
from ...models import FundedBatch, Membership, MembershipState
from ..membership.common import period_key, running_self_paid
from ..membership.dues import lapse_due, lowest_bpu_dues, payments_by_membership, schedule
from ..notifications.members import notify_member, recipients_of
from ..reference.lookups import setting_int


@dataclass(frozen=True)
class Reminder:
    kind: str
    key: str
    message: str


def reminder_for(membership: Membership, rows, today: date, *, ahead: int, warn: int, grace: int):
    """The reminder this membership is due today (or None): pure, from its dues schedule."""
    if not rows:
        return None
    lapses = lapse_due(rows, today, grace)
    if (
        lapses is not None
        and membership.state == MembershipState.ACTIVE
        and lapses - today <= timedelta(days=warn)
    ):
        return Reminder(
            "lapse_warning",
            f"lapse:{membership.id}:{lapses.isoformat()}",
            _(
                "Your BPJS Ketenagakerjaan membership %(kpj)s lapses on %(day)s: pay the "
                "unpaid months before then to stay covered.",
                kpj=membership.kpj,
                day=lapses.strftime("%d-%m-%Y"),
            ),
        )
    current = rows[0]
    if current.paid is not None or current.amount <= 0:
        return None
    dues = {
        "amount": format_rupiah(current.amount),
        "month": current.period,
        "day": current.due.strftime("%d-%m-%Y"),
    }
    key = f"{membership.id}:{current.period}"
    if today > current.due:
        return Reminder(
            "dues_missed",
            f"missed:{key}",
            _("Dues of %(amount)s for %(month)s were due on %(day)s and are not paid yet.", **dues),
        )
    if current.due - today <= timedelta(days=ahead):
        return Reminder(
            "dues_due",
            f"due:{key}",
            _("Reminder: dues of %(amount)s for %(month)s are due by %(day)s.", **dues),
        )
    return None


def send_member_reminders(today: date | None = None, chunk: int = 500) -> dict[str, int]:
    """Remind every self-paid member on his own account (BPU) who needs it today.

    Runs in chunks of memberships (a fixed number of queries per chunk). The caller commits.
    """
    today = today or today_wib()
    ahead = setting_int("dues_reminder_days", 3)
    warn = setting_int("lapse_warning_days", 7)
    grace = setting_int("membership_grace_days", 30)
    counts = {"dues_due": 0, "dues_missed": 0, "lapse_warning": 0}
    after = 0
    while True:
        batch = list(
            db.session.scalars(
                select(Membership)
                .where(Membership.id > after, running_self_paid())
                .options(joinedload(Membership.worker))
                .order_by(Membership.id)
                .limit(chunk)
            )
        )
        if not batch:
            return counts
        after = batch[-1].id
        paid = payments_by_membership(m.id for m in batch)
        accounts, agents = recipients_of(batch)
        for membership in batch:
            reminder = reminder_for(
                membership,
                schedule(membership, paid[membership.id], today),
                today,
                ahead=ahead,
                warn=warn,
                grace=grace,
            )
            if reminder is None:
                continue
            sent = notify_member(
                membership.worker,
                membership,
                reminder.kind,
                reminder.message,
                dedupe_key=reminder.key,
                account=accounts.get(membership.worker_id),
                agent=agents.get(membership.worker_id),
            )
            counts[reminder.kind] += sent is not None


def batches_ending(today: date | None = None) -> list[FundedBatch]:
    """Funded batches that end within the notice period and were not renewed."""
    today = today or today_wib()
    days = setting_int("batch_end_notice_days", 30)
    renewed = select(FundedBatch.renewed_from_id).where(FundedBatch.renewed_from_id.is_not(None))
    return list(
        db.session.scalars(
            select(FundedBatch)
            .where(
                FundedBatch.period_end >= today,
                FundedBatch.period_end <= today + timedelta(days=days),
                FundedBatch.id.not_in(renewed),
            )
            .order_by(FundedBatch.period_end)
        )
    )


def send_batch_end_notices(today: date | None = None) -> int:
    """Tell each member of an ending batch (and his agent) how to continue self-paid."""
    sent = 0
    lowest = lowest_bpu_dues(today)
    for batch in batches_ending(today):
        members = list(
            db.session.scalars(
                select(Membership)
                .where(
                    Membership.funded_batch_id == batch.id,
                    Membership.state != MembershipState.ENDED.value,
                )
                .options(joinedload(Membership.worker))
            )
        )
        accounts, agents = recipients_of(members)
        for membership in members:
            notice = notify_member(
                membership.worker,
                membership,
                "batch_ending",
                _(
                    "The %(batch)s ends on %(day)s and stops paying your BPJS Ketenagakerjaan "
                    "dues. Continue paying yourself from %(month)s (from %(amount)s a month) to "
                    "stay covered without a gap.",
                    batch=batch.name,
                    day=batch.period_end.strftime("%d-%m-%Y"),
                    month=period_key(batch.period_end + timedelta(days=1)),
                    amount=format_rupiah(lowest),
                ),
                dedupe_key=f"batch-end:{batch.id}:{membership.id}",
                link="/worker/",
                account=accounts.get(membership.worker_id),
                agent=agents.get(membership.worker_id),
            )
            sent += notice is not None
    return sent
