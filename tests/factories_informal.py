"""Factories for informal workers' own door: BPU members on their own account, agents."""

from __future__ import annotations

from datetime import date

import factory

from portal.models import AgentArea, Membership, Worker
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
