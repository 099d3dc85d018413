"""The demo seed shows informal workers' own door: a worker with dues, an agent with people in
different states, cash waiting for BPJS, and a funded batch ending within 30 days; once."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.demo import informal as demo
from portal.demo.accounts import seed_demo_users
from portal.demo.records import seed_demo_records
from portal.extensions import db
from portal.models import CashCollection, EnrolmentRequest, Membership
from portal.services.informal.reminders import batches_ending


def test_demo_seed_shows_the_feature_and_is_idempotent(app, client, auth):
    seed_demo_users()
    seed_demo_records()
    db.session.commit()
    counts = db.session.scalar(select(func.count(EnrolmentRequest.id)))
    states = set(
        db.session.scalars(
            select(EnrolmentRequest.state).where(EnrolmentRequest.channel == "field_agent")
        )
    )
    assert {"submitted", "enrolled", "returned"} <= states
    assert set(db.session.scalars(select(Membership.state))) >= {"active", "lapsed"}
    assert db.session.scalar(select(func.count(CashCollection.id))) == 1
    assert batches_ending()  # the BPJS demo's funded batch ends within 30 days
    seed_demo_records()
    db.session.commit()
    assert db.session.scalar(select(func.count(EnrolmentRequest.id))) == counts
    from portal.demo.accounts import DEMO_PASSWORD

    assert auth.login(demo.WORKER_EMAIL, DEMO_PASSWORD).status_code == 302
    assert "data-dues" in client.get("/worker/").get_data(as_text=True)
    client.post("/auth/logout")
    assert auth.login(demo.AGENT_EMAIL, DEMO_PASSWORD).status_code == 302
    page = client.get("/agent/").get_data(as_text=True)
    assert "Nurhayati" in page and "Bong Kim Fat" in page
