"""Ending an employment asks for confirmation with the date, never pre-fills it, and can be
taken back within a day (issue 12: actions that cannot be undone)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Employment, Membership
from portal.services.audit.chain import verify_chain
from tests.factories import EmploymentFactory
from tests.factories_bpjs import MembershipFactory

# 10:00 WIB on 12 March 2026.
MORNING = datetime(2026, 3, 12, 3, 0, tzinfo=UTC)


def _end(client, employment, end_date: str, *, confirmed: bool, reason: str = "Kontrak selesai"):
    data = {"end_date": end_date, "reason": reason, "version": employment.version}
    if confirmed:
        data["confirmed"] = "yes"
    return client.post(f"/employer/employees/{employment.id}/end", data=data)


def _job(business, **membership):
    employment = EmploymentFactory(business=business, start_date=date(2026, 1, 5))
    member = MembershipFactory(
        employment=employment, business=business, start_date=date(2026, 1, 5), **membership
    )
    db.session.commit()
    return employment, member


def test_the_end_date_is_not_pre_filled(client, business, clock):
    clock.now = MORNING
    employment, _ = _job(business)
    html = client.get(f"/employer/employees/{employment.id}").get_data(as_text=True)
    before, after = html.split('id="end_date"')
    tag = before.rsplit("<input", 1)[1] + after.split(">", 1)[0]
    assert 'value=""' in tag and "12-03-2026" not in tag


def test_ending_asks_for_confirmation_showing_the_date_and_changes_nothing(client, business, clock):
    clock.now = MORNING
    employment, member = _job(business)
    response = _end(client, employment, "10-03-2026", confirmed=False)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="confirm-summary"' in html and "10 Mar 2026" in html
    assert 'name="confirmed" value="yes"' in html
    assert 'value="10-03-2026"' in html  # the date goes on exactly as typed
    db.session.refresh(employment)
    db.session.refresh(member)
    assert employment.end_date is None and member.state == "active"
    assert not db.session.scalar(select(AuditEvent).where(AuditEvent.action == "employment.ended"))


def test_a_bad_date_is_refused_before_the_confirmation(client, business, clock):
    clock.now = MORNING
    employment, _ = _job(business)
    response = _end(client, employment, "31-02-2026", confirmed=False)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="end_date-error"' in html and "Tanggal ini tidak ada di kalender." in html


def test_an_end_is_taken_back_within_the_day_and_the_membership_restored_exactly(
    client, business, clock
):
    clock.now = MORNING
    employment, member = _job(business, state="lapsed", lapsed_at=date(2026, 3, 1))
    assert member.end_date is None
    assert _end(client, employment, "10-03-2026", confirmed=True).status_code == 302
    db.session.refresh(member)
    assert member.state == "ended" and member.end_date == date(2026, 3, 10)
    page = client.get(f"/employer/employees/{employment.id}").get_data(as_text=True)
    assert f'action="/employer/employees/{employment.id}/undo-end"' in page

    clock.now = MORNING + timedelta(hours=23, minutes=59)
    db.session.refresh(employment)
    response = client.post(
        f"/employer/employees/{employment.id}/undo-end", data={"version": employment.version}
    )
    assert response.status_code == 302
    db.session.refresh(employment)
    db.session.refresh(member)
    assert employment.end_date is None and employment.end_reason is None and employment.is_current
    assert member.state == "lapsed" and member.end_date is None
    assert member.lapsed_at == date(2026, 3, 1)
    assert member.state_before_end is None
    actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions[-2:] == ["employment.end_undone", "membership.end_undone"]
    assert verify_chain() is None
    assert "undo-end" not in client.get(response.headers["Location"]).get_data(as_text=True)


def test_an_end_cannot_be_taken_back_after_a_day(client, business, clock):
    clock.now = MORNING
    employment, member = _job(business)
    assert _end(client, employment, "10-03-2026", confirmed=True).status_code == 302
    clock.now = MORNING + timedelta(days=1, minutes=1)
    db.session.refresh(employment)
    page = client.get(f"/employer/employees/{employment.id}").get_data(as_text=True)
    assert "undo-end" not in page
    response = client.post(
        f"/employer/employees/{employment.id}/undo-end",
        data={"version": employment.version},
        follow_redirects=True,
    )
    assert "hanya dalam 1 hari setelah dicatat" in response.get_data(as_text=True)
    db.session.refresh(employment)
    db.session.refresh(member)
    assert employment.end_date == date(2026, 3, 10) and member.state == "ended"
    assert not db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "employment.end_undone")
    )


def test_a_future_last_day_taken_back_leaves_no_end_date(client, business, clock):
    clock.now = MORNING
    employment, member = _job(business)
    assert _end(client, employment, "31-03-2026", confirmed=True).status_code == 302
    db.session.refresh(employment)
    response = client.post(
        f"/employer/employees/{employment.id}/undo-end", data={"version": employment.version}
    )
    assert response.status_code == 302
    db.session.refresh(member)
    assert member.state == "active" and member.end_date is None


def test_another_owner_cannot_take_an_end_back(client, business, clock, login_as):
    clock.now = MORNING
    employment, _ = _job(business)
    assert _end(client, employment, "10-03-2026", confirmed=True).status_code == 302
    db.session.refresh(employment)
    client.post("/auth/logout")
    login_as("business_owner")
    response = client.post(
        f"/employer/employees/{employment.id}/undo-end", data={"version": employment.version}
    )
    assert response.status_code == 404
    assert db.session.get(Employment, employment.id).end_date == date(2026, 3, 10)
    assert db.session.scalar(select(Membership.state)) == "ended"


def test_an_end_before_the_start_is_refused_before_the_confirmation(client, business, clock):
    clock.now = MORNING
    employment, _ = _job(business)
    response = _end(client, employment, "04-01-2026", confirmed=False)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="end_date-error"' in html and 'name="confirmed" value="yes"' not in html
    assert "Tanggal berakhir tidak boleh sebelum tanggal mulai" in html
