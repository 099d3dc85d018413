"""Two officers acting on the same thing at the same moment: exactly one wins (PostgreSQL).

Each officer has their own test client, so each request runs in its own app context, session
and database connection; a barrier releases both requests together.
"""

from __future__ import annotations

import os
import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import ContributionPayment, EnrollmentRequest, FundedBatchMember, Membership
from tests.conftest import AuthActions
from tests.factories import UserFactory, make_nik
from tests.factories_bpjs import EnrollmentRequestFactory, FundedBatchFactory, MembershipFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
        reason="concurrency tests need PostgreSQL (TEST_DATABASE_URL)",
    ),
]


def _officer_clients(app, n: int = 2):
    clients = []
    for i in range(n):
        user = UserFactory(role="bpjs_officer", name=f"Petugas {i}")
        db.session.commit()
        client = app.test_client()
        assert AuthActions(client).login(user).status_code == 302
        clients.append(client)
    return clients


def _race(clients, url_and_data):
    """POST from every client at the same moment; return the responses in client order."""
    barrier = threading.Barrier(len(clients))
    results: list = [None] * len(clients)
    # Built here, in the test's app context (model attributes may need a refresh).
    calls = [url_and_data(i) for i in range(len(clients))]

    def run(i):
        url, data = calls[i]
        barrier.wait()
        results[i] = clients[i].post(url, data=data)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def test_two_officers_enrolling_the_same_request_exactly_one_succeeds(app):
    req = EnrollmentRequestFactory()
    db.session.commit()
    clients = _officer_clients(app)
    responses = _race(clients, lambda i: (f"/bpjs/queue/{req.id}/enrol", {"kpj": f"2600000000{i}"}))
    codes = sorted(r.status_code for r in responses)
    assert codes == [302, 409]
    loser = next(r for r in responses if r.status_code == 409).get_data(as_text=True)
    assert "Petugas" in loser or "decided" in loser or "diputuskan" in loser
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Membership)) == 1
    assert db.session.get(EnrollmentRequest, req.id).state == "enrolled"


def test_two_officers_claiming_the_same_request_exactly_one_holds_it(app):
    req = EnrollmentRequestFactory()
    db.session.commit()
    clients = _officer_clients(app)
    responses = _race(clients, lambda i: (f"/bpjs/queue/{req.id}/claim", {}))
    assert sorted(r.status_code for r in responses) == [302, 409]
    db.session.expire_all()
    assert db.session.get(EnrollmentRequest, req.id).assignee_id is not None


def test_one_enrols_while_the_other_rejects_only_one_decision_stands(app):
    req = EnrollmentRequestFactory()
    db.session.commit()
    clients = _officer_clients(app)

    def action(i):
        if i == 0:
            return f"/bpjs/queue/{req.id}/enrol", {"kpj": ""}
        return f"/bpjs/queue/{req.id}/reject", {"rej-reason": "Data tidak valid"}

    responses = _race(clients, action)
    assert sorted(r.status_code for r in responses) == [302, 409]
    db.session.expire_all()
    state = db.session.get(EnrollmentRequest, req.id).state
    members = db.session.scalar(select(func.count()).select_from(Membership))
    assert (state, members) in {("enrolled", 1), ("rejected", 0)}


def test_the_same_month_recorded_twice_at_once_is_saved_once(app):
    membership = MembershipFactory(start_date=date(2026, 1, 1))
    db.session.commit()
    clients = _officer_clients(app)
    data = {
        "kpj": membership.kpj,
        "period": "2026-01",
        "amount": "277200",
        "paid_on": "2026-02-10",
        "channel": "bank",
    }
    responses = _race(clients, lambda i: ("/bpjs/payments/new", data))
    assert sorted(r.status_code for r in responses) == [302, 400]
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(ContributionPayment)) == 1


def test_two_officers_taking_the_last_place_in_a_batch_only_one_gets_it(app):
    batch = FundedBatchFactory(quota=1, period_start=date(2026, 1, 1))
    db.session.commit()
    clients = _officer_clients(app)

    def add(i):
        birth = date(1985, 3, 10 + i)
        return f"/bpjs/batches/{batch.id}/members", {
            "nik": make_nik(birth, "L"),
            "full_name": f"Pekerja Rentan {i}",
            "birth_date": birth.isoformat(),
            "sex": "L",
            "kelurahan_code": "61.72.01.1001",
        }

    responses = _race(clients, add)
    assert sorted(r.status_code for r in responses) == [302, 400]
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(FundedBatchMember)) == 1


def test_two_officers_renewing_the_same_batch_only_one_new_batch(app):
    from datetime import timedelta

    from portal.models import FundedBatch
    from portal.services.bpjs_common import today_wib

    batch = FundedBatchFactory(period_end=today_wib() + timedelta(days=10))
    db.session.commit()
    clients = _officer_clients(app)
    start = batch.period_end + timedelta(days=1)
    data = {
        "name": "Lanjutan",
        "funder_name": "Pemerintah Kota Singkawang",
        "period_start": start.isoformat(),
        "period_end": (start + timedelta(days=90)).isoformat(),
        "quota": "10",
        "monthly_premium": "16800",
    }
    responses = _race(clients, lambda i: (f"/bpjs/batches/{batch.id}/renew", data))
    assert sorted(r.status_code for r in responses) == [302, 400]
    db.session.expire_all()
    renewed = (
        select(func.count()).select_from(FundedBatch).where(FundedBatch.renewed_from_id == batch.id)
    )
    assert db.session.scalar(renewed) == 1
