"""Two officers acting on the same thing at the same moment: exactly one wins (PostgreSQL).

Each officer has their own test client, so each request runs in its own app context, session
and database connection; a barrier releases both requests together.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from portal.domain.clock import today_wib
from portal.extensions import db
from portal.models import ContributionPayment, EnrolmentRequest, FundedBatchMember, Membership
from tests.conftest import AuthActions
from tests.factories import make_nik
from tests.factories_bpjs import EnrolmentRequestFactory, FundedBatchFactory, MembershipFactory
from tests.races import logged_in_clients, needs_postgres, race

pytestmark = needs_postgres


def _officer_clients(app, n: int = 2):
    return logged_in_clients(app, "bpjs_officer", n)


def _race(clients, url_and_data):
    """POST from every client at the same moment; return the responses in client order."""
    # Built here, in the test's app context (model attributes may need a refresh).
    return race(clients, [url_and_data(i) for i in range(len(clients))])


def test_two_officers_enrolling_the_same_request_exactly_one_succeeds(app):
    req = EnrolmentRequestFactory()
    db.session.commit()
    clients = _officer_clients(app)
    responses = _race(clients, lambda i: (f"/bpjs/queue/{req.id}/enrol", {"kpj": f"2600000000{i}"}))
    codes = sorted(r.status_code for r in responses)
    assert codes == [302, 409]
    loser = next(r for r in responses if r.status_code == 409).get_data(as_text=True)
    assert "Petugas" in loser or "decided" in loser or "diputuskan" in loser
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Membership)) == 1
    assert db.session.get(EnrolmentRequest, req.id).state == "enrolled"


def test_two_officers_claiming_the_same_request_exactly_one_holds_it(app):
    req = EnrolmentRequestFactory()
    db.session.commit()
    clients = _officer_clients(app)
    responses = _race(clients, lambda i: (f"/bpjs/queue/{req.id}/claim", {}))
    assert sorted(r.status_code for r in responses) == [302, 409]
    db.session.expire_all()
    assert db.session.get(EnrolmentRequest, req.id).assignee_id is not None


def test_one_enrols_while_the_other_rejects_only_one_decision_stands(app):
    req = EnrolmentRequestFactory()
    db.session.commit()
    clients = _officer_clients(app)

    def action(i):
        if i == 0:
            return f"/bpjs/queue/{req.id}/enrol", {"kpj": "26000000011"}
        return f"/bpjs/queue/{req.id}/reject", {
            "rej-reason": "Data tidak valid",
            "confirmed": "yes",
        }

    responses = _race(clients, action)
    assert sorted(r.status_code for r in responses) == [302, 409]
    db.session.expire_all()
    state = db.session.get(EnrolmentRequest, req.id).state
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
            "kpj": f"2640000000{i}",  # as BPJS's system issued it
        }

    responses = _race(clients, add)
    assert sorted(r.status_code for r in responses) == [302, 400]
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(FundedBatchMember)) == 1


def test_two_officers_renewing_the_same_batch_only_one_new_batch(app):
    from datetime import timedelta

    from portal.models import FundedBatch

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


def test_owner_ending_employment_while_officer_enrols_leaves_a_consistent_record(app):
    """Whichever lands first, the other is refused or sees the result: never an active
    membership for an ended employment, never a withdrawn request with a membership."""
    req = EnrolmentRequestFactory(state="in_review")
    db.session.commit()
    employment_id, owner = req.employment_id, req.employment.business.owner
    officer_client = _officer_clients(app, 1)[0]
    owner_client = app.test_client()
    assert AuthActions(owner_client).login(owner).status_code == 302
    responses = race(
        [owner_client, officer_client],
        [
            (
                f"/employer/employees/{employment_id}/end",
                {"end_date": "2026-03-31", "version": 1, "confirmed": "yes"},
            ),
            (f"/bpjs/queue/{req.id}/enrol", {"kpj": "26000000099"}),
        ],
    )
    assert any(r.status_code == 302 for r in responses)
    db.session.expire_all()
    request = db.session.get(EnrolmentRequest, req.id)
    employment = request.employment
    memberships = list(db.session.scalars(select(Membership)))
    if request.state == "withdrawn":
        assert memberships == [] and employment.end_date == date(2026, 3, 31)
        assert responses[1].status_code == 409
    else:
        assert request.state == "enrolled" and len(memberships) == 1
        if employment.end_date is not None:
            assert memberships[0].state == "ended"
        else:
            assert responses[0].status_code == 400  # the owner's form was stale


def test_two_officers_entering_the_same_bpjs_kpj_at_once_only_one_membership_gets_it(app):
    """Issue 12 rule 8: the KPJ BPJS issued is unique; two requests enrolled with the same
    number at the same moment: the database's unique constraint lets one win, the other
    officer gets the message next to the KPJ field and its request stays open."""
    first, second = EnrolmentRequestFactory(), EnrolmentRequestFactory()
    db.session.commit()
    clients = _officer_clients(app)
    responses = _race(
        clients,
        lambda i: (f"/bpjs/queue/{(first, second)[i].id}/enrol", {"kpj": "26500000001"}),
    )
    assert sorted(r.status_code for r in responses) == [302, 400]
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Membership)) == 1
    states = sorted(db.session.get(EnrolmentRequest, r.id).state for r in (first, second))
    assert states == ["enrolled", "submitted"]
