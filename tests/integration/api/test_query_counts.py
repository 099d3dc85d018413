"""API lists run a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

from portal.extensions import db
from tests.factories_bpjs import EnrolmentRequestFactory
from tests.factories_complaints import ComplaintFactory


def _count(client, count_queries, url, headers=None) -> int:
    with count_queries() as q:
        response = client.get(url, headers=headers or {})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return q.count


def _same_with_one_and_many(client, count_queries, make, url, headers=None):
    client.get(url, headers=headers or {})  # the client's last-used time, noted once a minute
    make()
    db.session.commit()
    one = _count(client, count_queries, url, headers)
    for _ in range(6):
        make()
    db.session.commit()
    many = _count(client, count_queries, url, headers)
    assert one == many, (one, many)


def test_enrolment_list(client, count_queries, new_client):
    _c, token = new_client(["enrolment:read"])
    _same_with_one_and_many(
        client,
        count_queries,
        EnrolmentRequestFactory,
        "/api/v1/enrolment-requests?limit=50",
        {"Authorization": f"Bearer {token}"},
    )


def test_complaint_list(client, count_queries, new_client):
    _c, token = new_client(["complaints:read"], agency_code="bpjs")
    _same_with_one_and_many(
        client,
        count_queries,
        lambda: ComplaintFactory(agency_code="bpjs"),
        "/api/v1/complaints?state=all",
        {"Authorization": f"Bearer {token}"},
    )


def test_open311_public_list(client, count_queries):
    _same_with_one_and_many(client, count_queries, ComplaintFactory, "/open311/v2/requests.json")
