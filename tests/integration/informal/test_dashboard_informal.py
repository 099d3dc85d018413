"""The dashboard counts self- and agent-registered BPU members, retention and agents' results,
with exports like every other table and a fixed number of queries."""

from __future__ import annotations

from datetime import UTC, datetime

from portal.extensions import db
from tests.factories_bpjs import PaymentFactory
from tests.factories_informal import AgentAreaFactory, enrolled_own_member


def _member(channel: str, agent=None, paid=()):
    m = enrolled_own_member(agent=agent if channel == "field_agent" else None)
    for period in paid:
        PaymentFactory(membership=m, period=period, amount=16_800)
    return m


def _data():
    agent = AgentAreaFactory(agent__name="Agen Satu").agent
    _member("self", paid=("2026-01", "2026-02", "2026-03"))
    _member("field_agent", agent, paid=("2026-01",))
    _member("field_agent", agent, paid=("2026-01", "2026-02", "2026-03"))
    db.session.commit()


def test_dashboard_shows_channels_retention_and_agents(client, login_as, clock):
    clock.now = datetime(2026, 5, 2, 3, 0, tzinfo=UTC)
    _data()
    login_as("labour_officer")
    html = client.get("/dashboard/informal?lang=en").get_data(as_text=True)
    assert "Self-registered" in html and "Registered by a field agent" in html
    assert "Agen Satu" in html
    csv = client.get("/dashboard/export/informal-retention.csv?lang=en").get_data(as_text=True)
    assert "3,2" in csv.replace(" ", "").replace(";", ",")  # 3 counted, 2 retained
    agents = client.get("/dashboard/export/informal-agents.csv?lang=en").get_data(as_text=True)
    assert "Agen Satu" in agents
    xlsx = client.get("/dashboard/export/informal-channels.xlsx")
    assert xlsx.status_code == 200


def test_dashboard_informal_runs_a_fixed_number_of_queries(client, login_as, count_queries, clock):
    clock.now = datetime(2026, 5, 2, 3, 0, tzinfo=UTC)
    login_as("bpjs_officer")
    AgentAreaFactory()
    _member("self")
    db.session.commit()
    client.get("/dashboard/informal")
    with count_queries() as few:
        client.get("/dashboard/informal")
    _data()
    _data()
    with count_queries() as many:
        client.get("/dashboard/informal")
    assert few.count == many.count
