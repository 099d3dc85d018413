"""BPJS's system posting the same enrolment result twice at the same moment (PostgreSQL):
exactly one wins; with the same Idempotency-Key both get the winner's answer."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import EnrolmentRequest, Membership
from portal.services.api_clients.clients import register_client
from tests.factories import agency
from tests.factories_bpjs import EnrolmentRequestFactory
from tests.races import needs_postgres

pytestmark = needs_postgres


def _post_together(app, url: str, body: dict, headers: dict, n: int = 2) -> list:
    clients = [app.test_client() for _ in range(n)]
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i: int) -> None:
        barrier.wait()
        results[i] = clients[i].post(url, json=body, headers=headers)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def _setup():
    req = EnrolmentRequestFactory()
    registered = register_client("Sistem BPJS", agency("bpjs").id, ["enrolment:write"])
    db.session.commit()
    return req, {"Authorization": f"Bearer {registered.token}"}


def test_the_same_result_posted_twice_at_once_one_wins(app):
    req, headers = _setup()
    responses = _post_together(
        app,
        f"/api/v1/enrolment-requests/{req.id}/result",
        {"outcome": "enrolled", "kpj": "26000000001"},
        headers,
    )
    assert sorted(r.status_code for r in responses) == [200, 409]
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Membership)) == 1
    assert db.session.get(EnrolmentRequest, req.id).state == "enrolled"


def test_the_same_idempotency_key_at_once_gives_both_the_one_answer(app):
    req, headers = _setup()
    responses = _post_together(
        app,
        f"/api/v1/enrolment-requests/{req.id}/result",
        {"outcome": "enrolled", "kpj": "26120500017"},
        headers | {"Idempotency-Key": "sync-7"},
    )
    assert [r.status_code for r in responses] == [200, 200]
    assert responses[0].get_json() == responses[1].get_json()
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Membership)) == 1
