"""Every form reads NIKs, money, phones and dates the way clerks type them (issue 12).

Each form is driven through its URL with the spellings clerks use; bad input gets its
message next to the field (Indonesian by default), the input is kept, nothing is saved.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Business, ContributionPayment, Employment, User, Worker
from tests.factories import make_nik
from tests.factories_bpjs import MembershipFactory

BIRTH = date(1990, 5, 17)
NIK = make_nik(BIRTH, "L", serial=4321)


def _employee(**overrides) -> dict:
    data = {
        "nik": NIK,
        "full_name": "Ahmad Fauzi",
        "birth_date": "17-05-1990",
        "sex": "L",
        "phone": "081298765432",
        "kelurahan_code": "61.72.01.1002",
        "occupation": "Juru masak",
        "category": "PU",
        "monthly_amount": "5000000",
        "start_date": "05-01-2026",
    }
    return data | overrides


def _post_employee(client, business, **overrides):
    return client.post(
        f"/employer/businesses/{business.id}/employees/new", data=_employee(**overrides)
    )


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# --- NIK ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [NIK, f"{NIK[:4]} {NIK[4:8]} {NIK[8:12]} {NIK[12:]}", f"{NIK[:4]}.{NIK[4:8]}.{NIK[8:]}"],
)
def test_employee_form_reads_a_nik_with_spaces_or_dots(client, business, typed):
    response = _post_employee(client, business, nik=typed)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert db.session.scalar(select(Worker.nik)) == NIK


@pytest.mark.parametrize("typed", [NIK + "7", f"{NIK[:4]} {NIK[4:8]} {NIK[8:12]} {NIK[12:]}7"])
def test_a_17_digit_nik_is_an_error_never_cut_to_16(client, business, typed):
    response = _post_employee(client, business, nik=typed)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="nik-error"' in html and "NIK harus tepat 16 angka." in html
    assert typed in html  # kept as typed
    assert _count(Worker) == 0


def test_the_nik_input_never_has_a_maxlength_that_cuts_16_digits(client, business):
    html = client.get(f"/employer/businesses/{business.id}/employees/new").get_data(as_text=True)
    assert 'maxlength="16"' not in html


def test_batch_member_nik_is_read_like_the_employee_form(app):
    from portal.bpjs.forms import BatchMemberForm

    with app.test_request_context(
        method="POST",
        data={"nik": f"{NIK}9", "full_name": "A", "birth_date": "17-05-1990", "sex": "L"},
    ):
        form = BatchMemberForm(meta={"csrf": False})
        assert not form.validate()
        assert form.nik.errors


# --- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["17-05-1990", "17/05/1990", "17.5.1990", "1990-05-17"])
def test_birth_date_is_read_as_dd_mm_yyyy(client, business, typed):
    response = _post_employee(client, business, birth_date=typed)
    assert response.status_code == 302
    assert db.session.scalar(select(Worker.birth_date)) == BIRTH


def test_a_date_that_does_not_exist_says_so(client, business):
    response = _post_employee(client, business, start_date="31-02-2026")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="start_date-error"' in html
    assert "Tanggal ini tidak ada di kalender." in html
    assert "DD-MM-YYYY, misalnya" not in html.split('id="start_date-error"')[1][:300]
    assert "31-02-2026" in html
    assert _count(Employment) == 0


def test_a_date_written_another_way_asks_for_dd_mm_yyyy(client, business):
    response = _post_employee(client, business, start_date="Jan 5 2026")
    assert response.status_code == 400
    assert 'id="start_date-error"' in response.get_data(as_text=True)


def test_date_inputs_are_text_in_dd_mm_yyyy_not_a_browser_date_picker(client, business):
    html = client.get(f"/employer/businesses/{business.id}/employees/new").get_data(as_text=True)
    assert 'type="date"' not in html
    assert 'placeholder="DD-MM-YYYY"' in html


# --- money ----------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["5000000", "5.000.000", "Rp 5.000.000", "Rp5.000.000,00"])
def test_employee_wage_is_read_as_clerks_type_it(client, business, typed):
    response = _post_employee(client, business, monthly_amount=typed)
    assert response.status_code == 302
    assert db.session.scalar(select(Employment.monthly_amount)) == 5_000_000


@pytest.fixture
def officer(client, auth):
    from tests.factories import UserFactory

    user = UserFactory(role="bpjs_officer")
    db.session.commit()
    auth.login(user)
    return user


@pytest.mark.parametrize("typed", ["359.450", "Rp 359.450", "359450", "Rp. 359.450,00"])
def test_payment_form_reads_the_amount_as_clerks_type_it(client, officer, typed):
    m = MembershipFactory(monthly_amount=3_000_000, start_date=date(2026, 1, 1))
    db.session.commit()
    response = client.post(
        "/bpjs/payments/new",
        data={
            "kpj": m.kpj,
            "period": "01-2026",
            "amount": typed,
            "paid_on": "10-02-2026",
            "channel": "bank",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    payment = db.session.scalar(select(ContributionPayment))
    assert payment.amount == 359_450 and payment.period == "2026-01"
    assert payment.paid_on == date(2026, 2, 10)


@pytest.mark.parametrize("typed", ["abc", "-5.000", "1.5000"])
def test_payment_amount_that_cannot_be_read_is_explained(client, officer, typed):
    m = MembershipFactory(start_date=date(2026, 1, 1))
    db.session.commit()
    response = client.post(
        "/bpjs/payments/new",
        data={"kpj": m.kpj, "period": "01-2026", "amount": typed, "paid_on": "10-02-2026"},
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="amount-error"' in html and typed in html
    assert _count(ContributionPayment) == 0


# --- phones ---------------------------------------------------------------------------------

PHONES = [
    ("0562-631234", "0562631234"),
    ("0812 5678 9012", "081256789012"),
    ("+62 812-5678-9012", "081256789012"),
    ("62812 5678 9012", "081256789012"),
]


@pytest.mark.parametrize("typed,stored", PHONES)
def test_business_form_accepts_a_phone_with_dashes_and_stores_it_one_way(
    client, owner, typed, stored
):
    data = {
        "nib": "1234567890123",
        "name": "Warung Sate Pak Ali",
        "sector_code": "food_drink",
        "scale": "mikro",
        "kelurahan_code": "61.72.01.1001",
        "address": "Jl. Niaga 5",
        "phone": typed,
        "risk_class": "rendah",
    }
    response = client.post("/employer/businesses/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert db.session.scalar(select(Business.phone)) == stored


@pytest.mark.parametrize("typed,stored", PHONES)
def test_sign_up_stores_the_phone_the_same_way(client, typed, stored):
    data = {
        "name": "Budi Santoso",
        "email": "budi@example.id",
        "phone": typed,
        "password": "Kopi-Pagi-2026",
        "confirm": "Kopi-Pagi-2026",
    }
    assert client.post("/auth/signup", data=data).status_code == 200  # "check your email"
    assert db.session.scalar(select(User.phone).where(User.email == "budi@example.id")) == stored


@pytest.mark.parametrize("typed,stored", PHONES)
def test_employee_phone_is_stored_the_same_way(client, business, typed, stored):
    assert _post_employee(client, business, phone=typed).status_code == 302
    employment = db.session.scalar(select(Employment))
    assert stored in (employment.phone, employment.worker.phone)


def test_a_phone_that_is_not_one_is_explained_and_kept(client, business):
    response = _post_employee(client, business, phone="12-ab")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="phone-error"' in html and "Masukkan nomor telepon seperti" in html
    assert "12-ab" in html


@pytest.mark.parametrize("typed,stored", PHONES)
def test_trade_office_field_registration_stores_the_phone_the_same_way(
    client, login_as, typed, stored
):
    login_as("trade_officer")
    data = {
        "nib": "9120005550001",
        "name": "Keripik Pisang Bu Ani",
        "sector_code": "food_drink",
        "scale": "mikro",
        "kelurahan_code": "61.72.03.1001",
        "address": "Jl. Pajintan 5",
        "phone": typed,
    }
    response = client.post("/disperindagkop/businesses/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert db.session.scalar(select(Business.phone)) == stored


@pytest.mark.parametrize("typed,stored", PHONES)
def test_referral_contact_phone_is_stored_the_same_way(client, login_as, typed, stored):
    from portal.models import Referral
    from tests.factories import BusinessFactory

    login_as("trade_officer")
    business = BusinessFactory()
    db.session.commit()
    data = {
        "reason": "Tujuh pekerja belum terdaftar",
        "contact_person": "Pak Acong",
        "confirmed": "yes",
    }
    response = client.post(
        f"/disperindagkop/businesses/{business.id}/refer", data={**data, "contact_phone": typed}
    )
    assert response.status_code == 302
    assert db.session.scalar(select(Referral.contact_phone)) == stored


@pytest.mark.parametrize("typed,stored", PHONES)
def test_complaint_reporter_phone_is_stored_the_same_way(client, typed, stored):
    from portal.models import Agency, Complaint

    bpjs = db.session.scalar(select(Agency).where(Agency.code == "bpjs"))
    data = {
        "category": "enrolment_slow",
        "agency": str(bpjs.id),
        "subject": "Pendaftaran pekerja belum diproses",
        "description": "Sudah tiga minggu pendaftaran dua pekerja kami belum diproses.",
        "reporter_name": "Ani Pelapor",
        "reporter_phone": typed,
        "website": "",
    }
    assert client.post("/complaints/new", data=data).status_code == 302
    assert db.session.scalar(select(Complaint.reporter_phone)) == stored


@pytest.mark.parametrize("typed", ["17-08-2026", "17/08/2026", "2026-08-17"])
def test_outreach_date_is_read_as_dd_mm_yyyy(client, login_as, typed, clock):
    from datetime import UTC, datetime

    from portal.models import OutreachEvent

    clock.now = datetime(2026, 8, 20, 3, 0, tzinfo=UTC)
    login_as("trade_officer")
    data = {
        "held_on": typed,
        "place": "Balai Kelurahan Naram",
        "kelurahan_code": "61.72.04.1002",
        "agencies": ["bpjs"],
        "attendance": "31",
    }
    response = client.post("/disperindagkop/outreach/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert db.session.scalar(select(OutreachEvent.held_on)) == date(2026, 8, 17)


def test_no_identifier_input_has_a_maxlength_that_would_cut_it(client, business):
    html = client.get("/employer/businesses/new").get_data(as_text=True)
    assert 'maxlength="13"' not in html
    response = client.post(
        "/employer/businesses/new",
        data={
            "nib": "91200098765431",
            "name": "Warung",
            "sector_code": "food_drink",
            "scale": "mikro",
            "kelurahan_code": "61.72.01.1001",
            "address": "Jl. Niaga 5",
        },
    )
    assert response.status_code == 400
    assert "NIB harus tepat 13 angka" in response.get_data(as_text=True)


def test_admin_user_form_stores_the_phone_the_same_way(client, login_as):
    login_as("admin")
    data = {
        "email": "petugas.baru@example.id",
        "name": "Petugas Baru",
        "phone": "+62 812-0001-1122",
        "role": "bpjs_officer",
        "active": "y",
        "new_password": "Kantor-Cabang-2026",
    }
    assert client.post("/admin/users/new/", data=data).status_code == 302
    user = db.session.scalar(select(User).where(User.email == "petugas.baru@example.id"))
    assert user.phone == "081200011122"
