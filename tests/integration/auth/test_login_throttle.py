"""Login throttling that an attacker cannot turn against the owner (issue 15, finding 3).

Failures delay the next attempt (per email and address, and per email from everywhere past a
generous ceiling); nothing locks an account, and a throttled refusal reads exactly like a
wrong password, for existing and unknown accounts alike.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, LoginThrottle
from portal.services.accounts.throttle import growing_delay
from tests.conftest import PASSWORD
from tests.factories import UserFactory
from tests.page_says import page_says

WRONG = "Salah-Sandi-2026"
ATTACKER = "10.6.6.6"
OWNER = "10.1.1.1"
T0 = datetime(2026, 12, 5, 3, 0, tzinfo=UTC)


def _login(client, email, password=WRONG, ip=ATTACKER):
    return client.post(
        "/auth/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": ip}
    )


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_guessing_from_one_address_does_not_lock_the_owner_out_from_another(app, client, clock):
    clock.now = T0
    user = UserFactory()
    db.session.commit()
    for _ in range(15):  # under the per-IP limit: the throttle, not Flask-Limiter, answers
        assert _login(client, user.email).status_code == 400
    assert _login(client, user.email, PASSWORD, ip=OWNER).status_code == 302


def test_failures_from_one_address_make_its_next_attempt_wait_a_growing_delay(app, client, clock):
    clock.now = T0
    user = UserFactory()
    db.session.commit()
    free = app.config["LOGIN_PAIR_FREE_FAILURES"]
    for _ in range(free):
        _login(client, user.email)
    # The next attempt from that address, even with the right password, waits the base delay.
    assert _login(client, user.email, PASSWORD).status_code == 400
    assert _actions()[-1] == "login.throttled"
    clock.now = T0 + timedelta(seconds=2)
    _login(client, user.email)  # one more failure: the delay doubles
    pair = db.session.scalar(select(LoginThrottle).where(LoginThrottle.ip == ATTACKER))
    assert pair.blocked_until == clock.now + timedelta(seconds=4)
    clock.now += timedelta(seconds=3)
    assert _login(client, user.email, PASSWORD).status_code == 400  # still waiting
    clock.now += timedelta(seconds=1)
    assert _login(client, user.email, PASSWORD).status_code == 302


def test_a_throttled_refusal_reads_like_a_wrong_password_for_any_email(app, client, clock):
    clock.now = T0
    user = UserFactory(email="ada@example.id")
    db.session.commit()
    first_wrong = _login(client, user.email)
    for _ in range(app.config["LOGIN_PAIR_FREE_FAILURES"]):
        _login(client, user.email)
        _login(client, "tiada@example.id")
    existing = _login(client, user.email, PASSWORD)
    unknown = _login(client, "tiada@example.id", PASSWORD)
    assert existing.status_code == unknown.status_code == first_wrong.status_code == 400
    assert _actions()[-2:] == ["login.throttled", "login.throttled"]

    def says(response):
        return page_says(response.get_data(as_text=True).replace("tiada@", "ada@"))

    assert says(existing) == says(unknown) == says(first_wrong)


def test_spread_out_guessing_delays_new_addresses_but_not_the_owners_known_one(app, client, clock):
    app.config["LOGIN_ACCOUNT_FREE_FAILURES"] = 3
    clock.now = T0
    user = UserFactory()
    db.session.commit()
    assert _login(client, user.email, PASSWORD, ip=OWNER).status_code == 302  # a known address
    client.post("/auth/logout")
    for i in range(3):
        _login(client, user.email, ip=f"10.7.0.{i}")
    # The ceiling is reached: an address never used by the account waits ...
    assert _login(client, user.email, PASSWORD, ip="10.8.0.1").status_code == 400
    # ... the owner's known address does not, and the delay is short.
    assert _login(client, user.email, PASSWORD, ip=OWNER).status_code == 302
    client.post("/auth/logout")
    clock.now = T0 + app.config["LOGIN_DELAY_BASE"]
    assert _login(client, user.email, PASSWORD, ip="10.8.0.1").status_code == 302


def test_delays_stop_growing_at_their_cap(app):
    cap = app.config["LOGIN_PAIR_MAX_DELAY"]
    assert growing_delay(4, 5, cap) == timedelta(0)
    assert growing_delay(5, 5, cap) == app.config["LOGIN_DELAY_BASE"]
    assert growing_delay(10**9, 5, cap) == cap


def test_a_success_forgets_the_failures(app, client, clock):
    clock.now = T0
    user = UserFactory()
    db.session.commit()
    for _ in range(3):
        _login(client, user.email, ip=OWNER)
    assert _login(client, user.email, PASSWORD, ip=OWNER).status_code == 302
    assert db.session.scalar(select(LoginThrottle.id)) is None


def test_failures_are_forgotten_after_a_quiet_hour(app, client, clock):
    clock.now = T0
    user = UserFactory()
    db.session.commit()
    for _ in range(app.config["LOGIN_PAIR_FREE_FAILURES"]):
        _login(client, user.email)
    clock.now = T0 + app.config["LOGIN_THROTTLE_FORGET"] + timedelta(seconds=1)
    _login(client, user.email)
    pair = db.session.scalar(select(LoginThrottle).where(LoginThrottle.ip == ATTACKER))
    assert pair.failures == 1 and pair.blocked_until is None


def test_an_unknown_email_is_counted_like_an_existing_one(app, client, clock):
    clock.now = T0
    _login(client, "tiada@example.id")
    rows = db.session.scalars(select(LoginThrottle).order_by(LoginThrottle.ip)).all()
    assert [(r.email, r.ip, r.failures) for r in rows] == [
        ("tiada@example.id", "", 1),
        ("tiada@example.id", ATTACKER, 1),
    ]


def test_stale_counts_are_deleted_when_a_new_key_starts_failing(app, client, clock):
    clock.now = T0
    _login(client, "lama@example.id")
    clock.now = T0 + app.config["LOGIN_THROTTLE_FORGET"] + timedelta(seconds=1)
    _login(client, "baru@example.id")
    emails = set(db.session.scalars(select(LoginThrottle.email)))
    assert emails == {"baru@example.id"}
