"""Login failures and reset links under concurrency (PostgreSQL only): counts are not lost,
a link is used once."""

from __future__ import annotations

import re

from sqlalchemy import select

from portal.extensions import db
from portal.models import LoginThrottle
from portal.services.accounts.passwords import verify_password
from tests.factories import UserFactory
from tests.races import logged_in_clients, needs_postgres, race

pytestmark = needs_postgres


def test_simultaneous_failures_are_all_counted(app, mail_log):
    user = UserFactory()
    db.session.commit()
    clients = logged_in_clients(app, None, n=6)
    calls = [("/auth/login", {"email": user.email, "password": "Salah-Sandi-2026"})] * 6
    assert [r.status_code for r in race(clients, calls)] == [400] * 6
    db.session.expire_all()
    rows = db.session.scalars(select(LoginThrottle).where(LoginThrottle.email == user.email))
    assert {row.ip: row.failures for row in rows} == {"": 6, "127.0.0.1": 6}


def test_two_tabs_cannot_both_use_one_reset_link(app, client, mail_log):
    user = UserFactory()
    db.session.commit()
    client.post("/auth/password/forgot", data={"email": user.email})
    link = re.search(r"/auth/password/reset/\S+", mail_log.last_body(user.email)).group(0)
    clients = logged_in_clients(app, None, n=2)
    calls = [
        (link, {"password": "Pertama-Sandi-2027", "confirm": "Pertama-Sandi-2027"}),
        (link, {"password": "Kedua-Sandi-2027", "confirm": "Kedua-Sandi-2027"}),
    ]
    statuses = sorted(r.status_code for r in race(clients, calls))
    assert statuses == [302, 400]
    db.session.expire_all()
    db.session.refresh(user)
    assert verify_password(user.password_hash, "Pertama-Sandi-2027") != verify_password(
        user.password_hash, "Kedua-Sandi-2027"
    )
