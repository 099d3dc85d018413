"""Staying covered: the daily `flask member-reminders` tells members (in-app, email, text)
and their agents once; a funded member continues self-paid in one step with no gap."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import (
    BatchContinuation,
    MemberNotice,
    Membership,
    Notification,
)
from tests.factories import UserFactory
from tests.factories_bpjs import FundedBatchFactory
from tests.factories_informal import (
    AgentAreaFactory,
    BpuWorkerFactory,
    OwnMembershipFactory,
    enrolled_own_member,
)


def _self_member(account=None, agent=None):
    return enrolled_own_member(account=account, agent=agent, start=date(2026, 4, 1))


def test_reminders_go_to_member_agent_and_phone_once(runner, clock, caplog):
    clock.now = datetime(2026, 4, 12, 1, 0, tzinfo=UTC)
    account = UserFactory(role="worker")
    agent = AgentAreaFactory().agent
    _self_member(account=account)
    _self_member(agent=agent)
    db.session.commit()
    with caplog.at_level(logging.INFO, logger="portal.text"):
        result = runner.invoke(args=["member-reminders"])
    assert result.exit_code == 0, result.output
    assert "due 2" in result.output
    notes = list(db.session.scalars(select(Notification)))
    assert {n.user_id for n in notes} == {account.id, agent.id}
    notices = list(db.session.scalars(select(MemberNotice)))
    assert len(notices) == 2 and all("text" in n.channels for n in notices)
    # No gateway configured: logged with the number masked, never in full.
    assert "0812****7890" in caplog.text and "081234567890" not in caplog.text
    again = runner.invoke(args=["member-reminders"])
    assert "due 0" in again.output
    assert db.session.scalar(select(func.count(MemberNotice.id))) == 2


def test_the_worker_and_the_agent_read_their_reminders_on_their_pages(client, auth, runner, clock):
    clock.now = datetime(2026, 4, 12, 1, 0, tzinfo=UTC)
    account = UserFactory(role="worker")
    agent = AgentAreaFactory().agent
    _self_member(account=account)
    _self_member(agent=agent)
    db.session.commit()
    runner.invoke(args=["member-reminders"])
    auth.login(account)
    assert (
        "Rp 16.800" in client.get("/worker/?lang=en").get_data(as_text=True).split("data-notice")[1]
    )
    client.post("/auth/logout")
    auth.login(agent)
    assert "data-notice" in client.get("/agent/?lang=en").get_data(as_text=True)


def test_missed_and_lapse_notices_follow_the_calendar(runner, clock):
    _self_member()
    db.session.commit()
    clock.now = datetime(2026, 4, 16, 1, 0, tzinfo=UTC)
    assert "missed 1" in runner.invoke(args=["member-reminders"]).output
    clock.now = datetime(2026, 5, 9, 1, 0, tzinfo=UTC)
    assert "lapsing 1" in runner.invoke(args=["member-reminders"]).output


def test_text_goes_to_the_configured_gateway(app, runner, clock, monkeypatch):
    clock.now = datetime(2026, 4, 12, 1, 0, tzinfo=UTC)
    app.config.update(
        MESSAGE_GATEWAY_URL="https://sms.example.id/send", MESSAGE_GATEWAY_TOKEN="t0k"
    )
    sent = []

    class _Response:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def read(self, n):
            return b"ok"

    def fake_urlopen(request, timeout):
        sent.append((request.full_url, request.headers.get("Authorization"), request.data))
        return _Response()

    monkeypatch.setattr("urllib.request.urlopen", fake_urlopen)
    _self_member()
    db.session.commit()
    runner.invoke(args=["member-reminders"])
    assert len(sent) == 1
    url, token, body = sent[0]
    assert url == "https://sms.example.id/send" and token == "Bearer t0k"
    assert b"081234567890" in body


def _funded_member(account, clock):
    clock.now = datetime(2026, 4, 5, 1, 0, tzinfo=UTC)
    batch = FundedBatchFactory(period_start=date(2025, 12, 1), period_end=date(2026, 4, 30))
    worker = BpuWorkerFactory(account_id=account.id)
    m = OwnMembershipFactory(
        worker=worker,
        funding_source="apbd",
        funded_batch=batch,
        category="rentan",
        start_date=date(2025, 12, 1),
    )
    db.session.commit()
    return m


def test_batch_ending_is_told_and_the_member_continues_self_paid_without_a_gap(
    client, auth, runner, clock
):
    account = UserFactory(role="worker")
    m = _funded_member(account, clock)
    output = runner.invoke(args=["member-reminders"]).output
    assert "batch ending 1" in output
    auth.login(account)
    home = client.get("/worker/?lang=en").get_data(as_text=True)
    assert "data-continue" in home
    response = client.post(f"/worker/memberships/{m.id}/after-programme", data={"submit": "1"})
    assert response.status_code == 302
    # The choice is recorded for BPJS, which enrols with the KPJ its own system issues (the
    # portal never invents one: PP/BPJS rule 8 of issue 12).
    choice = db.session.scalar(select(BatchContinuation))
    assert choice.is_continue and choice.new_membership_id is None
    # A second click chooses nothing more.
    client.post(f"/worker/memberships/{m.id}/after-programme", data={"submit": "1"})
    assert db.session.scalar(select(func.count(BatchContinuation.id))) == 1
    assert db.session.scalar(select(func.count(Membership.id))) == 1
    # BPJS sees who chose what.
    client.post("/auth/logout")
    officer = UserFactory(role="bpjs_officer")
    db.session.commit()
    auth.login(officer)
    page = client.get("/bpjs/batch-choices?lang=en").get_data(as_text=True)
    assert "Continues self-paid" in page and m.worker.full_name in page


def test_another_members_programme_choice_is_not_found(client, auth, clock):
    m = _funded_member(UserFactory(role="worker"), clock)
    intruder = UserFactory(role="worker")
    db.session.commit()
    auth.login(intruder)
    assert (
        client.post(f"/worker/memberships/{m.id}/after-programme", data={"submit": "1"}).status_code
        == 404
    )


def test_stopping_after_the_programme_asks_first_and_is_taken_back_within_a_day(
    client, auth, clock
):
    """Issue 12: stopping ends the cover with the programme, so the server asks first; the
    member may take the choice back for a day, after that it stays."""
    account = UserFactory(role="worker")
    m = _funded_member(account, clock)
    auth.login(account)
    url = f"/worker/memberships/{m.id}/after-programme"
    question = client.post(url, data={"stop": "1"})
    assert question.status_code == 200
    page = question.get_data(as_text=True)
    assert 'id="confirm-summary"' in page and "30 Apr 2026" in page
    assert db.session.scalar(select(BatchContinuation)) is None
    assert client.post(url, data={"stop": "1", "confirmed": "yes"}).status_code == 302
    choice = db.session.scalar(select(BatchContinuation))
    assert choice is not None and not choice.is_continue
    assert f'id="undo-stop-{m.id}"' in client.get("/worker/").get_data(as_text=True)
    assert client.post(f"{url}/undo").status_code == 302
    assert db.session.scalar(select(BatchContinuation)) is None
    assert "data-continue" in client.get("/worker/").get_data(as_text=True)  # choose again
    # Stopped again: a day later it stays.
    client.post(url, data={"stop": "1", "confirmed": "yes"})
    clock.now = datetime(2026, 4, 6, 1, 1, tzinfo=UTC)
    assert f'id="undo-stop-{m.id}"' not in client.get("/worker/").get_data(as_text=True)
    client.post(f"{url}/undo")
    assert db.session.scalar(select(func.count(BatchContinuation.id))) == 1
