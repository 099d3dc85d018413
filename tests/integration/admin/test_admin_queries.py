"""Admin pages run a fixed number of queries whatever the number of rows."""

from __future__ import annotations

import pytest

from portal.extensions import db
from portal.services.audit.trail import record_event
from tests.factories import BusinessFactory, UserFactory


def _grow(rows: int) -> None:
    for _ in range(rows):
        business = BusinessFactory(verification_state="pending")
        UserFactory(role="trade_officer")
        record_event("test.grow", business)
    db.session.commit()


@pytest.mark.parametrize("url", ["/admin/", "/admin/users/", "/admin/businesses/", "/admin/audit/"])
def test_admin_page_query_count_does_not_grow_with_rows(client, login_as, count_queries, url):
    login_as("admin")
    _grow(2)
    client.get(url)  # warm-up: per-process caches
    with count_queries() as small:
        assert client.get(url).status_code == 200
    _grow(30)
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert large.count == small.count, (small.statements, large.statements)


def test_login_page_runs_no_query_for_anonymous_visitors(client, count_queries):
    with count_queries() as q:
        client.get("/auth/login")
    assert q.count == 0
