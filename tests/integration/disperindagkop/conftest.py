"""Fixtures for the trade office's tests."""

from __future__ import annotations

import pytest

from portal.extensions import db
from portal.models import AuditEvent


@pytest.fixture
def officer(login_as):
    """A trade officer, logged in."""
    return login_as("trade_officer")


@pytest.fixture
def bpjs_officer(login_as):
    """A BPJS officer, logged in."""
    return login_as("bpjs_officer")


@pytest.fixture
def audit_actions():
    """The audit actions written so far, oldest first."""

    def _actions() -> list[str]:
        return [e.action for e in db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id))]

    return _actions
