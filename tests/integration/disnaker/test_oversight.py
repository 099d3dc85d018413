"""Labour-office oversight: every complaint with its SLA state, agency figures, overdue list."""

from __future__ import annotations

from datetime import UTC, date, datetime

from portal.extensions import db
from portal.services.complaints.oversight import agency_performance
from tests.factories_complaints import ComplaintFactory, OpenComplaintFactory


def _resolved(agency_code, start, due, resolved_day, paused=0):
    return OpenComplaintFactory(
        agency_code=agency_code,
        state="closed",
        sla_started_on=start,
        sla_due=due,
        paused_working_days=paused,
        resolved_at=datetime(
            resolved_day.year, resolved_day.month, resolved_day.day, 3, tzinfo=UTC
        ),
    )


def test_on_time_rate_and_median_working_days_per_agency(app):
    # BPJS: 2, 5 (on time, due 9 March) and 8 working days (late).
    _resolved("bpjs", date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 4))
    _resolved("bpjs", date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 9))
    _resolved("bpjs", date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 12))
    # Trade office: 3 working days of which 2 paused → 1 day of its own time.
    _resolved("disperindagkop", date(2026, 3, 2), date(2026, 3, 11), date(2026, 3, 5), paused=2)
    # Outside the period: ignored.
    _resolved("bpjs", date(2026, 1, 5), date(2026, 1, 12), date(2026, 1, 20))
    db.session.commit()
    rows = {r.agency.code: r for r in agency_performance(date(2026, 3, 1), date(2026, 3, 31))}
    assert (rows["bpjs"].resolved, rows["bpjs"].on_time, rows["bpjs"].median_days) == (3, 2, 5)
    assert rows["bpjs"].on_time_rate == 66.7
    assert (rows["disperindagkop"].resolved, rows["disperindagkop"].median_days) == (1, 1)
    assert rows["disnaker"].resolved == 0 and rows["disnaker"].on_time_rate is None


def test_performance_page_for_a_chosen_period(client, staff, switch_to):
    _resolved("bpjs", date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 4))
    db.session.commit()
    switch_to(staff["labour_officer"])
    body = client.get("/disnaker/performance?start=2026-03-01&end=2026-03-31").get_data(
        as_text=True
    )
    assert "100.0 %" in body
    bad = client.get("/disnaker/performance?start=2026-04-01&end=2026-03-01")
    assert bad.status_code == 400


def test_oversight_lists_every_agency_with_filters(client, staff, switch_to):
    bpjs = OpenComplaintFactory(subject="Keluhan BPJS lama")
    trade = ComplaintFactory(agency_code="disperindagkop", subject="Keluhan dagang baru")
    db.session.commit()
    switch_to(staff["labour_officer"])
    body = client.get("/disnaker/oversight").get_data(as_text=True)
    assert bpjs.tracking_code in body and trade.tracking_code in body
    body = client.get("/disnaker/oversight?agency=disperindagkop").get_data(as_text=True)
    assert trade.tracking_code in body and bpjs.tracking_code not in body
    body = client.get("/disnaker/oversight?sla=overdue").get_data(as_text=True)
    assert bpjs.tracking_code in body and trade.tracking_code not in body


def test_overdue_list_holds_running_overdue_complaints_only(client, staff, switch_to):
    from portal.models._common import utcnow

    late = OpenComplaintFactory()  # due March 2026
    paused = OpenComplaintFactory(state="waiting_reporter", paused_since=utcnow())
    db.session.commit()
    switch_to(staff["labour_head"])
    body = client.get("/disnaker/overdue").get_data(as_text=True)
    assert late.tracking_code in body and paused.tracking_code not in body
    assert client.get("/disnaker/").status_code == 200


def test_other_agencies_cannot_open_oversight(client, staff, switch_to):
    switch_to(staff["bpjs_head"])
    for url in ("/disnaker/", "/disnaker/oversight", "/disnaker/overdue", "/disnaker/performance"):
        assert client.get(url).status_code == 403


def test_oversight_pages_run_a_fixed_number_of_queries(client, staff, switch_to, count_queries):
    switch_to(staff["labour_officer"])

    def measure():
        counts = []
        for url in (
            "/disnaker/oversight",
            "/disnaker/overdue",
            "/disnaker/performance",
            "/disnaker/",
        ):
            db.session.expire_all()
            with count_queries() as counter:
                assert client.get(url).status_code == 200
            counts.append(counter.count)
        return counts

    OpenComplaintFactory()
    db.session.commit()
    few = measure()
    for i in range(15):
        OpenComplaintFactory(agency_code=("bpjs", "disperindagkop")[i % 2])
        _resolved("bpjs", date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 4 + i % 5))
    db.session.commit()
    assert measure() == few
    print(f"oversight, overdue, performance, index: {few} queries")


def test_oversight_export_follows_the_filters_and_hides_the_reporter(client, staff, switch_to):
    bpjs = OpenComplaintFactory(reporter_name="Nama Rahasia")
    trade = ComplaintFactory(agency_code="disperindagkop")
    db.session.commit()
    switch_to(staff["labour_officer"])
    page = client.get("/disnaker/oversight?agency=bpjs&fmt=evil").get_data(as_text=True)
    assert "/disnaker/oversight/export?fmt=csv&amp;agency=bpjs" in page
    response = client.get("/disnaker/oversight/export?fmt=csv&agency=bpjs")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    body = response.get_data(as_text=True)
    assert bpjs.tracking_code in body and trade.tracking_code not in body
    assert "Nama Rahasia" not in body and "081298765432" not in body
    xlsx = client.get("/disnaker/oversight/export?fmt=xlsx")
    assert xlsx.data.startswith(b"PK")
    switch_to(staff["bpjs_head"])
    assert client.get("/disnaker/oversight/export").status_code == 403


def test_on_time_rate_counts_an_open_complaint_past_its_deadline_as_late(app):
    from portal.services.complaints.performance import service_report
    from portal.services.coverage.periods import Month

    # Resolved on time, and one still open 7+ working days after its 9 March deadline: the
    # rate is 1 of 2, not the 100% of the resolved ones alone.
    _resolved("bpjs", date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 4))
    OpenComplaintFactory()
    db.session.commit()
    rows = {r.agency.code: r for r in agency_performance(date(2026, 3, 1), date(2026, 3, 31))}
    assert (rows["bpjs"].resolved, rows["bpjs"].open_late) == (1, 1)
    assert rows["bpjs"].on_time_rate == 50.0
    report = service_report([Month(2026, 3)])
    assert (report.totals.resolved, report.totals.on_time, report.totals.open_late) == (1, 1, 1)
    assert report.on_time_pct == 50.0
