"""Nonsense input to every action of the area: a clear refusal (400/404/410), never a 500,
and nothing changed."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent
from tests.factories import BusinessFactory, EmploymentFactory
from tests.factories_trade import (
    ComplianceCaseFactory,
    FieldBusinessFactory,
    InvitationFactory,
    ReferralFactory,
)

GARBAGE = [
    {},
    {"version": "abc", "reason": "x" * 5000, "nib": "=1+1", "attendance": "-1e9"},
    {"version": "1", "held_on": "2026-02-31", "issued_on": "kemarin", "fined_on": "99-99-99"},
    {"version": "1", "contributions_due": "1e40", "workers_enrolled": "-5", "outcome": "won"},
    {"version": "1", "services": ["nuclear"], "agencies": ["cia"], "kelurahan_code": "x"},
    {"version": "1", "reason": "\x00\x01", "note": "\ufffd", "sector_code": "' OR 1=1 --"},
]


@pytest.fixture
def targets(app):
    business = FieldBusinessFactory()
    made = {
        "business": business,
        "owned": BusinessFactory(verification_state="rejected", rejection_reason="x"),
        "referral": ReferralFactory(),
        "case": ComplianceCaseFactory(),
        "invitation": InvitationFactory(token="tok-bad"),
    }
    EmploymentFactory(business=business)
    db.session.commit()
    return made


def _events() -> int:
    return db.session.scalar(select(func.count(AuditEvent.id)))


@pytest.mark.parametrize("data", GARBAGE)
def test_trade_actions_refuse_garbage(client, login_as, targets, data):
    login_as("trade_officer")
    b, case = targets["business"].id, targets["case"].id
    before = _events()
    for url in [
        "/disperindagkop/businesses/new",
        f"/disperindagkop/businesses/{b}/reject",
        f"/disperindagkop/businesses/{b}/refer",
        "/disperindagkop/outreach/new",
        f"/disperindagkop/compliance/{case}/withhold",
        f"/disperindagkop/compliance/{case}/lift",
    ]:
        status = client.post(url, data=data).status_code
        assert status == 400, (url, status)
    assert _events() == before


@pytest.mark.parametrize("data", GARBAGE)
def test_bpjs_actions_refuse_garbage(client, login_as, targets, data):
    login_as("bpjs_officer")
    r, case = targets["referral"].id, targets["case"].id
    before = _events()
    for url in [
        f"/bpjs/referrals/{r}/outcome",
        "/bpjs/compliance/new",
        f"/bpjs/compliance/{case}/sp2",
        f"/bpjs/compliance/{case}/fine",
        f"/bpjs/compliance/{case}/request-withholding",
        f"/bpjs/compliance/{case}/clear",
    ]:
        status = client.post(url, data=data).status_code
        assert status == 400, (url, status)
    assert _events() == before


@pytest.mark.parametrize("data", GARBAGE)
def test_owner_and_public_actions_refuse_garbage(client, auth, targets, data):
    assert client.post("/disperindagkop/invitation/tok-bad", data=data).status_code == 400
    auth.login(targets["owned"].owner)
    response = client.post(f"/employer/businesses/{targets['owned'].id}/resubmit", data=data)
    assert response.status_code == 400


def test_garbage_query_strings_are_ignored(client, login_as, targets):
    login_as("trade_officer")
    for url in [
        "/disperindagkop/directory?kecamatan=%00&unenrolled=maybe&page=-3&q=%27--",
        "/disperindagkop/outreach?month=abcd-ef&year=99999",
        "/disperindagkop/referrals?state=<script>",
        "/disperindagkop/compliance?view=../../etc",
        "/disperindagkop/funnel?start=2026-12-31&end=2026-01-01&kecamatan=zz",
    ]:
        assert client.get(url).status_code == 200, url


def test_dates_in_the_future_are_refused(client, login_as, targets):
    login_as("bpjs_officer")
    response = client.post(
        "/bpjs/compliance/new",
        data={"nib": targets["business"].nib, "finding": "x", "issued_on": date(2099, 1, 1)},
    )
    assert response.status_code == 400
