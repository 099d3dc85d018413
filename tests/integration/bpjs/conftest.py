"""Fixtures for the BPJS workspace tests."""

from __future__ import annotations

import pytest

from portal.extensions import db
from tests.factories import UserFactory


@pytest.fixture
def officer(login_as):
    return login_as("bpjs_officer")


@pytest.fixture
def head(login_as):
    return login_as("bpjs_head")


@pytest.fixture
def other_officer(app):
    user = UserFactory(role="bpjs_officer", name="Petugas Lain")
    db.session.commit()
    return user
