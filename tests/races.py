"""Harness for race tests: several clients post at the same moment (PostgreSQL only).

Each client runs its request in its own app context, session and database connection; a
barrier releases the requests together. SQLite serialises writers, so races are only
meaningful (and only run) on PostgreSQL.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence

import pytest

from portal.extensions import db
from tests.conftest import AuthActions
from tests.factories import UserFactory

needs_postgres = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
        reason="race tests need PostgreSQL (TEST_DATABASE_URL)",
    ),
]


def logged_in_clients(app, role: str | None, n: int = 2, *, name: str = "Petugas") -> list:
    """`n` test clients, each logged in as a new user of `role` (anonymous when None)."""
    clients = []
    for i in range(n):
        client = app.test_client()
        if role:
            user = UserFactory(role=role, name=f"{name} {i}")
            db.session.commit()
            assert AuthActions(client).login(user).status_code == 302
        clients.append(client)
    return clients


def race(clients: Sequence, calls: Sequence[tuple[str, dict]]) -> list:
    """POST calls[i] from clients[i], all released at once; the responses in client order."""
    barrier = threading.Barrier(len(clients))
    results: list = [None] * len(clients)

    def run(i: int) -> None:
        url, data = calls[i]
        barrier.wait()
        results[i] = clients[i].post(url, data=data)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results
