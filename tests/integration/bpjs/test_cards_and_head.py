"""Member card PDF, the head's view, the landing page, and the working-day deadlines."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, DayOff
from portal.services.enrolment.reports import _percentile, head_figures
from portal.services.reference.lookups import working_calendar
from tests.factories import EmploymentFactory, UserFactory
from tests.factories_bpjs import EnrolmentRequestFactory, FundedBatchFactory, MembershipFactory
from tests.pdf_text import pdf_text


def test_bpjs_downloads_a_member_card_pdf(client, officer):
    m = MembershipFactory()
    db.session.commit()
    response = client.get(f"/bpjs/memberships/{m.id}/card.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "membership.card_downloaded")
    )


def _pdf_strings(data: bytes) -> list[str]:
    """What each text operator of the PDF shows, one string each."""
    return pdf_text(data).split("\n")


def test_member_card_shows_name_kpj_programmes_start_and_funding(client, officer):
    self_paid = MembershipFactory(
        category="BPU",
        funding_source="self",
        monthly_amount=1_000_000,
        with_jht=True,
        with_jp=False,
        start_date=date(2026, 3, 2),
    )
    self_paid.worker.full_name = "Siti (Ani) Rahmawati"
    batch = FundedBatchFactory(name="Program Perlindungan Pekerja Rentan")
    funded = MembershipFactory(
        employment=None,
        business=None,
        worker=EmploymentFactory().worker,
        category="rentan",
        funding_source="apbd",
        funded_batch=batch,
        monthly_amount=1_000_000,
        with_jht=False,
        with_jp=False,
        start_date=date(2025, 12, 15),
        end_date=date(2026, 12, 31),
    )
    db.session.commit()

    texts = _pdf_strings(client.get(f"/bpjs/memberships/{self_paid.id}/card.pdf").data)
    assert "Siti (Ani) Rahmawati" in texts
    assert self_paid.kpj in texts
    assert "JKK, JKM, JHT" in texts
    assert "02 Mar 2026" in texts
    assert "Mandiri" in texts  # funding, in Indonesian like every label
    assert {"Kartu peserta", "Program", "Peserta sejak", "Pendanaan"} <= set(texts)

    texts = _pdf_strings(client.get(f"/bpjs/memberships/{funded.id}/card.pdf").data)
    assert funded.worker.full_name in texts and funded.kpj in texts
    assert "JKK, JKM" in texts and "15 Des 2025" in texts and "31 Des 2026" in texts
    assert "APBD" in texts and "Program Perlindungan Pekerja Rentan" in texts

    # The card follows the user's language.
    english = _pdf_strings(client.get(f"/bpjs/memberships/{self_paid.id}/card.pdf?lang=en").data)
    assert {"Member card", "Programmes", "Member since", "Funding", "Self"} <= set(english)


def test_unknown_membership_card_is_404(client, officer):
    assert client.get("/bpjs/memberships/999/card.pdf").status_code == 404


def test_percentile_is_nearest_rank():
    assert _percentile(list(range(1, 11)), 90) == 9.0
    assert _percentile([4], 90) == 4.0
    assert _percentile([], 90) is None


def _decided(officer, submitted: date, decided: date):
    at = datetime(submitted.year, submitted.month, submitted.day, 3, tzinfo=UTC)
    done = datetime(decided.year, decided.month, decided.day, 3, tzinfo=UTC)
    return EnrolmentRequestFactory(
        state="enrolled",
        kpj=None,
        submitted_at=at,
        decided_at=done,
        decided_by=officer,
        assignee=officer,
    )


def test_head_figures_count_working_days_load_and_overdue(app):
    officer = UserFactory(role="bpjs_officer", name="Ani")
    today = date.today()
    monday = today - timedelta(days=today.weekday() + 14)  # a Monday two weeks ago
    _decided(officer, monday, monday + timedelta(days=7))  # next Monday: 5 working days
    _decided(officer, monday, monday + timedelta(days=1))  # 1 working day
    EnrolmentRequestFactory(state="in_review", assignee=officer, sla_due=today - timedelta(days=1))
    EnrolmentRequestFactory()
    db.session.flush()
    figures = head_figures(today)
    ani = next(o for o in figures.officers if o.officer.id == officer.id)
    assert (ani.in_review, ani.overdue, ani.decided) == (1, 1, 2)
    assert figures.unclaimed == 1 and figures.overdue == 1
    cal = working_calendar()
    expected = sorted(cal.working_days_between(monday, monday + timedelta(days=n)) for n in (7, 1))
    assert sorted(ani.days) == expected
    assert ani.median == sum(expected) / 2


def test_head_page_is_for_the_head_only_and_runs_fixed_queries(client, login_as, count_queries):
    login_as("bpjs_head")
    officer = UserFactory(role="bpjs_officer")
    _decided(officer, date.today() - timedelta(days=10), date.today() - timedelta(days=3))
    db.session.commit()
    with count_queries() as few:
        assert client.get("/bpjs/head").status_code == 200
    for i in range(8):
        _decided(officer, date.today() - timedelta(days=20), date.today() - timedelta(days=i))
        EnrolmentRequestFactory(sla_due=date.today() - timedelta(days=1))
    db.session.commit()
    with count_queries() as many:
        assert client.get("/bpjs/head").status_code == 200
    assert few.count == many.count


def test_officer_cannot_open_the_head_view(client, officer):
    assert client.get("/bpjs/head").status_code == 403


def test_landing_page_counts(client, officer):
    EnrolmentRequestFactory(sla_due=date.today() - timedelta(days=1))
    db.session.commit()
    assert client.get("/bpjs/").status_code == 200


def test_admin_added_day_off_moves_a_deadline_computed_by_the_services(app):
    """The working calendar from reference data (services.reference) sees admin days off."""
    from flask import g

    from portal.services.reference.lookups import working_calendar

    # Monday 9 Nov 2026 + 1 working day = Tuesday 10 Nov, unless an admin adds a day off.
    assert working_calendar().add_working_days(date(2026, 11, 9), 1) == date(2026, 11, 10)
    db.session.add(DayOff(day=date(2026, 11, 10), kind="cuti_bersama", description="Cuti"))
    db.session.flush()
    g.pop("_working_calendar", None)
    assert working_calendar().add_working_days(date(2026, 11, 9), 1) == date(2026, 11, 11)


def test_head_reassigns_an_overdue_request_from_the_head_view(client, login_as):
    login_as("bpjs_head")
    holder = UserFactory(role="bpjs_officer")
    target = UserFactory(role="bpjs_officer", name="Budi Pengganti")
    req = EnrolmentRequestFactory(
        state="in_review", assignee=holder, sla_due=date.today() - timedelta(days=2)
    )
    db.session.commit()
    page = client.get("/bpjs/head").get_data(as_text=True)
    assert "Budi Pengganti" in page and f"/bpjs/queue/{req.id}/reassign" in page
    response = client.post(
        f"/bpjs/queue/{req.id}/reassign", data={"officer_id": target.id, "from": "head"}
    )
    assert response.headers["Location"].endswith("/bpjs/head")
    db.session.expire_all()
    assert db.session.get(type(req), req.id).assignee_id == target.id
