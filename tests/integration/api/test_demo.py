"""`flask seed-demo` registers the demo API clients once; the README's tokens work."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.demo import api as demo
from portal.extensions import db
from portal.models import ApiClient


def test_demo_clients_are_seeded_once_and_their_tokens_work(app, client):
    demo.seed()
    demo.seed()
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(ApiClient)) == len(demo.DEMO_CLIENTS)
    bpjs = demo.DEMO_TOKENS["Sistem kepesertaan BPJS (demo)"]
    response = client.get("/api/v1/enrolment-requests", headers={"Authorization": f"Bearer {bpjs}"})
    assert response.status_code == 200
    opendata = demo.DEMO_TOKENS["Tim Satu Data Singkawang (demo)"]
    assert (
        client.get("/api/v1/coverage", headers={"Authorization": f"Bearer {opendata}"}).status_code
        == 200
    )
