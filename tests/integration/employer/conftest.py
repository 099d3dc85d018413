"""Fixtures for the employer area: a logged-in owner with a verified business."""

from __future__ import annotations

import pytest

from portal.extensions import db
from tests.factories import BusinessFactory


@pytest.fixture
def owner(login_as):
    return login_as("business_owner")


@pytest.fixture
def business(owner):
    # Medium scale: every programme is required (Perpres 109/2013 art. 6), as the worked
    # examples of DOMAIN.md assume; tests of the other scales make their own business.
    business = BusinessFactory(owner=owner, verification_state="verified", scale="menengah")
    db.session.commit()
    return business
