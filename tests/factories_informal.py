"""Factories for informal workers' own door: BPU members on their own account, agents."""

from __future__ import annotations

from datetime import date

import factory

from portal.extensions import db
from portal.models import AgentArea, EnrolmentRequest, Membership, Worker
from tests.factories import BaseFactory, UserFactory, WorkerFactory
from tests.factories_bpjs import next_kpj


class BpuWorkerFactory(WorkerFactory):
    class Meta:
        model = Worker

    category = "BPU"
    kelurahan_code = "61.72.01.1001"
    occupation = "Pedagang pasar"


class OwnMembershipFactory(BaseFactory):
    """A self-paid BPU membership of a person on his own account (no employer)."""

    class Meta:
        model = Membership

    worker = factory.SubFactory(BpuWorkerFactory)
    kpj = factory.LazyFunction(next_kpj)
    category = "BPU"
    with_jht = False
    with_jp = False
    monthly_amount = 1_000_000
    funding_source = "self"
    kelurahan_code = "61.72.01.1001"
    start_date = date(2026, 1, 1)
    state = "active"


class AgentFactory(UserFactory):
    role = "field_agent"


class AgentAreaFactory(BaseFactory):
    class Meta:
        model = AgentArea

    agent = factory.SubFactory(AgentFactory)
    kelurahan_code = "61.72.01.1001"


def enrolled_own_member(
    *, agent=None, account=None, start=date(2026, 1, 1), phone="081234567890"
) -> Membership:
    """A BPU member enrolled from his own request: self-registered, or by `agent`."""
    worker = BpuWorkerFactory(account_id=account.id if account else None, phone=phone)
    request = own_request(worker, agent)
    return OwnMembershipFactory(worker=worker, enrolment_request_id=request.id, start_date=start)


def own_request(worker: Worker, agent=None, *, state="enrolled", **values) -> EnrolmentRequest:
    """A BPU request on the person's own account (Rp 1.000.000, JKK + JKM): self-registered,
    or by `agent`; `values` sets any other column (consent photo, dates)."""
    request = EnrolmentRequest(
        worker_id=worker.id,
        category="BPU",
        monthly_amount=1_000_000,
        monthly_contribution=16_800,
        state=state,
        channel="field_agent" if agent else "self",
        registered_by_id=agent.id if agent else None,
        **values,
    )
    db.session.add(request)
    db.session.flush()
    return request
