"""Flask-Admin: admin only, CSRF-protected, and every change audited."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Agency, AuditEvent, Business, LoginThrottle, Role, Setting, User
from portal.models._common import utcnow
from portal.services.accounts.passwords import verify_password
from tests.conftest import PASSWORD, make_app
from tests.factories import BusinessFactory, UserFactory

STAFF_PASSWORD = "Kantor-Cabang-2026"


def _last_event() -> AuditEvent:
    return db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))


def _create_user(client, **fields):
    data = {
        "email": "Petugas.Baru@Example.id",
        "name": "Petugas Baru",
        "phone": "0812000111",
        "role": Role.BPJS_OFFICER.value,
        "active": "y",
        "new_password": STAFF_PASSWORD,
        **fields,
    }
    return client.post("/admin/users/new/", data=data)


@pytest.mark.parametrize("role", sorted(r.value for r in Role if r != Role.ADMIN))
def test_non_admins_get_403(client, login_as, role):
    login_as(role)
    for url in ("/admin/", "/admin/users/", "/admin/audit/", "/admin/businesses/"):
        assert client.get(url).status_code == 403, url


def test_anonymous_goes_to_login(client):
    response = client.get("/admin/users/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


def test_admin_index_lists_the_areas(client, login_as):
    login_as("admin")
    body = client.get("/admin/").get_data(as_text=True)
    assert "/admin/users/" in body and "/admin/audit/" in body


def test_admin_creates_a_staff_account_with_its_agency(client, login_as):
    login_as("admin")
    response = _create_user(client)
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "petugas.baru@example.id"))
    assert user.role == Role.BPJS_OFFICER
    assert user.agency.code == "bpjs"
    assert verify_password(user.password_hash, STAFF_PASSWORD)
    event = _last_event()
    assert event.action == "admin.user.created"
    assert STAFF_PASSWORD not in event.summary
    assert event.record_id == str(user.id)


def test_new_staff_account_can_log_in(app, client, login_as):
    login_as("admin")
    _create_user(client)
    other = app.test_client()
    response = other.post(
        "/auth/login", data={"email": "petugas.baru@example.id", "password": STAFF_PASSWORD}
    )
    assert response.headers["Location"] == "/bpjs/"


def test_creating_an_account_needs_a_strong_password(client, login_as):
    login_as("admin")
    _create_user(client, new_password="")
    _create_user(client, new_password="lemah1")
    assert db.session.scalar(select(User).where(User.email == "petugas.baru@example.id")) is None


def test_duplicate_email_in_another_case_is_refused(client, login_as):
    login_as("admin")
    UserFactory(email="petugas.baru@example.id")
    db.session.commit()
    response = _create_user(client, email="PETUGAS.BARU@example.id")
    assert response.status_code == 200
    assert "Sudah ada akun dengan email ini." in response.get_data(as_text=True)


def test_reset_password_sets_the_new_one_and_ends_sessions(app, client, login_as):
    login_as("admin")
    staff = UserFactory(role="trade_officer")
    db.session.commit()
    staff_browser = app.test_client()
    staff_browser.post("/auth/login", data={"email": staff.email, "password": PASSWORD})
    assert staff_browser.get("/disperindagkop/").status_code == 200

    response = client.post(
        f"/admin/users/edit/?id={staff.id}",
        data={
            "email": staff.email,
            "name": staff.name,
            "phone": "",
            "role": "trade_officer",
            "active": "y",
            "new_password": "Reset-Sandi-2026",
        },
    )
    assert response.status_code == 302
    db.session.refresh(staff)
    assert verify_password(staff.password_hash, "Reset-Sandi-2026")
    assert staff_browser.get("/disperindagkop/").status_code == 302
    event = _last_event()
    assert event.action == "admin.user.updated"
    assert '"password_reset": true' in event.summary
    assert "Reset-Sandi" not in event.summary


def test_deactivate_and_unlock_actions(client, login_as):
    admin = login_as("admin")
    locked = UserFactory()
    target = UserFactory()
    db.session.add(LoginThrottle(email=locked.email, ip="", failures=60, blocked_until=utcnow()))
    db.session.commit()

    client.post("/admin/users/action/", data={"action": "deactivate", "rowid": [target.id]})
    client.post("/admin/users/action/", data={"action": "unlock", "rowid": [locked.id]})
    client.post("/admin/users/action/", data={"action": "deactivate", "rowid": [admin.id]})
    db.session.expire_all()
    assert target.active is False
    assert db.session.scalar(select(LoginThrottle.id)) is None  # its login delays forgotten
    assert db.session.get(User, admin.id).active is True  # never yourself
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"admin.user.deactivated", "admin.user.unlocked"} <= actions


def test_users_cannot_be_deleted(client, login_as):
    login_as("admin")
    victim = UserFactory()
    db.session.commit()
    client.post("/admin/users/delete/", data={"id": victim.id})
    assert db.session.get(User, victim.id) is not None


def test_admin_verifies_a_pending_business(client, login_as):
    login_as("admin")
    pending = BusinessFactory(verification_state="pending")
    rejected = BusinessFactory(verification_state="rejected")
    db.session.commit()
    response = client.post(
        "/admin/businesses/action/",
        data={"action": "verify", "rowid": [pending.id, rejected.id]},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert pending.verification_state == "verified"
    assert pending.verified_at is not None and pending.version == 2
    assert rejected.verification_state == "rejected"  # only pending ones move
    assert _last_event().action == "business.verified"


def test_admin_verifying_keeps_maker_checker(client, login_as):
    admin = login_as("admin")
    own_registration = BusinessFactory(verification_state="pending", registered_by=admin)
    db.session.commit()
    response = client.post(
        "/admin/businesses/action/",
        data={"action": "verify", "rowid": [own_registration.id]},
        follow_redirects=True,
    )
    assert "petugas lain yang harus memverifikasinya" in response.get_data(as_text=True)
    db.session.expire_all()
    assert own_registration.verification_state == "pending"


def test_agency_display_name_is_editable_and_audited(client, login_as):
    login_as("admin")
    agency = db.session.scalar(select(Agency).where(Agency.code == "disnaker"))
    response = client.post(
        f"/admin/agencies/edit/?id={agency.id}",
        data={"name": "Dinas Tenaga Kerja Kota Singkawang", "short_name": "Disnaker"},
    )
    assert response.status_code == 302
    db.session.refresh(agency)
    assert agency.name == "Dinas Tenaga Kerja Kota Singkawang"
    event = _last_event()
    assert event.action == "admin.agency.updated"
    assert "Dinas Tenaga Kerja Kota Singkawang" in event.summary


def test_setting_change_is_audited_with_its_key(client, login_as):
    login_as("admin")
    response = client.post(
        "/admin/settings/edit/?id=membership_grace_days",
        data={"value": "45", "description": "grace"},
    )
    assert response.status_code == 302
    assert db.session.get(Setting, "membership_grace_days").value == "45"
    event = _last_event()
    assert (event.action, event.record_id) == ("admin.setting.updated", "membership_grace_days")


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("membership_grace_days", "tiga puluh", "bilangan bulat dari 1 sampai 365"),
        ("membership_grace_days", "0", "bilangan bulat dari 1 sampai 365"),
        ("coverage_target_high_pct", "150", "bilangan bulat dari 0 sampai 100"),
        ("reprimand_number_pattern", "800/TEG/{year}", "Pola harus memuat {seq} dan {year}"),
        ("reprimand_number_pattern", "800/{seq}/{tahun}", "Pola harus memuat {seq} dan {year}"),
        ("reprimand_number_pattern", "{seq}/{year}/" + "X" * 80, "paling banyak 80 karakter"),
    ],
)
def test_a_setting_the_portal_could_not_use_is_refused_next_to_its_field(
    client, login_as, key, value, message
):
    login_as("admin")
    before = db.session.get(Setting, key).value
    response = client.post(f"/admin/settings/edit/?id={key}", data={"value": value})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Setting, key).value == before


def test_a_usable_letter_number_pattern_is_saved(client, login_as):
    login_as("admin")
    pattern = "800.1/{seq:04d}/TEGURAN-{level}/{year}"
    response = client.post(
        "/admin/settings/edit/?id=reprimand_number_pattern", data={"value": pattern}
    )
    assert response.status_code == 302
    assert db.session.get(Setting, "reprimand_number_pattern").value == pattern


@pytest.mark.parametrize(
    "url",
    [
        "/admin/regions/",
        "/admin/sectors/",
        "/admin/rates/",
        "/admin/days-off/",
        "/admin/complaint-categories/",
        "/admin/settings/",
        "/admin/agencies/",
        "/admin/businesses/",
        "/admin/audit/",
        "/admin/users/new/",
        "/admin/rates/new/",
    ],
)
def test_admin_pages_render(client, login_as, url):
    login_as("admin")
    assert client.get(url).status_code == 200


def test_audit_log_is_read_only(client, login_as):
    login_as("admin")
    count = db.session.query(AuditEvent).count()
    event = _last_event()
    assert client.get("/admin/audit/new/").status_code in (302, 403, 404)
    client.post(f"/admin/audit/edit/?id={event.id}", data={"action": "forged"})
    client.post("/admin/audit/delete/", data={"id": event.id})
    db.session.expire_all()
    assert db.session.query(AuditEvent).count() == count
    assert db.session.get(AuditEvent, event.id).action == event.action


def test_admin_forms_need_a_csrf_token(database_url, app):
    csrf_app = make_app(database_url, WTF_CSRF_ENABLED=True)
    client = csrf_app.test_client()
    with csrf_app.app_context():
        admin = UserFactory(role="admin")
        db.session.commit()
        page = client.get("/auth/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        client.post(
            "/auth/login", data={"email": admin.email, "password": PASSWORD, "csrf_token": token}
        )
        refused = _create_user(client)
        assert refused.status_code == 400
        form = client.get("/admin/users/new/").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
        accepted = _create_user(client, csrf_token=token)
        assert accepted.status_code == 302
        assert db.session.scalar(select(User.id).where(User.email == "petugas.baru@example.id"))


def test_business_admin_has_no_create_or_edit(client, login_as):
    login_as("admin")
    business = BusinessFactory()
    db.session.commit()
    client.post(f"/admin/businesses/edit/?id={business.id}", data={"name": "Renamed"})
    db.session.refresh(business)
    assert business.name != "Renamed"
    assert db.session.query(Business).count() == 1


def test_a_day_off_is_entered_with_its_date_and_a_known_kind(client, login_as):
    """The day is the record's key: the form asks for it (DD-MM-YYYY, like every date) and
    the kind is chosen from the kinds the database allows, never typed."""
    from datetime import date

    from portal.admin import DAY_OFF_KIND_LABELS
    from portal.models import DayOff
    from portal.models.reference import DAY_OFF_KINDS

    assert tuple(DAY_OFF_KIND_LABELS) == DAY_OFF_KINDS
    login_as("admin")
    form = client.get("/admin/days-off/new/?lang=en").get_data(as_text=True)
    assert 'name="day"' in form and 'placeholder="DD-MM-YYYY"' in form
    assert '<option value="cuti_bersama">' in form and 'name="kind"' in form
    saved = client.post(
        "/admin/days-off/new/",
        data={"day": "31-12-2030", "kind": "local", "description": "Libur daerah"},
    )
    assert saved.status_code == 302
    assert db.session.get(DayOff, date(2030, 12, 31)).kind == "local"
    wrong = client.post(
        "/admin/days-off/new/?lang=en",
        data={"day": "31-02-2030", "kind": "party", "description": "x"},
    )
    body = wrong.get_data(as_text=True)
    assert wrong.status_code == 200 and "Not a valid choice" in body
    assert "31-02-2030" in body  # the input is kept
    twice = client.post(
        "/admin/days-off/new/?lang=en",
        data={"day": "31-12-2030", "kind": "local", "description": "again"},
        follow_redirects=True,
    )
    assert "Already exists." in twice.get_data(as_text=True)  # next to the day


def test_the_admin_sets_a_government_officers_nip_and_no_one_elses(client, login_as):
    login_as("admin")
    officer = UserFactory(role="labour_officer")
    clerk = UserFactory(role="bpjs_officer")
    db.session.commit()
    form = client.get(f"/admin/users/edit/?id={officer.id}").get_data(as_text=True)
    assert 'name="nip"' in form

    def edit(user, nip):
        return client.post(
            f"/admin/users/edit/?id={user.id}&lang=en",
            data={
                "email": user.email,
                "name": user.name,
                "phone": "",
                "nip": nip,
                "role": user.role,
                "active": "y",
                "new_password": "",
            },
            follow_redirects=True,
        )

    edit(officer, "19730109 199803 1 003")
    db.session.expire_all()
    assert db.session.get(User, officer.id).nip == "197301091998031003"
    refused = edit(clerk, "197301091998031003").get_data(as_text=True)
    assert "Only government staff have a NIP." in refused
    db.session.expire_all()
    assert db.session.get(User, clerk.id).nip is None
    bad = edit(officer, "1973").get_data(as_text=True)
    assert "NIP" in bad and db.session.get(User, officer.id).nip == "197301091998031003"
