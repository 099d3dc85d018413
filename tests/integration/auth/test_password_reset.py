"""Password reset by email: one answer for any address, single-use links that expire."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, LoginSession, LoginThrottle, PasswordReset
from portal.services.accounts.passwords import verify_password
from tests.conftest import PASSWORD
from tests.factories import UserFactory
from tests.page_says import page_says

NEW = "Teh-Sore-2027"
T0 = datetime(2026, 12, 5, 3, 0, tzinfo=UTC)
INVALID = "Tautan ini tidak berlaku"


def _ask(client, email):
    return client.post("/auth/password/forgot", data={"email": email})


def _link(mail_log, email) -> str:
    return re.search(r"https?://\S+/auth/password/reset/\S+", mail_log.last_body(email)).group(0)


def _path(link: str) -> str:
    return link[link.index("/auth/") :]


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_login_page_links_to_the_forgotten_password_form(client):
    body = client.get("/auth/login").get_data(as_text=True)
    assert 'href="/auth/password/forgot"' in body and "Lupa kata sandi?" in body


def test_a_reset_link_sets_a_new_password_once(client, auth, mail_log, clock):
    clock.now = T0
    user = UserFactory(email="ani@example.id")
    db.session.commit()
    assert _ask(client, "ANI@example.id ").status_code == 200
    link = _path(_link(mail_log, "ani@example.id"))
    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": NEW, "confirm": NEW})
    assert response.status_code == 302 and response.headers["Location"] == "/auth/login"
    db.session.refresh(user)
    assert verify_password(user.password_hash, NEW)
    assert auth.login(user, NEW).status_code == 302
    assert "user.password_reset" in _actions()
    assert mail_log()[-1] == ("ani@example.id", "Kata sandi portal Singkawang Anda telah diubah")


def test_a_used_link_cannot_be_used_again(client, mail_log):
    user = UserFactory()
    db.session.commit()
    _ask(client, user.email)
    link = _path(_link(mail_log, user.email))
    client.post(link, data={"password": NEW, "confirm": NEW})
    again = client.post(link, data={"password": "Lagi-Sandi-2028", "confirm": "Lagi-Sandi-2028"})
    assert again.status_code == 400 and INVALID in again.get_data(as_text=True)
    db.session.refresh(user)
    assert verify_password(user.password_hash, NEW)


def test_a_link_expires_after_an_hour(app, client, mail_log, clock):
    clock.now = T0
    user = UserFactory()
    db.session.commit()
    _ask(client, user.email)
    link = _path(_link(mail_log, user.email))
    clock.now = T0 + app.config["PASSWORD_RESET_VALID"] + timedelta(seconds=1)
    assert client.get(link).status_code == 400
    response = client.post(link, data={"password": NEW, "confirm": NEW})
    assert response.status_code == 400 and INVALID in response.get_data(as_text=True)
    db.session.refresh(user)
    assert verify_password(user.password_hash, PASSWORD)


def test_a_wrong_or_hostile_token_opens_nothing(client, mail_log):
    user = UserFactory()
    db.session.commit()
    _ask(client, user.email)
    real = _path(_link(mail_log, user.email)).rsplit("/", 1)[1]
    wrong = real[:-1] + ("B" if real.endswith("A") else "A")  # one character off, never equal
    for token in (wrong, "x", "%00", "a" * 5000, "%FF%FE"):
        response = client.post(
            f"/auth/password/reset/{token}", data={"password": NEW, "confirm": NEW}
        )
        assert response.status_code in (400, 404), token
    db.session.refresh(user)
    assert verify_password(user.password_hash, PASSWORD)


def test_only_the_hash_of_the_token_is_stored(client, mail_log):
    user = UserFactory()
    db.session.commit()
    _ask(client, user.email)
    token = _link(mail_log, user.email).rsplit("/", 1)[1]
    stored = db.session.scalar(select(PasswordReset.token_hash))
    assert token not in stored and len(stored) == 64
    assert token not in " ".join(db.session.scalars(select(AuditEvent.summary)))


def test_the_answer_does_not_reveal_whether_an_address_has_an_account(client, mail_log):
    UserFactory(email="ada@example.id")
    db.session.commit()
    known = _ask(client, "ada@example.id")
    unknown = _ask(client, "tiada@example.id")
    assert known.status_code == unknown.status_code == 200

    def says(response):
        return page_says(response.get_data(as_text=True).replace("tiada@", "ada@"))

    assert says(known) == says(unknown)
    assert [to for to, _subject in mail_log()] == ["ada@example.id"]
    assert _actions() == ["password.reset_requested", "password.reset_refused"]


def test_a_reset_logs_the_account_out_everywhere_and_voids_other_links(client, app, auth, mail_log):
    user = UserFactory()
    db.session.commit()
    other = app.test_client()
    other.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    _ask(client, user.email)
    first = _path(_link(mail_log, user.email))
    _ask(client, user.email)
    second = _path(_link(mail_log, user.email))
    client.post(second, data={"password": NEW, "confirm": NEW})
    assert client.get(first).status_code == 400
    assert (
        db.session.scalar(select(LoginSession.id).where(LoginSession.revoked_at.is_(None))) is None
    )


def test_a_reset_forgets_the_login_delays(app, client, mail_log):
    user = UserFactory()
    db.session.add(LoginThrottle(email=user.email, ip="", failures=99, last_failure_at=T0))
    db.session.commit()
    _ask(client, user.email)
    client.post(_path(_link(mail_log, user.email)), data={"password": NEW, "confirm": NEW})
    assert db.session.scalar(select(LoginThrottle.id)) is None


def test_the_new_password_must_follow_the_rules_and_the_link_stays_usable(client, mail_log):
    user = UserFactory()
    db.session.commit()
    _ask(client, user.email)
    link = _path(_link(mail_log, user.email))
    weak = client.post(link, data={"password": "pendek1", "confirm": "pendek1"})
    assert weak.status_code == 400
    assert "Gunakan minimal 10 karakter." in weak.get_data(as_text=True)
    assert client.post(link, data={"password": NEW, "confirm": NEW}).status_code == 302


def test_requests_cannot_flood_an_inbox(client, mail_log):
    user = UserFactory()
    db.session.commit()
    for _ in range(5):
        assert _ask(client, user.email).status_code == 200
    assert len(mail_log()) == 3
    assert _actions()[-1] == "password.reset_suppressed"


def test_requests_are_rate_limited_per_address(app, client):
    app.config["PASSWORD_RESET_RATE_LIMIT"] = "2 per minute"
    statuses = [_ask(client, f"u{i}@example.id").status_code for i in range(3)]
    assert statuses == [200, 200, 429]


def test_an_inactive_account_gets_no_link(client, mail_log):
    UserFactory(email="lama@example.id", active=False)
    db.session.commit()
    assert _ask(client, "lama@example.id").status_code == 200
    assert mail_log() == []


def test_a_forged_host_header_does_not_reach_the_reset_link(app, client, mail_log):
    app.config["PUBLIC_URL"] = "https://portal.example.id/"
    user = UserFactory()
    db.session.commit()
    client.post(
        "/auth/password/forgot",
        data={"email": user.email},
        headers={"Host": "evil.example", "X-Forwarded-Host": "evil.example"},
    )
    link = _link(mail_log, user.email)
    assert link.startswith("https://portal.example.id/auth/password/reset/")
    assert "evil" not in mail_log.last_body(user.email)
