"""Who may open which complaint and labour-office page, role by role."""

from __future__ import annotations

import pytest

from portal.extensions import db
from tests.factories_complaints import OpenComplaintFactory, ReprimandFactory

STAFF_ROLES = [
    "bpjs_officer",
    "bpjs_head",
    "trade_officer",
    "trade_head",
    "labour_officer",
    "labour_head",
]
ALL = ["business_owner", "admin", *STAFF_ROLES]

# role → expected status for a BPJS complaint's staff page
DETAIL = {
    "bpjs_officer": 200,
    "bpjs_head": 200,
    "trade_officer": 404,
    "trade_head": 404,
    "labour_officer": 200,
    "labour_head": 200,
    "business_owner": 403,
    "admin": 403,
}
# role → expected status for a letter addressed to BPJS
LETTER = {
    "bpjs_officer": 403,
    "bpjs_head": 200,
    "trade_officer": 403,
    "trade_head": 404,
    "labour_officer": 200,
    "labour_head": 200,
    "business_owner": 403,
    "admin": 403,
}


@pytest.mark.parametrize("role", ALL)
def test_complaint_pages_by_role(client, login_as, role):
    complaint = OpenComplaintFactory()
    db.session.commit()
    login_as(role)
    staff = role in STAFF_ROLES
    assert client.get("/complaints/staff").status_code == (200 if staff else 403)
    assert client.get("/complaints/notifications").status_code == (200 if staff else 403)
    assert client.get(f"/complaints/staff/{complaint.id}").status_code == DETAIL[role]
    assert client.get("/complaints/mine").status_code == (200 if role == "business_owner" else 403)
    assert client.get("/complaints/new").status_code == 200  # anyone may complain


@pytest.mark.parametrize("role", ALL)
def test_labour_office_pages_by_role(client, login_as, role):
    reprimand = ReprimandFactory()
    db.session.commit()
    login_as(role)
    labour = role in ("labour_officer", "labour_head")
    for url in ("/disnaker/", "/disnaker/oversight", "/disnaker/overdue", "/disnaker/performance"):
        assert client.get(url).status_code == (200 if labour else 403), url
    assert client.get(f"/disnaker/reprimands/{reprimand.id}").status_code == LETTER[role]
    issue = client.get("/disnaker/reprimands/new").status_code
    assert issue == (200 if role == "labour_head" else 403)


def test_anonymous_visitors_are_sent_to_login_for_staff_pages(client):
    complaint = OpenComplaintFactory()
    db.session.commit()
    for url in (f"/complaints/staff/{complaint.id}", "/disnaker/oversight", "/disnaker/reprimands"):
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
