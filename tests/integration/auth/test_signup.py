"""Business owners sign themselves up; bad input gets a clear message and keeps the form."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, Role, User
from tests.factories import UserFactory
from tests.page_says import page_says

GOOD = {
    "name": "Budi Santoso",
    "email": "budi@example.id",
    "phone": "0812 3456 7890",
    "password": "Kopi-Pagi-2026",
    "confirm": "Kopi-Pagi-2026",
}


def _users() -> int:
    return db.session.scalar(select(func.count(User.id)))


def test_owner_signs_up_is_told_to_check_their_email_and_logs_in(client, auth, mail_log):
    response = client.post("/auth/signup", data=GOOD)
    assert response.status_code == 200
    assert "Periksa email Anda" in response.get_data(as_text=True)
    user = db.session.scalar(select(User))
    assert user.role == Role.BUSINESS_OWNER
    assert user.email == "budi@example.id"
    assert user.password_hash.startswith("$argon2id$")
    assert mail_log() == [("budi@example.id", "Akun portal Singkawang Anda")]
    assert auth.login("budi@example.id", GOOD["password"]).headers["Location"] == "/employer/"
    assert client.get("/employer/").status_code == 200
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.signup"))
    assert event.actor_id == user.id
    assert "Kopi-Pagi" not in event.summary


def test_email_is_stored_lower_case(client):
    client.post("/auth/signup", data={**GOOD, "email": "  Budi@Example.ID "})
    assert db.session.scalar(select(User.email)) == "budi@example.id"


def test_signup_does_not_reveal_that_an_address_has_an_account(client, mail_log):
    owner = UserFactory(email="budi@example.id", name="Budi Lama")
    db.session.commit()
    before = owner.password_hash
    taken = client.post("/auth/signup", data={**GOOD, "email": "BUDI@example.ID"})
    fresh = client.post("/auth/signup", data={**GOOD, "email": "BARU@example.ID"})
    assert taken.status_code == fresh.status_code == 200

    def says(response):
        return page_says(response.get_data(as_text=True).replace("BARU@", "BUDI@"))

    assert says(taken) == says(fresh)
    assert "Sudah ada akun" not in taken.get_data(as_text=True)
    # The address's owner is told, and nothing of theirs changed.
    assert mail_log()[0] == ("budi@example.id", "Seseorang mencoba mendaftar dengan alamat Anda")
    db.session.refresh(owner)
    assert (owner.name, owner.password_hash) == ("Budi Lama", before)
    assert _users() == 2
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"user.signup_existing", "user.signup"} <= actions


def test_weak_passwords_are_refused_with_the_reason(client):
    cases = {
        "Pendek1": "Gunakan minimal 10 karakter.",
        "hanyahurufsaja": "Gunakan huruf dan angka.",
        "1234567890": "Gunakan huruf dan angka.",
        "budi-2026-rahasia": "Jangan gunakan alamat email Anda di kata sandi.",
        "santoso-12345": "Jangan gunakan nama Anda di kata sandi.",
        "aaaa1111aaaa": "Kata sandi ini terlalu mudah ditebak.",
    }
    for password, message in cases.items():
        response = client.post(
            "/auth/signup", data={**GOOD, "password": password, "confirm": password}
        )
        assert response.status_code == 400, password
        assert message in response.get_data(as_text=True), password
    assert _users() == 0


def test_mismatched_confirmation_is_refused(client):
    response = client.post("/auth/signup", data={**GOOD, "confirm": "Lain-Sandi-2026"})
    assert response.status_code == 400
    assert "Kata sandi tidak sama." in response.get_data(as_text=True)


def test_invalid_email_and_phone_are_explained(client):
    response = client.post("/auth/signup", data={**GOOD, "email": "bukan-email", "phone": "abc"})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Masukkan email yang benar." in body
    assert "Masukkan nomor telepon seperti 0812 3456 7890" in body


def test_missing_phone_is_explained(client):
    response = client.post("/auth/signup", data={**GOOD, "phone": ""})
    assert response.status_code == 400
    assert 'id="phone-error"' in response.get_data(as_text=True)
    assert _users() == 0


def test_overlong_fields_are_refused_without_saving(client):
    response = client.post("/auth/signup", data={**GOOD, "name": "N" * 500})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert 'id="name-error"' in body and "120" in body
    assert f'value="{GOOD["email"]}"' in body  # the rest of the form is kept
    assert _users() == 0


def test_bad_input_is_explained_in_english_when_chosen(client):
    client.post("/language/en", data={"next": "/auth/signup"})
    response = client.post("/auth/signup", data={**GOOD, "email": "not-an-email", "phone": ""})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Enter a valid email." in body
    assert "Enter a mobile phone number" in body
    assert f'value="{GOOD["name"]}"' in body
    assert _users() == 0


def test_non_utf8_bytes_are_refused_with_a_message(client):
    body = (
        b"name=Budi%FF%FESantoso&email=budi%40example.id&phone=&"
        b"password=Kopi-Pagi-2026&confirm=Kopi-Pagi-2026"
    )
    response = client.post(
        "/auth/signup", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "Berisi karakter yang tidak dapat kami baca." in response.get_data(as_text=True)
    assert _users() == 0


def test_non_utf8_bytes_in_login_do_not_cause_a_server_error(client):
    response = client.post(
        "/auth/login",
        data=b"email=%C3%28%40x.id&password=%FF",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400


def test_signup_form_is_in_indonesian_by_default(client):
    body = client.get("/auth/signup").get_data(as_text=True)
    assert "Buat akun" in body
    assert 'lang="id"' in body


def test_raw_non_utf8_body_is_a_bad_request_not_a_server_error(client):
    response = client.post(
        "/auth/signup",
        data=b"name=Budi\xff\xfeSantoso&email=budi%40example.id&password=x&confirm=x",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert _users() == 0
