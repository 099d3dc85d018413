"""Fixtures shared by the integration tests of the complaint and labour-office areas."""

from __future__ import annotations

import pytest

from portal.extensions import db
from portal.models import Agency
from portal.web.access import STAFF
from tests.factories import UserFactory, agency


@pytest.fixture
def agencies(app) -> dict[str, Agency]:
    return {code: agency(code) for code in ("bpjs", "disperindagkop", "disnaker")}


@pytest.fixture
def staff(app):
    """One user per staff role, committed."""
    users = {role: UserFactory(role=role, name=f"Petugas {role}") for role in sorted(STAFF)}
    db.session.commit()
    return users


@pytest.fixture
def switch_to(auth):
    """Log out whoever is logged in and log in `user`."""

    def _switch(user):
        auth.logout()
        response = auth.login(user)
        assert response.status_code == 302
        return user

    return _switch
