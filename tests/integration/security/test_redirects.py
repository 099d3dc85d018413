"""Open redirects (issue 15, finding 6): every redirect to a target the request named goes
through `portal.web.redirects.safe_next`."""

from __future__ import annotations

import re

import pytest

from portal.extensions import db
from tests.conftest import PASSWORD
from tests.factories import UserFactory

HOSTILE = [
    "//evil.example",
    "/\t/evil.example",
    "/%09/evil.example",
    "/\\evil.example",
    "/%2F%2Fevil.example",
    "https://evil.example/",
    "javascript:alert(1)",
]


def _is_local(location: str) -> bool:
    return location.startswith("/") and not location.startswith(("//", "/\\"))


def test_language_switch_never_redirects_off_site(client):
    """The reported hole: a 404 page at `/%09/evil.example` put `/\\t/evil.example` in the
    language form; Werkzeug dropped the tab and answered `Location: //evil.example`."""
    page = client.get("/%09/evil.example")
    assert page.status_code == 404
    (target,) = re.findall(r'name="next" value="([^"]*)"', page.get_data(as_text=True))
    response = client.post("/language/en", data={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", HOSTILE)
def test_language_switch_refuses_every_off_site_target(client, target):
    response = client.post("/language/en", data={"next": target})
    assert response.headers["Location"] == "/"


def test_language_switch_still_returns_to_the_page_with_its_filters(client):
    response = client.post("/language/en", data={"next": "/complaints/track?code=AB%20CD"})
    assert response.headers["Location"] == "/complaints/track?code=AB%20CD"


@pytest.mark.parametrize("target", HOSTILE)
def test_login_next_never_redirects_off_site(client, target):
    user = UserFactory(role="labour_officer")
    db.session.commit()
    response = client.post(
        "/auth/login",
        query_string={"next": target},
        data={"email": user.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/disnaker/"
    assert _is_local(response.headers["Location"])


@pytest.mark.parametrize("target", HOSTILE)
def test_admin_return_urls_never_redirect_off_site(client, login_as, target):
    """Flask-Admin's own `url=` return targets (its is_safe_url) hold against the same list."""
    login_as("admin")
    response = client.get("/admin/users/details/", query_string={"id": 987654, "url": target})
    assert response.status_code == 302
    assert _is_local(response.headers["Location"])
