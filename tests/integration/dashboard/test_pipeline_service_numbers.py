"""Pipeline, service and funded-batch figures on small hand-computed datasets."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from portal.domain.clock import today_wib
from portal.extensions import db
from portal.services.complaints.performance import service_report
from portal.services.coverage.periods import Month, window
from portal.services.coverage.pipeline import pipeline_report
from portal.services.funded_batches.report import BatchFilter, batch_page, renewals_due_count
from tests.factories import BusinessFactory, WorkerFactory
from tests.factories_dashboard import (
    BatchFactory,
    BatchMemberFactory,
    ComplaintFactory,
    OutreachFactory,
    ReferralFactory,
    ReprimandFactory,
    RequestFactory,
    wib_noon,
)

FEB_MAR = window(Month(2026, 3), 2)


def request(submitted: date, state: str, decided: date | None = None, **kw):
    return RequestFactory(
        submitted_at=wib_noon(submitted),
        state=state,
        decided_at=wib_noon(decided) if decided else None,
        **kw,
    )


@pytest.fixture
def requests(app):
    request(date(2026, 3, 2), "enrolled", date(2026, 3, 5))  # 3 working days
    request(date(2026, 3, 3), "enrolled", date(2026, 3, 10))  # 5 working days
    request(date(2026, 2, 26), "returned", date(2026, 3, 2))
    request(date(2026, 3, 4), "rejected", date(2026, 3, 6))
    request(date(2026, 3, 9), "submitted")
    request(date(2026, 1, 15), "enrolled", date(2026, 1, 20))  # outside the window
    db.session.commit()


def test_pipeline_counts_per_month(requests):
    report = pipeline_report(FEB_MAR)
    feb, mar = report.months
    assert (feb.submitted, feb.enrolled, feb.returned, feb.rejected) == (1, 0, 0, 0)
    assert (mar.submitted, mar.enrolled, mar.returned, mar.rejected) == (4, 2, 1, 1)


def test_median_working_days_to_enrol(requests):
    report = pipeline_report(FEB_MAR)
    assert report.months[1].median_days == 4  # median of 3 and 5
    assert report.months[0].median_days is None
    assert report.median_days == 4


def test_pipeline_kecamatan_filter_uses_the_workers_kelurahan(app):
    barat = WorkerFactory(kelurahan_code="61.72.02.1001")
    request(date(2026, 3, 2), "submitted", worker=barat)
    request(date(2026, 3, 2), "submitted", worker=WorkerFactory(kelurahan_code="61.72.01.1001"))
    db.session.commit()
    assert pipeline_report(FEB_MAR, "61.72.02").total("submitted") == 1
    assert pipeline_report(FEB_MAR).total("submitted") == 2


def test_trade_funnel_and_referrals_sit_beside_the_pipeline(app):
    business = BusinessFactory(kelurahan_code="61.72.01.1001")
    event = OutreachFactory(held_on=date(2026, 3, 4))
    event.businesses.append(business)
    ReferralFactory(business=business, state="registered", workers_enrolled=3)
    ReferralFactory(state="declined")
    ReferralFactory(state="open", created_at=wib_noon(date(2025, 12, 1)))  # before the window
    db.session.commit()
    report = pipeline_report(FEB_MAR)
    assert report.funnel_totals["reached"] == 1
    assert (report.referrals.total, report.referrals.registered) == (2, 1)
    assert (report.referrals.declined, report.referrals.workers_enrolled) == (1, 3)


def resolved(day: date, hour_wib: int) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(hours=hour_wib - 7)


@pytest.fixture
def complaints(app):
    ComplaintFactory(state="resolved", resolved_at=resolved(date(2026, 3, 6), 10))  # on time
    ComplaintFactory(
        submitted_at=wib_noon(date(2026, 3, 3)),
        sla_due=date(2026, 3, 10),
        state="resolved",
        resolved_at=resolved(date(2026, 3, 12), 10),
    )  # late
    ComplaintFactory(
        category_code="information",
        submitted_at=wib_noon(date(2026, 3, 4)),
        sla_due=date(2026, 3, 6),
        state="in_progress",
    )  # open and overdue
    from tests.factories import agency

    ComplaintFactory(
        agency_id=agency("disnaker").id,
        category_code="other",
        submitted_at=wib_noon(date(2026, 2, 10)),
        sla_due=date(2026, 2, 28),
        state="assigned",
    )  # received before the window, still overdue today
    ComplaintFactory(
        submitted_at=wib_noon(date(2026, 3, 5)),
        sla_due=date(2026, 3, 9),
        state="closed",
        resolved_at=resolved(date(2026, 3, 10), 2),  # 9 Mar 19:00 UTC is 10 Mar in WIB: late
    )
    ReprimandFactory(
        state="closed",
        responded_at=wib_noon(date(2026, 3, 10)),
        closed_at=wib_noon(date(2026, 3, 12)),
    )
    ReprimandFactory(issued_at=wib_noon(date(2026, 3, 6)), state="issued")  # past deadline
    ReprimandFactory(issued_at=wib_noon(date(2026, 2, 1)), state="issued")
    db.session.commit()


def test_complaints_per_agency_and_category_with_on_time_rate(complaints):
    report = service_report(window(Month(2026, 3), 1), "en")
    rows = {(r.agency, r.category): r for r in report.complaints}
    contribution = rows[("BPJS Ketenagakerjaan", "Contribution or payment")]
    assert (contribution.received, contribution.resolved, contribution.on_time) == (3, 3, 1)
    assert rows[("BPJS Ketenagakerjaan", "Information request")].open_overdue == 1
    assert rows[("Disnaker", "Other")].received == 0
    assert rows[("Disnaker", "Other")].open_overdue == 1
    assert (report.totals.received, report.totals.open_overdue) == (4, 2)
    # 1 on time of 3 resolved + 1 received in March still open past its deadline (issue 13).
    assert report.totals.open_late == 1
    assert report.on_time_pct == pytest.approx(100 / 4)


def test_reprimands_issued_answered_and_closed(complaints):
    report = service_report(window(Month(2026, 3), 1), "en")
    (bpjs,) = report.reprimands
    assert (bpjs.issued, bpjs.answered, bpjs.closed, bpjs.open_overdue) == (2, 1, 1, 1)


def test_funded_batch_members_budget_used_and_renewals(app):
    ended = BatchFactory(period_start=date(2026, 1, 1), period_end=date(2026, 5, 31))
    BatchMemberFactory.create_batch(2, batch=ended)
    soon = today_wib() + timedelta(days=10)
    due = BatchFactory(name="Due", period_start=date(2026, 1, 1), period_end=soon)
    renewed = BatchFactory(name="Renewed", period_start=date(2026, 1, 1), period_end=soon)
    BatchFactory(
        name="Renewal",
        renewed_from_id=renewed.id,
        period_start=soon,
        period_end=soon + timedelta(days=150),
    )
    db.session.commit()

    _, rows = batch_page(1)
    by_name = {r.batch.name: r for r in rows}
    first = by_name[ended.name]
    assert (first.members, first.active) == (2, 0)
    assert first.used == 2 * 5 * 16_800  # two members, Jan–May
    assert first.remaining == first.batch.budget - 168_000
    assert by_name["Due"].renewal_due and not by_name["Renewed"].renewal_due
    assert renewals_due_count() == 1
    _, due_rows = batch_page(1, flt=BatchFilter(due_only=True))
    assert [r.batch.id for r in due_rows] == [due.id]


def test_budget_used_in_sql_agrees_with_the_bpjs_area_rule(app):
    from portal.services.funded_batches.batches import figures_for
    from portal.services.funded_batches.report import member_figures

    today = today_wib()
    batch = BatchFactory(period_start=date(2025, 11, 1), period_end=today + timedelta(days=90))
    BatchMemberFactory(batch=batch, start_date=date(2025, 11, 1), end_date=batch.period_end)
    BatchMemberFactory(batch=batch, start_date=date(2025, 12, 20), end_date=date(2026, 2, 3))
    BatchMemberFactory(batch=batch, start_date=today + timedelta(days=5), end_date=batch.period_end)
    other = BatchFactory(monthly_premium=36_800)
    BatchMemberFactory(batch=other)
    db.session.commit()
    ids = [batch.id, other.id]
    ours, theirs = member_figures(ids, today), figures_for(ids, today)
    for batch_id in ids:
        assert ours[batch_id][0] == theirs[batch_id].members
        assert ours[batch_id][2] == theirs[batch_id].used
