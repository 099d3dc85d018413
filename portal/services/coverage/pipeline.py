"""Enrolment pipeline per month, the median working days to enrol, the trade office's funnel.

Counting rules:
- submitted: requests whose `submitted_at` falls in the month (WIB);
- enrolled / returned / rejected: requests now in that state whose `decided_at` falls in the
  month (a returned request that was corrected and enrolled later counts as enrolled);
- working days to enrol: working days after the submission date up to the decision date
  (portal.domain.calendar), for requests enrolled in the month; the median is shown.
The trade office's funnel beside it comes from portal.services.outreach.funnel (its owner's
definition); referrals to BPJS are counted here by their state.
Each figure is one grouped query whatever the number of requests.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select

from ...extensions import db
from ...models import Business, EnrolmentRequest, Referral, ReferralState, Region, Worker
from ..outreach.funnel import FunnelRow, funnel_totals, outreach_funnel
from ..reference.lookups import working_calendar
from .periods import Month, as_date, instant_bucket, weighted_median, wib_date

DECIDED = ("enrolled", "returned", "rejected")


@dataclass
class PipelineMonth:
    month: Month
    submitted: int = 0
    enrolled: int = 0
    returned: int = 0
    rejected: int = 0
    median_days: float | None = None


@dataclass
class Referrals:
    """The trade office's referrals to BPJS created in the window, by outcome."""

    total: int = 0
    registered: int = 0
    declined: int = 0
    workers_enrolled: int = 0


@dataclass
class Pipeline:
    months: list[PipelineMonth]
    median_days: float | None
    funnel: list[FunnelRow]  # the trade office's own funnel (portal.services.outreach.funnel)
    referrals: Referrals

    @property
    def funnel_totals(self) -> dict[str, int]:
        return funnel_totals(self.funnel)

    def total(self, name: str) -> int:
        return sum(getattr(m, name) for m in self.months)


def _counts(months: list[Month], kecamatan: str | None):
    sub_b = instant_bucket(EnrolmentRequest.submitted_at, months).label("sub_b")
    dec_b = instant_bucket(EnrolmentRequest.decided_at, months).label("dec_b")
    inner = select(sub_b, dec_b, EnrolmentRequest.state.label("state"))
    inner = _in_area(inner, kecamatan).subquery()
    stmt = select(inner.c.sub_b, inner.c.dec_b, inner.c.state, func.count()).group_by(
        inner.c.sub_b, inner.c.dec_b, inner.c.state
    )
    return db.session.execute(stmt).all()


def _in_area(stmt, kecamatan: str | None):
    """Requests of workers living in a kecamatan (through the worker's kelurahan)."""
    if not kecamatan:
        return stmt
    return (
        stmt.join(Worker, Worker.id == EnrolmentRequest.worker_id)
        .join(Region, Region.code == Worker.kelurahan_code)
        .where(Region.parent_code == kecamatan)
    )


def _enrol_days(months: list[Month], kecamatan: str | None):
    """(month bucket, submitted date, decided date, count) for enrolled requests."""
    dec_b = instant_bucket(EnrolmentRequest.decided_at, months).label("dec_b")
    inner = select(
        dec_b,
        wib_date(EnrolmentRequest.submitted_at).label("sub_d"),
        wib_date(EnrolmentRequest.decided_at).label("dec_d"),
    ).where(
        EnrolmentRequest.state == "enrolled",
        EnrolmentRequest.submitted_at.is_not(None),
        EnrolmentRequest.decided_at >= months[0].start_utc,
        EnrolmentRequest.decided_at < months[-1].shift(1).start_utc,
    )
    inner = _in_area(inner, kecamatan).subquery()
    cols = [inner.c.dec_b, inner.c.sub_d, inner.c.dec_d]
    return db.session.execute(select(*cols, func.count()).group_by(*cols)).all()


def referrals(months: list[Month], kecamatan: str | None) -> Referrals:
    """Referrals created in the window by state (one grouped query)."""
    stmt = (
        select(Referral.state, func.count(), func.sum(Referral.workers_enrolled))
        .where(Referral.created_at >= months[0].start_utc)
        .where(Referral.created_at < months[-1].shift(1).start_utc)
        .where(Referral.state != ReferralState.WITHDRAWN)  # a letter taken back never stood
        .group_by(Referral.state)
    )
    if kecamatan:
        stmt = (
            stmt.join(Business, Business.id == Referral.business_id)
            .join(Region, Region.code == Business.kelurahan_code)
            .where(Region.parent_code == kecamatan)
        )
    by_state = {state: (n, workers or 0) for state, n, workers in db.session.execute(stmt)}
    return Referrals(
        total=sum(n for n, _ in by_state.values()),
        registered=by_state.get("registered", (0, 0))[0],
        declined=by_state.get("declined", (0, 0))[0],
        workers_enrolled=by_state.get("registered", (0, 0))[1],
    )


def pipeline_report(months: list[Month], kecamatan: str | None = None) -> Pipeline:
    """The enrolment pipeline for `months` (read-only; kecamatan checked by the caller)."""
    rows = [PipelineMonth(m) for m in months]
    for sub_b, dec_b, state, n in _counts(months, kecamatan):
        if sub_b is not None:
            rows[sub_b].submitted += n
        if dec_b is not None and state in DECIDED:
            setattr(rows[dec_b], state, getattr(rows[dec_b], state) + n)

    calendar = working_calendar()
    per_month: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for dec_b, sub_d, dec_d, n in _enrol_days(months, kecamatan):
        if dec_b is None:
            continue
        days = calendar.working_days_between(as_date(sub_d), as_date(dec_d))
        per_month[dec_b].append((days, n))
    for index, pairs in per_month.items():
        rows[index].median_days = weighted_median(pairs)
    everything = [pair for pairs in per_month.values() for pair in pairs]
    funnel = outreach_funnel(months[0].first_day, months[-1].last_day, kecamatan)
    return Pipeline(rows, weighted_median(everything), funnel, referrals(months, kecamatan))
