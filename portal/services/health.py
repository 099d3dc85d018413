"""Whether the application can serve: the load balancer's health check asks here."""

from __future__ import annotations

from sqlalchemy import text

from ..extensions import db


def database_answers() -> bool:
    """One round trip to the database (an outage raises, and the app answers 503)."""
    db.session.execute(text("SELECT 1"))
    return True
