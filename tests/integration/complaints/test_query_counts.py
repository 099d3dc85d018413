"""Complaint pages run the same number of SQL queries with few and with many rows."""

from __future__ import annotations

from portal.extensions import db
from tests.factories_complaints import (
    ComplaintEventFactory,
    NotificationFactory,
    OpenComplaintFactory,
)


def _queries(client, count_queries, url) -> int:
    db.session.expire_all()
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200, url
    return counter.count


def _complaints(n, staff, **kwargs):
    made = []
    for _ in range(n):
        complaint = OpenComplaintFactory(assignee_id=staff["bpjs_officer"].id, **kwargs)
        for _ in range(3):
            ComplaintEventFactory(
                complaint=complaint, actor_agency_id=staff["bpjs_officer"].agency_id
            )
        made.append(complaint)
    db.session.commit()
    return made


def test_queue_query_count_does_not_grow(client, staff, switch_to, count_queries):
    switch_to(staff["bpjs_officer"])
    _complaints(1, staff)
    few = _queries(client, count_queries, "/complaints/staff")
    _complaints(12, staff)
    many = _queries(client, count_queries, "/complaints/staff")
    assert few == many
    print(f"queue: {few} queries")


def test_staff_detail_query_count_does_not_grow(client, staff, switch_to, count_queries):
    switch_to(staff["bpjs_officer"])
    small = _complaints(1, staff)[0]
    big = OpenComplaintFactory(assignee_id=staff["bpjs_officer"].id)
    for _ in range(15):
        ComplaintEventFactory(complaint=big, actor_agency_id=staff["bpjs_officer"].agency_id)
    db.session.commit()
    a = _queries(client, count_queries, f"/complaints/staff/{small.id}")
    b = _queries(client, count_queries, f"/complaints/staff/{big.id}")
    assert a == b
    print(f"staff detail: {a} queries")


def test_tracking_page_query_count_does_not_grow(client, staff, count_queries):
    small = _complaints(1, staff)[0]
    big = OpenComplaintFactory()
    for _ in range(15):
        ComplaintEventFactory(complaint=big, actor_agency_id=staff["bpjs_officer"].agency_id)
    db.session.commit()
    for c in (small, big):
        client.post("/complaints/track", data={"code": c.tracking_code, "contact": "081298765432"})
    a = _queries(client, count_queries, f"/complaints/track/{small.tracking_code}")
    b = _queries(client, count_queries, f"/complaints/track/{big.tracking_code}")
    assert a == b


def test_notification_list_query_count_does_not_grow(client, staff, switch_to, count_queries):
    officer = switch_to(staff["bpjs_officer"])
    NotificationFactory(user=officer)
    db.session.commit()
    few = _queries(client, count_queries, "/complaints/notifications")
    for _ in range(20):
        NotificationFactory(user=officer)
    db.session.commit()
    assert _queries(client, count_queries, "/complaints/notifications") == few


def test_my_complaints_query_count_does_not_grow(client, login_as, count_queries):
    owner = login_as("business_owner")
    OpenComplaintFactory(reporter_user_id=owner.id)
    db.session.commit()
    few = _queries(client, count_queries, "/complaints/mine")
    for _ in range(10):
        OpenComplaintFactory(reporter_user_id=owner.id)
    db.session.commit()
    assert _queries(client, count_queries, "/complaints/mine") == few
