"""What the fuzzing net (test_fuzzing.py) found, each closed by a test named after what it stops."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Business, DayOff, User
from tests.factories import UserFactory

HUGE = "99999999999999999999"


@pytest.mark.parametrize("path", ["/disperindagkop/directory", "/disperindagkop/funnel"])
def test_a_stray_fmt_in_the_url_does_not_break_the_export_links(client, login_as, path):
    login_as("trade_officer")
    response = client.get(f"{path}?fmt=7&kecamatan=Pasiran")
    assert response.status_code == 200
    links = re.findall(r'href="([^"]*export\.(?:csv|xlsx)[^"]*)"', response.get_data(as_text=True))
    # The export links carry the filters the page uses and nothing else from the URL.
    assert len(links) == 2 and all("fmt=7" not in link for link in links)
    assert all("kecamatan=Pasiran" in link for link in links)


def test_an_admin_deletes_a_day_off_by_its_date(client, login_as):
    login_as("admin")
    db.session.add(DayOff(day=date(2031, 3, 3), kind="local", description="Hari jadi"))
    db.session.commit()
    response = client.post("/admin/days-off/delete/", data={"id": "2031-03-03"})
    assert response.status_code == 302
    assert db.session.get(DayOff, date(2031, 3, 3)) is None


@pytest.mark.parametrize("raw", ["z±", "2026-02-30", "a\x00", HUGE])
def test_an_admin_id_the_key_cannot_hold_is_a_missing_record_not_a_500(client, login_as, raw):
    login_as("admin")
    assert client.post("/admin/days-off/delete/", data={"id": raw}).status_code == 302
    assert client.get("/admin/users/details/", query_string={"id": raw}).status_code == 302
    assert client.get("/admin/users/edit/", query_string={"id": raw}).status_code == 302


@pytest.mark.parametrize("page", ["-1", HUGE, "9223372036854775808"])
def test_admin_lists_survive_any_page_number(client, login_as, page):
    login_as("admin")
    for path in ("/admin/users/", "/admin/businesses/", "/admin/days-off/"):
        assert client.get(path, query_string={"page": page}).status_code == 200, path


@pytest.mark.parametrize("rowid", ["abc", HUGE, "\x00"])
def test_a_forged_row_id_in_an_admin_action_changes_nothing_and_is_no_500(client, login_as, rowid):
    login_as("admin")
    target = UserFactory()
    db.session.commit()
    for action, path in (("deactivate", "users"), ("unlock", "users"), ("verify", "businesses")):
        response = client.post(
            f"/admin/{path}/action/", data={"action": action, "rowid": [rowid, str(target.id)]}
        )
        assert response.status_code == 302, (action, rowid)
    assert db.session.get(User, target.id).active is False  # the real id still counted
    assert db.session.scalar(select(Business.id)) is None


def test_a_repeated_admin_id_is_a_missing_record_not_a_500(client, login_as):
    login_as("admin")
    for path in ("/admin/sectors/details/", "/admin/sectors/edit/", "/admin/users/details/"):
        response = client.get(path, query_string=[("id", "-1"), ("id", "-1")])
        assert response.status_code == 302, path


@pytest.mark.parametrize("target", ["\r", "/admin/\r\nX-Evil: 1", "\n"])
def test_a_newline_in_an_admin_return_url_is_ignored_not_a_500(client, login_as, target):
    login_as("admin")
    for method, path, data in (
        ("POST", "/admin/complaint-categories/delete/", {"url": target}),
        ("POST", "/admin/settings/new/", {"url": target, "key": "x"}),
        ("POST", "/admin/settings/action/", {"url": target, "action": "x"}),
        ("GET", "/admin/users/details/", {"url": target, "id": "987654"}),
    ):
        if method == "POST":
            response = client.post(path, data=data)
        else:
            response = client.get(path, query_string=data)
        assert response.status_code in (200, 302), (path, response.status_code)
        assert "\n" not in response.headers.get("Location", "") and "X-Evil" not in response.headers


@pytest.mark.parametrize("value", ["9223372036854775808", "9" * 400, "-5", "0", "abc"])
def test_an_arrears_business_filter_past_any_id_shows_all_businesses(client, login_as, value):
    login_as("business_owner")
    response = client.get("/employer/arrears", query_string={"business": value})
    assert response.status_code == 200


def test_a_nul_in_a_url_token_is_a_404_on_every_database(client, login_as):
    login_as("business_owner")
    for path in (
        "/employer/uploads/%00/progress",
        "/employer/uploads/a%00b",
        "/complaints/track/%00",
    ):
        assert client.get(path).status_code == 404, path
