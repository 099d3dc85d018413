"""Ending an employment: a last day still ahead keeps the membership until then."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from portal.domain.clock import today_wib
from portal.extensions import db
from portal.models import AuditEvent
from portal.services.membership.common import month_start
from portal.services.membership.payments import sweep
from tests.factories import EmploymentFactory
from tests.factories_bpjs import MembershipFactory
from tests.factories_employer import EnrolmentRequestFactory


def end(client, employment, end_date: date, reason: str = "Kontrak selesai"):
    return client.post(
        f"/employer/employees/{employment.id}/end",
        data={
            "end_date": end_date.isoformat(),
            "reason": reason,
            "version": employment.version,
            "confirmed": "yes",
        },
    )


def test_a_last_day_ahead_keeps_the_membership_until_the_sweep_ends_it(client, business):
    employment = EmploymentFactory(business=business, full_name="Rudi Akan Keluar")
    # Enrolled this month: no dues are overdue yet, so the sweep has nothing to lapse.
    membership = MembershipFactory(employment=employment, start_date=month_start(today_wib()))
    db.session.commit()
    last_day = today_wib() + timedelta(days=20)
    response = end(client, employment, last_day)
    assert response.status_code == 302
    db.session.refresh(employment)
    db.session.refresh(membership)
    assert employment.end_date == last_day
    assert membership.state == "active" and membership.end_date == last_day
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"employment.ended", "membership.end_scheduled"} <= actions
    assert "membership.ended" not in actions
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "berjalan sampai" in page  # the owner is told the membership runs until then
    # Still employed and enrolled until the last day: the home page counts them.
    home = client.get("/employer/").get_data(as_text=True)
    assert 'data-testid="total-employees">1<' in home and "1 / 0" in home
    listing = client.get(f"/employer/businesses/{business.id}").get_data(as_text=True)
    assert "Rudi Akan Keluar" in listing and "akan keluar" in listing

    # The daily sweep leaves it alone up to the last day and ends it the day after.
    assert sweep(today=last_day)["ended"] == 0
    db.session.commit()
    db.session.refresh(membership)
    assert membership.state == "active"
    assert sweep(today=last_day + timedelta(days=1))["ended"] == 1
    db.session.commit()
    db.session.refresh(membership)
    assert membership.state == "ended" and membership.end_date == last_day


def test_a_last_day_today_or_past_ends_the_membership_at_once(client, business):
    today_job = EmploymentFactory(business=business)
    today_membership = MembershipFactory(employment=today_job)
    past_job = EmploymentFactory(business=business)
    past_membership = MembershipFactory(employment=past_job)
    db.session.commit()
    assert end(client, today_job, today_wib()).status_code == 302
    assert end(client, past_job, today_wib() - timedelta(days=3)).status_code == 302
    for membership, last_day in (
        (today_membership, today_wib()),
        (past_membership, today_wib() - timedelta(days=3)),
    ):
        db.session.refresh(membership)
        assert membership.state == "ended" and membership.end_date == last_day


def test_a_last_day_ahead_still_withdraws_the_open_request(client, business):
    employment = EmploymentFactory(business=business)
    request = EnrolmentRequestFactory(employment=employment, state="submitted")
    db.session.commit()
    assert end(client, employment, today_wib() + timedelta(days=5)).status_code == 302
    db.session.refresh(request)
    assert request.state == "withdrawn"


def test_end_before_start_is_refused_next_to_the_field_and_nothing_changes(client, business):
    employment = EmploymentFactory(business=business, start_date=date(2026, 3, 1))
    membership = MembershipFactory(employment=employment, start_date=date(2026, 3, 1))
    db.session.commit()
    response = end(client, employment, date(2026, 2, 28))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="end_date-error"' in html
    assert "Tanggal berakhir tidak boleh sebelum tanggal mulai" in html
    db.session.refresh(employment)
    db.session.refresh(membership)
    assert employment.end_date is None
    assert membership.state == "active" and membership.end_date is None


def test_a_last_day_ahead_can_be_cancelled_and_cover_runs_on(client, business):
    employment = EmploymentFactory(business=business)
    membership = MembershipFactory(employment=employment, start_date=month_start(today_wib()))
    db.session.commit()
    last_day = today_wib() + timedelta(days=20)
    assert end(client, employment, last_day).status_code == 302
    db.session.refresh(employment)
    page = client.get(f"/employer/employees/{employment.id}").get_data(as_text=True)
    assert "Batalkan hari terakhir" in page

    response = client.post(
        f"/employer/employees/{employment.id}/cancel-end", data={"version": employment.version}
    )
    assert response.status_code == 302
    db.session.refresh(employment)
    db.session.refresh(membership)
    assert employment.end_date is None and employment.is_current
    assert membership.state == "active" and membership.end_date is None
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"employment.end_cancelled", "membership.end_cancelled"} <= actions
    assert sweep(today=last_day + timedelta(days=1))["ended"] == 0  # nothing ends it now
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Hari terakhir dibatalkan" in page and "Batalkan hari terakhir" not in page


def test_a_last_day_already_reached_cannot_be_cancelled(client, business):
    employment = EmploymentFactory(business=business)
    membership = MembershipFactory(employment=employment, start_date=month_start(today_wib()))
    db.session.commit()
    assert end(client, employment, today_wib()).status_code == 302
    db.session.refresh(employment)
    response = client.post(
        f"/employer/employees/{employment.id}/cancel-end",
        data={"version": employment.version},
        follow_redirects=True,
    )
    assert "Hanya hari terakhir yang belum tiba yang dapat dibatalkan." in response.get_data(
        as_text=True
    )
    db.session.refresh(employment)
    db.session.refresh(membership)
    assert employment.end_date == today_wib() and membership.state == "ended"


def test_another_owner_cannot_cancel_a_last_day(client, business, login_as):
    employment = EmploymentFactory(business=business)
    db.session.commit()
    end(client, employment, today_wib() + timedelta(days=5))
    db.session.refresh(employment)
    client.post("/auth/logout")
    login_as("business_owner")
    response = client.post(
        f"/employer/employees/{employment.id}/cancel-end", data={"version": employment.version}
    )
    assert response.status_code == 404
    db.session.refresh(employment)
    assert employment.end_date is not None
