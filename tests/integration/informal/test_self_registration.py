"""A worker signs up, registers himself as BPU with the contribution shown first, and the
request lands in BPJS's queue marked self-registered; an owner can register himself too."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import EnrolmentRequest, Membership, User, Worker
from portal.services.enrolment.queue import enrol
from tests.factories import EmploymentFactory, UserFactory, WorkerFactory, make_nik
from tests.factories_bpjs import PaymentFactory
from tests.factories_informal import OwnMembershipFactory as MembershipFactory

KELURAHAN = "61.72.01.1001"
REGISTER = "/worker/register?lang=en"  # messages asserted in English


def form(nik: str, **overrides) -> dict:
    data = {
        "nik": nik,
        "full_name": "Ahmad Nelayan",
        "birth_date": "17-05-1990",
        "sex": "L",
        "phone": "0812 3456 7890",
        "kelurahan_code": KELURAHAN,
        "occupation_code": "nelayan",
        "occupation_other": "",
        "monthly_income": "1.000.000",
        "submit": "1",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _count_requests() -> int:
    return db.session.scalar(select(func.count(EnrolmentRequest.id)))


def test_worker_signs_up_then_logs_in_to_the_registration_form(client, app):
    response = client.post(
        "/worker/signup",
        data={
            "name": "Ahmad Nelayan",
            "email": "ahmad@example.id",
            "phone": "081234567890",
            "password": "Laut-Biru-2026x",
            "confirm": "Laut-Biru-2026x",
        },
    )
    # The same answer as the owners' sign-up (it never tells whether the address is taken).
    assert response.status_code == 200 and "ahmad@example.id" in response.get_data(as_text=True)
    user = db.session.scalar(select(User).where(User.email == "ahmad@example.id"))
    assert user.role == "worker"
    login = client.post(
        "/auth/login", data={"email": "ahmad@example.id", "password": "Laut-Biru-2026x"}
    )
    assert login.status_code == 302
    page = client.get("/worker/register").get_data(as_text=True)
    assert 'value="Ahmad Nelayan"' in page and "Nelayan" in page


def test_contribution_is_shown_before_saving_and_follows_income_and_jht(client, login_as):
    login_as("worker")
    nik = make_nik(date(1990, 5, 17), "L")
    basic = client.post(REGISTER, data=form(nik, submit=None, preview="1"))
    assert "Rp 16.800" in basic.get_data(as_text=True)
    with_jht = client.post(
        "/worker/register", data=form(nik, submit=None, preview="1", with_jht="y")
    )
    assert "Rp 36.800" in with_jht.get_data(as_text=True)
    assert _count_requests() == 0  # a preview saves nothing
    live = client.get("/worker/contribution?income=2.000.000&jht=1&lang=en").get_json()
    assert live["ok"] and live["total"] == 20_000 + 6_800 + 40_000
    outside = client.get("/worker/contribution?income=500000&lang=en").get_json()
    assert not outside["ok"] and "Rp 1.000.000" in outside["text"]


def test_submitting_creates_a_self_registered_bpu_request_in_the_bpjs_queue(client, login_as):
    user = login_as("worker")
    nik = make_nik(date(1990, 5, 17), "L")
    response = client.post(REGISTER, data=form(nik, with_jht="y"))
    assert response.status_code == 302
    request = db.session.scalar(select(EnrolmentRequest))
    assert request.channel == "self" and request.is_self_registered
    assert request.business_id is None and request.employment_id is None
    assert request.category == "BPU" and request.monthly_contribution == 36_800
    assert request.state == "submitted" and request.sla_due is not None
    worker = db.session.get(Worker, request.worker_id)
    assert worker.account_id == user.id and worker.occupation == "Nelayan"
    home = client.get("/worker/").get_data(as_text=True)
    assert "Rp 36.800" in home and "data-request" in home
    # BPJS sees it in its existing queue, marked self-registered.
    client.post("/auth/logout")
    login_as("bpjs_officer")
    queue = client.get("/bpjs/queue?lang=en").get_data(as_text=True)
    assert worker.full_name in queue and "Self-registered" in queue


def test_double_tapped_submit_makes_one_request(client, login_as):
    login_as("worker")
    nik = make_nik(date(1990, 5, 17), "L")
    first = client.post(REGISTER, data=form(nik))
    second = client.post(REGISTER, data=form(nik))
    assert first.status_code == 302 and second.status_code == 302
    assert _count_requests() == 1


def test_once_enrolled_the_worker_sees_membership_dues_payments_and_card(client, login_as, clock):
    clock.now = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
    user = login_as("worker")
    nik = make_nik(date(1990, 5, 17), "L")
    client.post(REGISTER, data=form(nik))
    officer = UserFactory(role="bpjs_officer")
    membership = enrol(db.session.scalar(select(EnrolmentRequest.id)), officer, "26000009001")
    assert membership.funding_source == "self" and membership.category == "BPU"
    PaymentFactory(membership=membership, period="2026-03", amount=16_800)
    db.session.commit()
    home = client.get("/worker/").get_data(as_text=True)
    assert membership.kpj in home and "2026-03" in home and "Rp 16.800" in home
    card = client.get(f"/worker/memberships/{membership.id}/card.pdf")
    assert card.status_code == 200 and card.mimetype == "application/pdf"
    # Another worker's card: not found.
    other = MembershipFactory()
    db.session.commit()
    assert client.get(f"/worker/memberships/{other.id}/card.pdf").status_code == 404
    assert user.id  # the card above was his own


def test_an_owner_registers_himself_from_his_own_account(client, login_as):
    owner = login_as("business_owner")
    nik = make_nik(date(1985, 2, 3), "P")
    response = client.post(
        REGISTER,
        data=form(nik, birth_date="03-02-1985", sex="P", monthly_income="3000000"),
    )
    assert response.status_code == 302
    worker = db.session.scalar(select(Worker).where(Worker.account_id == owner.id))
    assert worker.nik == nik
    # JKK 1% of Rp 3.000.000 + JKM Rp 6.800.
    assert "Rp 36.800" in client.get("/worker/").get_data(as_text=True)


def test_bad_input_is_named_next_to_each_field_and_kept(client, login_as):
    login_as("worker")
    nik = make_nik(date(1990, 5, 17), "L")
    bad_nik = client.post(REGISTER, data=form("6172011705901"))
    assert "NIK must be exactly 16 digits" in bad_nik.get_data(as_text=True)
    wrong = client.post(REGISTER, data=form(nik, birth_date="18-05-1990", sex="P"))
    html = wrong.get_data(as_text=True)
    assert wrong.status_code == 400
    assert "does not match the NIK" in html and "18-05-1990" in html
    poor = client.post(REGISTER, data=form(nik, monthly_income="900000"))
    assert "between Rp 1.000.000 and Rp 20.700.000" in poor.get_data(as_text=True)
    rich = client.post(REGISTER, data=form(nik, monthly_income="20.700.001"))
    assert "between Rp 1.000.000 and Rp 20.700.000" in rich.get_data(as_text=True)
    other = client.post(REGISTER, data=form(nik, occupation_code="lainnya"))
    assert "Write the occupation." in other.get_data(as_text=True)
    assert _count_requests() == 0


def test_bad_input_in_indonesian(client, login_as):
    login_as("worker")
    poor = client.post(
        "/worker/register", data=form(make_nik(date(1990, 5, 17), "L"), monthly_income="900000")
    )
    html = poor.get_data(as_text=True)
    assert "Rp 1.000.000" in html and "Declared income must be" not in html
    assert "Daftar sebagai pekerja bukan penerima upah (BPU)" in html
    check = client.post(
        "/membership-check", data={"nik": "6172010101900999", "birth_date": "01-01-1990"}
    )
    assert "Tidak ditemukan kepesertaan" in check.get_data(as_text=True)


def test_an_employee_of_a_registered_business_is_named_with_a_choice(client, login_as):
    login_as("worker")
    worker = WorkerFactory(birth_date=date(1990, 5, 17), sex="L")
    employment = EmploymentFactory(worker=worker)
    db.session.commit()
    response = client.post(REGISTER, data=form(worker.nik))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert employment.business.name in html and "data-choice" in html
    assert _count_requests() == 0
    assert db.session.scalar(select(func.count(Membership.id))) == 0


def test_an_existing_member_is_not_registered_twice(client, login_as):
    login_as("worker")
    membership = MembershipFactory()
    db.session.commit()
    worker = membership.worker
    response = client.post(
        REGISTER,
        data=form(worker.nik, birth_date=worker.birth_date.strftime("%d-%m-%Y"), sex=worker.sex),
    )
    assert "already a BPJS Ketenagakerjaan member" in response.get_data(as_text=True)
    assert _count_requests() == 0


def test_another_workers_nik_bound_to_his_account_is_refused(client, login_as):
    other = UserFactory(role="worker")
    worker = WorkerFactory(account_id=other.id, category="BPU")
    db.session.commit()
    login_as("worker")
    response = client.post(
        REGISTER,
        data=form(worker.nik, birth_date=worker.birth_date.strftime("%d-%m-%Y"), sex=worker.sex),
    )
    assert "belongs to another portal account" in response.get_data(as_text=True)


def test_home_runs_a_fixed_number_of_queries(client, login_as, count_queries):
    user = login_as("worker")
    worker = WorkerFactory(account_id=user.id, category="BPU")
    m = MembershipFactory(worker=worker)
    db.session.commit()
    with count_queries() as few:
        client.get("/worker/")
    for period in ("2026-01", "2026-02", "2026-03"):
        PaymentFactory(membership=m, period=period)
    db.session.commit()
    with count_queries() as many:
        client.get("/worker/")
    assert few.count == many.count


def test_a_returned_registration_is_corrected_and_sent_again(client, login_as):
    from portal.services.enrolment.queue import return_for_correction

    login_as("worker")
    nik = make_nik(date(1990, 5, 17), "L")
    client.post(REGISTER, data=form(nik))
    request_id = db.session.scalar(select(EnrolmentRequest.id))
    return_for_correction(request_id, UserFactory(role="bpjs_officer"), "Penghasilan tidak wajar")
    db.session.commit()
    home = client.get("/worker/?lang=en").get_data(as_text=True)
    assert "Penghasilan tidak wajar" in home and "/worker/register" in home
    again = client.post(REGISTER, data=form(nik, monthly_income="2000000"))
    assert again.status_code == 302
    db.session.expire_all()
    request = db.session.get(EnrolmentRequest, request_id)
    assert request.state == "submitted" and request.monthly_contribution == 26_800
    assert _count_requests() == 1


def test_bpjs_queue_places_own_account_requests_by_where_the_person_lives(client, login_as):
    login_as("worker")
    client.post(REGISTER, data=form(make_nik(date(1990, 5, 17), "L")))  # 61.72.01.1001
    client.post("/auth/logout")
    login_as("bpjs_officer")
    inside = client.get("/bpjs/queue?kecamatan=61.72.01&lang=en").get_data(as_text=True)
    outside = client.get("/bpjs/queue?kecamatan=61.72.02&lang=en").get_data(as_text=True)
    assert "Ahmad Nelayan" in inside and "Ahmad Nelayan" not in outside
