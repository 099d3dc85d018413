"""Every employer endpoint refuses other roles and anonymous callers."""

from __future__ import annotations

import pytest

from portal.extensions import db
from tests.factories import BusinessFactory, EmploymentFactory
from tests.factories_employer import EnrolmentRequestFactory

STAFF_AND_ADMIN = [
    "bpjs_officer",
    "bpjs_head",
    "trade_officer",
    "trade_head",
    "labour_officer",
    "labour_head",
    "admin",
]


def _urls():
    employment = EmploymentFactory(business=BusinessFactory())
    request = EnrolmentRequestFactory(employment=employment)
    db.session.commit()
    b, e = employment.business_id, employment.id
    gets = [
        "/employer/",
        "/employer/businesses/new",
        f"/employer/businesses/{b}",
        f"/employer/businesses/{b}/edit",
        f"/employer/businesses/{b}/employees/new",
        f"/employer/businesses/{b}/employees.csv",
        f"/employer/businesses/{b}/upload",
        f"/employer/employees/{e}",
        f"/employer/employees/{e}/edit",
        "/employer/enrolments",
        "/employer/upload-template.xlsx",
        "/employer/uploads/sometoken",
    ]
    posts = [
        f"/employer/businesses/{b}/enrolments",
        f"/employer/employees/{e}/end",
        f"/employer/enrolments/{request.id}/resubmit",
        "/employer/uploads/sometoken/confirm",
        "/employer/uploads/sometoken/check",
    ]
    return gets, posts


@pytest.mark.parametrize("role", STAFF_AND_ADMIN)
def test_staff_and_admin_are_refused_everywhere(client, login_as, role):
    gets, posts = _urls()
    login_as(role)
    for url in gets:
        assert client.get(url).status_code == 403, url
    for url in posts:
        assert client.post(url).status_code == 403, url


def test_anonymous_callers_are_sent_to_login(client):
    gets, posts = _urls()
    for url in gets:
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    for url in posts:
        assert client.post(url).status_code == 302, url
