"""Fixtures for the clerk-input tests: an owner with a verified business, a BPJS officer."""

from __future__ import annotations

import pytest

from portal.extensions import db
from tests.factories import BusinessFactory


@pytest.fixture
def owner(login_as):
    return login_as("business_owner")


@pytest.fixture
def business(owner):
    business = BusinessFactory(owner=owner, verification_state="verified")
    db.session.commit()
    return business
