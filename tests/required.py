"""A service a test needs (PostgreSQL, Redis) that is not there: skipped on a developer's
machine, a failure under CI=true, where every service is required."""

from __future__ import annotations

import os

import pytest


def unreachable(what: str, exc: Exception):
    message = f"{what} unreachable: {exc.__class__.__name__}: {str(exc)[:200]}"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (required under CI=true)")
    pytest.skip(message)
