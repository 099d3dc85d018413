"""Informal workers' own door under races (PostgreSQL): two agents entering the same NIK at
the same moment, and a double-tapped submit on a slow phone, each end with one request."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AgentArea, EnrolmentRequest, User, Worker
from tests.factories import make_nik
from tests.races import logged_in_clients, needs_postgres, race

pytestmark = needs_postgres

KELURAHAN = "61.72.01.1001"


def _person(nik: str, name: str = "Lani Pasar") -> dict:
    return {
        "nik": nik,
        "full_name": name,
        "birth_date": "17-05-1990",
        "sex": "L",
        "kelurahan_code": KELURAHAN,
        "occupation_code": "pedagang_pasar",
        "monthly_income": "1000000",
        "consent": "y",
        "consent_name": name,
        "submit": "1",
    }


def _counts() -> tuple[int, int]:
    db.session.expire_all()
    return (
        db.session.scalar(select(func.count(EnrolmentRequest.id))),
        db.session.scalar(select(func.count(Worker.id))),
    )


def test_two_agents_registering_the_same_nik_at_once_save_it_once(app):
    clients = logged_in_clients(app, "field_agent", 2, name="Agen")
    for agent in db.session.scalars(select(User).where(User.role == "field_agent")):
        db.session.add(AgentArea(agent_id=agent.id, kelurahan_code=KELURAHAN))
    db.session.commit()
    nik = make_nik(date(1990, 5, 17), "L")
    responses = race(clients, [("/agent/register?lang=en", _person(nik))] * 2)
    codes = sorted(r.status_code for r in responses)
    assert codes == [302, 400], codes
    loser = next(r for r in responses if r.status_code == 400).get_data(as_text=True)
    assert "registered by another agent" in loser
    assert _counts() == (1, 1)


def test_a_double_tapped_submit_makes_one_request(app):
    (client,) = logged_in_clients(app, "worker", 1, name="Pekerja")
    nik = make_nik(date(1990, 5, 17), "L")
    responses = race([client, client], [("/worker/register", _person(nik))] * 2)
    assert [r.status_code for r in responses] == [302, 302]
    assert _counts() == (1, 1)


def test_two_officers_starting_the_same_self_paid_membership_start_it_once(app):
    from portal.domain import clock as clock_module
    from portal.models import BatchContinuation, Membership
    from portal.services.informal.continuation import continue_self_paid
    from tests.factories_bpjs import FundedBatchFactory
    from tests.factories_informal import BpuWorkerFactory, OwnMembershipFactory

    batch = FundedBatchFactory(
        period_start=date(2025, 12, 1), period_end=clock_module.today_wib() + timedelta(days=20)
    )
    funded = OwnMembershipFactory(
        worker=BpuWorkerFactory(),
        funding_source="apbd",
        funded_batch=batch,
        category="rentan",
        start_date=date(2025, 12, 1),
        end_date=batch.period_end,
    )
    db.session.commit()
    choice = continue_self_paid(funded, None)
    db.session.commit()
    clients = logged_in_clients(app, "bpjs_officer", 2)
    responses = race(
        clients,
        [
            ("/bpjs/batch-choices?lang=en", {"choice_id": choice.id, "kpj": "26000888001"}),
            ("/bpjs/batch-choices?lang=en", {"choice_id": choice.id, "kpj": "26000888002"}),
        ],
    )
    codes = sorted(r.status_code for r in responses)
    assert codes == [302, 400], codes
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Membership.id))) == 2  # funded + one self-paid
    started = db.session.get(BatchContinuation, choice.id).new_membership_id
    assert started is not None
